// Engine tests of the analytic network and of the NONLINEAR rate workaround. Each TEST runs in its own process
// (gtest_discover_tests + ctest): SimGrid allows one engine per process.
#include "actors/device_state.hpp"
#include "actors/link_driver.hpp"
#include "actors/transfers.hpp"
#include "traces/rate_trace.hpp"

#include <simgrid/s4u.hpp>

#include <gtest/gtest.h>

namespace sg4 = simgrid::s4u;
using namespace popex;

namespace {
/** An analytic engine on tests/data/platforms/pair.xml (10 ms uplink). */
std::unique_ptr<sg4::Engine> analytic_engine()
{
  static std::string name = "test";
  static std::string log  = "--log=root.thres:critical";
  static char* argv[]     = {name.data(), log.data(), nullptr};
  int argc                = 2;
  auto e                  = std::make_unique<sg4::Engine>(&argc, argv);
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/TCP-gamma:0");
  e->load_platform(std::string(POPEX_SOURCE_DIR) + "/tests/data/platforms/pair.xml");
  return e;
}

/** Sends `bytes` from edge to cloud at t = start; returns the transfer's duration. */
double timed_transfer(sg4::Engine& e, double bytes, double start = 0)
{
  double took         = -1;
  sg4::Mailbox* mb    = e.mailbox_by_name_or_create("m");
  sg4::Actor::create("rx", e.host_by_name("cloud"), [mb] {
    mb->set_receiver(sg4::Actor::self());
    mb->get_unique<int>();
  });
  sg4::Actor::create("tx", e.host_by_name("edge"), [mb, bytes, start, &took] {
    sg4::this_actor::sleep_until(start);
    mb->put(new int(0), static_cast<uint64_t>(bytes));
    took = sg4::Engine::get_clock() - start;
  });
  e.run();
  return took;
}
/** Drives the "up" link with a two-step trace: `first_Bps` from 0, `then_Bps` from `switch_s` on. */
void drive_two_steps(sg4::Engine& e, UplinkState& state, double first_Bps, double switch_s, double then_Bps)
{
  RateTrace trace;
  trace.time_s   = {0, switch_s};
  trace.rate_Bps = {first_Bps, then_Bps};
  trace.end_s    = switch_s;
  auto driver    = std::make_shared<LinkDriver>(e.link_by_name("up"), state, std::make_shared<const RateTrace>(trace), 0);
  sg4::Actor::create("driver", e.host_by_name("edge"), [driver] { (*driver)(); })->daemonize();
}
} // namespace

TEST(EngineLink, AnalyticTransferIsExactlyLatencyPlusSizeOverRate)
{
  auto e = analytic_engine();
  UplinkState state;
  LinkDriver driver(e->link_by_name("up"), state, nullptr, 1.1e6);
  // L + 8 S / B = 0.01 + 8 * 137500 / 1.1e6 = 0.01 + 1.0 = 1.01 s, bit for bit.
  EXPECT_EQ(timed_transfer(*e, 137500), 0.01 + 8.0 * 137500 / 1.1e6);
}

TEST(EngineLink, PlainLinkWithoutTheDriverIsAlsoExact)
{
  // The platform's own 1 Mbps: 0.01 + 8 * 250000 / 1e6 = 2.01 s.
  auto e = analytic_engine();
  EXPECT_EQ(timed_transfer(*e, 250000), 0.01 + 8.0 * 250000 / 1e6);
}

TEST(EngineLink, RateRiseInTheMiddleOfATransferShortensIt)
{
  // Trace: 1 Mbit/s (125000 B/s) until t = 1 s, then 4 Mbit/s (500000 B/s). Send 250000 B at t = 0:
  //   latency 0.01 s; from 0.01 to 1.0 s: 0.99 s x 125000 = 123750 B; the remaining 126250 B at 500000 B/s take
  //   0.2525 s -> done at 1.2525 s. Without the workaround the increase never reaches the transfer: 2.01 s.
  auto e = analytic_engine();
  UplinkState state;
  drive_two_steps(*e, state, 125000, 1, 500000);
  EXPECT_NEAR(timed_transfer(*e, 250000), 1.2525, 1e-9);
  EXPECT_EQ(state.rate_bps(), 4e6);
}

TEST(EngineLink, RateDropInTheMiddleOfATransferLengthensIt)
{
  // 4 Mbit/s until 0.5 s, then 1 Mbit/s. 250000 B: 0.49 s x 500000 = 245000 B, then 5000 B at 125000 B/s = 0.04 s
  // -> 0.54 s.
  auto e = analytic_engine();
  UplinkState state;
  drive_two_steps(*e, state, 500000, 0.5, 125000);
  EXPECT_NEAR(timed_transfer(*e, 250000), 0.54, 1e-9);
}

TEST(EngineLink, TwoFlowsShareTheTracedRateFairly)
{
  // Two 125000 B transfers at once on a 1 Mbit/s (125000 B/s) driven link: each gets 62500 B/s -> 0.01 + 2 s.
  auto e = analytic_engine();
  UplinkState state;
  LinkDriver driver(e->link_by_name("up"), state, nullptr, 1e6);
  sg4::Mailbox* mb = e->mailbox_by_name_or_create("m");
  std::vector<double> done;
  sg4::Actor::create("rx", e->host_by_name("cloud"), [mb] {
    mb->set_receiver(sg4::Actor::self());
    mb->get_unique<int>();
    mb->get_unique<int>();
  });
  for (int i = 0; i < 2; ++i)
    sg4::Actor::create("tx", e->host_by_name("edge"), [mb, &done] {
      mb->put(new int(0), 125000);
      done.push_back(sg4::Engine::get_clock());
    });
  e->run();
  ASSERT_EQ(done.size(), 2u);
  EXPECT_NEAR(done[0], 2.01, 1e-9);
  EXPECT_NEAR(done[1], 2.01, 1e-9);
}

TEST(EngineLink, UplinkMailboxTransfersAreExactAndNothingStaysBehind)
{
  // A device's uplink (actors/transfers.hpp): a mailbox of its own whose eager receiver, on the cloud host, never
  // receives. Three 125000 B tensors on the 1 Mbps uplink, one after the other from t = 0, each 0.01 + 8 x 125000 /
  // 1e6 = 1.01 s: they end at 1.01, 2.02 and 3.03 s. An ended transfer stays in the mailbox (SimGrid's list of done
  // transfers) until the device takes it back; then the mailbox is empty.
  auto e = analytic_engine();
  sg4::Mailbox* mb = uplink_mailbox(*e, uplink_receiver(e->host_by_name("cloud"), "rx"), "tensors-0");
  std::vector<double> ended;
  std::vector<bool> held, emptied;
  int payload = 0;
  sg4::Actor::create("device", e->host_by_name("edge"), [&] {
    for (int i = 0; i < 3; ++i) {
      mb->put_async(&payload, 125000)->wait();
      ended.push_back(sg4::Engine::get_clock());
      held.push_back(mb->listen());
      take_back(mb);
      emptied.push_back(!mb->listen());
      EXPECT_EQ(sg4::Engine::get_clock(), ended.back()); // taking it back costs no simulated time
    }
  });
  e->run();
  ASSERT_EQ(ended.size(), 3u);
  EXPECT_NEAR(ended[0], 1.01, 1e-12);
  EXPECT_NEAR(ended[1], 2.02, 1e-12);
  EXPECT_NEAR(ended[2], 3.03, 1e-12);
  EXPECT_EQ(held, std::vector<bool>(3, true));
  EXPECT_EQ(emptied, std::vector<bool>(3, true));
}
