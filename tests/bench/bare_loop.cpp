// The baseline of the simulate benchmark (issue 3, section 6): plain s4u, no popex code, doing per image the
// SimGrid work that `popex-sim simulate` does in its closed loop (sim/simulation/simulation.cpp, sim/actors/):
//   source  --edge queue (semaphore)-->  edge: one exec  --uplink queue (semaphore)-->  sender: one put of the
//   tensor to the cloud's mailbox, which has a permanent receiver  -->  cloud receiver --ready (semaphore)-->
//   cloud worker: one exec, then a release of the source's "finished" semaphore.
// The platform is set up the same way too: analytic CM02 network, the edge slowed to cloud speed / gamma by a
// speed profile, and the uplink bounded by a NONLINEAR sharing callback (the rate-rise workaround, docs/simgrid-notes.md).
// `--structure minimal` instead runs the fewest actors that can do the same execs and comm: an edge actor and a
// cloud actor, one semaphore. Everything it does not do is the price of popex-sim's actor structure.
//
// Run: build/release/tests/bench/popex_bare_loop 200000
//      build/release/tests/bench/popex_bare_loop 200000 --mode offload --edge-exit 0.494
//      build/release/tests/bench/popex_bare_loop 200000 --mode edge-only
#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u.hpp>

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <deque>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {

enum class Mode { OFFLOAD, CLOUD_ONLY, EDGE_ONLY };
enum class Structure { MATCHED, MINIMAL };

struct Options {
  std::uint64_t images = 0;
  Mode mode            = Mode::OFFLOAD;
  Structure structure  = Structure::MATCHED;
  double edge_exit     = 0;      // fraction of images classified on the edge after the edge exec (offload mode)
  double gamma         = 10;     // edge time = gamma x cloud time
  double edge_cloud_s  = 0.0084; // B-AlexNet up to conv2 with b1, in reference-cloud seconds
  double cloud_s       = 0.0171; // B-AlexNet after conv2
  double bytes_up      = 129792; // B-AlexNet conv2 output
  double uplink_bps    = 1.1e6;  // 3G
  std::string platform = std::string(POPEX_SOURCE_DIR) + "/platforms/edge-cloud.xml";
};

constexpr const char* USAGE =
    "Usage: popex_bare_loop IMAGES [--mode offload|cloud-only|edge-only] [--edge-exit F]\n"
    "                       [--structure matched|minimal] [--gamma G] [--platform FILE] [--cfg=...] [--log=...]\n"
    "  IMAGES       closed-loop images to run (one in flight at a time)\n"
    "  --mode       offload (default): edge exec, uplink comm, cloud exec; cloud-only: comm and cloud exec;\n"
    "               edge-only: one edge exec\n"
    "  --edge-exit  offload mode: fraction F in [0,1] of images that stop after the edge exec (default 0);\n"
    "               pass popex-sim's summary edge_exit_fraction to get the same mix of activities\n"
    "  --structure  matched (default): popex-sim's actors and queues; minimal: two actors, one semaphore\n"
    "Prints one line: images, activities (execs + comms), simulated and wall seconds, images and activities per\n"
    "wall second of Engine::run().\n";

/** The whole of `text` as a T, or an error naming `what`. */
template <typename T>
T number(const std::string& text, const std::string& what)
{
  T v{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(what + " must be a number (got '" + text + "')");
  return v;
}

Options parse(int argc, char** argv)
{
  Options o;
  bool have_images = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value          = [&]() -> std::string {
      if (i + 1 >= argc)
        throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--mode") {
      const std::string m = value();
      if (m == "offload")
        o.mode = Mode::OFFLOAD;
      else if (m == "cloud-only")
        o.mode = Mode::CLOUD_ONLY;
      else if (m == "edge-only")
        o.mode = Mode::EDGE_ONLY;
      else
        throw std::invalid_argument("--mode must be offload, cloud-only or edge-only (got '" + m + "')");
    } else if (a == "--structure") {
      const std::string s = value();
      if (s != "matched" && s != "minimal")
        throw std::invalid_argument("--structure must be matched or minimal (got '" + s + "')");
      o.structure = s == "matched" ? Structure::MATCHED : Structure::MINIMAL;
    } else if (a == "--edge-exit") {
      o.edge_exit = number<double>(value(), "--edge-exit");
      if (!(o.edge_exit >= 0 && o.edge_exit <= 1))
        throw std::invalid_argument("--edge-exit must be in [0,1]");
    } else if (a == "--gamma") {
      o.gamma = number<double>(value(), "--gamma");
      if (!(o.gamma > 0))
        throw std::invalid_argument("--gamma must be > 0");
    } else if (a == "--platform") {
      o.platform = value();
    } else if (!have_images && !a.empty() && a[0] != '-') {
      o.images    = number<std::uint64_t>(a, "IMAGES");
      have_images = true;
    } else {
      throw std::invalid_argument("unknown argument '" + a + "'");
    }
  }
  if (!have_images)
    throw std::invalid_argument("IMAGES is required");
  if (o.mode == Mode::CLOUD_ONLY) {
    o.edge_cloud_s = 0;
    o.cloud_s      = 0.0255; // the whole B-AlexNet backbone
    o.bytes_up     = 602112; // raw float32 input
  }
  return o;
}

/** The activity counts of the run, to report activities per second. */
struct Counters {
  std::uint64_t execs = 0;
  std::uint64_t comms = 0;
};

/** What travels between the actors: a heap object per image, as popex-sim's Image. */
struct Img {
  std::uint64_t id = 0;
  bool at_edge     = false;
};
struct TensorMsg {
  Img* img;
};

/** A FIFO with a semaphore counting ready items, as popex-sim's ImageQueue. */
class Queue {
public:
  void push(Img* i)
  {
    items_.push_back(i);
    ready_->release();
  }
  Img* pop()
  {
    ready_->acquire();
    Img* i = items_.front();
    items_.pop_front();
    return i;
  }

private:
  std::deque<Img*> items_;
  sg4::SemaphorePtr ready_ = sg4::Semaphore::create(0);
};

struct Shared {
  Options opt;
  sg4::Host* edge     = nullptr;
  sg4::Host* cloud    = nullptr;
  sg4::Mailbox* inbox = nullptr;
  double cloud_speed  = 0;
  Queue edge_queue;
  Queue uplink_queue;
  Queue cloud_ready;
  sg4::SemaphorePtr finished = sg4::Semaphore::create(0);
  std::mt19937_64 exits{1};
  Counters n;
  double uplink_rate_Bps = 0;

  /** Whether image i stops on the edge: drawn in the edge actor, as the pre-drawn outcome is read there. */
  bool exits_on_edge()
  {
    if (opt.mode == Mode::EDGE_ONLY)
      return true;
    if (opt.mode == Mode::CLOUD_ONLY || opt.edge_exit <= 0)
      return false;
    return std::uniform_real_distribution<double>(0.0, 1.0)(exits) < opt.edge_exit;
  }
  void edge_exec()
  {
    if (opt.edge_cloud_s > 0) {
      sg4::this_actor::execute(opt.edge_cloud_s * cloud_speed);
      ++n.execs;
    }
  }
  void cloud_exec()
  {
    sg4::this_actor::execute(opt.cloud_s * cloud_speed);
    ++n.execs;
  }
  void send(Img* img)
  {
    inbox->put(new TensorMsg{img}, static_cast<std::uint64_t>(opt.bytes_up));
    ++n.comms;
  }
};

void run_matched(Shared& sh)
{
  sg4::Actor::create("cloud", sh.cloud, [&sh] {
    sh.inbox->set_receiver(sg4::Actor::self());
    sg4::Actor::create("cloud-worker-0", sh.cloud, [&sh] {
      while (true) {
        Img* img = sh.cloud_ready.pop();
        sh.cloud_exec();
        delete img;
        sh.finished->release();
      }
    })->daemonize();
    while (true) {
      auto msg = sh.inbox->get_unique<TensorMsg>();
      sh.cloud_ready.push(msg->img);
    }
  })->daemonize();
  // popex-sim's bandwidth-probe receiver: idle unless the dynamic policy probes, but it exists.
  sg4::Actor::create("cloud-probes", sh.cloud, [] {
    sg4::Mailbox* probes = sg4::Engine::get_instance()->mailbox_by_name_or_create("cloud-probes");
    probes->set_receiver(sg4::Actor::self());
    while (true)
      probes->get_unique<int>();
  })->daemonize();
  sg4::Actor::create("edge-0", sh.edge, [&sh] {
    while (Img* img = sh.edge_queue.pop()) {
      img->at_edge = sh.exits_on_edge();
      sh.edge_exec();
      if (img->at_edge) {
        delete img;
        sh.finished->release();
      } else {
        sh.uplink_queue.push(img);
      }
    }
    sh.uplink_queue.push(nullptr);
  });
  sg4::Actor::create("uplink-0", sh.edge, [&sh] {
    while (Img* img = sh.uplink_queue.pop())
      sh.send(img);
  });
  sg4::Actor::create("source-0", sh.edge, [&sh] {
    for (std::uint64_t i = 0; i < sh.opt.images; ++i) {
      sh.edge_queue.push(new Img{i, false});
      sh.finished->acquire();
    }
    sh.edge_queue.push(nullptr);
  });
}

void run_minimal(Shared& sh)
{
  sg4::Actor::create("cloud", sh.cloud, [&sh] {
    sh.inbox->set_receiver(sg4::Actor::self());
    while (true) {
      auto msg = sh.inbox->get_unique<TensorMsg>();
      sh.cloud_exec();
      delete msg->img;
      sh.finished->release();
    }
  })->daemonize();
  sg4::Actor::create("edge-0", sh.edge, [&sh] {
    for (std::uint64_t i = 0; i < sh.opt.images; ++i) {
      auto* img = new Img{i, sh.exits_on_edge()};
      sh.edge_exec();
      if (img->at_edge) {
        delete img;
        continue;
      }
      sh.send(img);
      sh.finished->acquire();
    }
  });
}

sg4::Host* host_with_role(const sg4::Engine& e, const std::string& role)
{
  for (sg4::Host* h : e.get_all_hosts())
    if (const char* r = h->get_property("role"); r != nullptr && role == r)
      return h;
  throw std::invalid_argument("the platform has no host with property role=" + role);
}

} // namespace

int main(int argc, char** argv)
{
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      fmt::print("{}", USAGE);
      return 0;
    }
  // SimGrid takes its --cfg= and --log= out of argv; ours is parsed after.
  std::vector<std::string> args{argv[0], "--log=root.thres:warning"};
  for (int i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  std::vector<char*> sg_argv;
  for (auto& a : args)
    sg_argv.push_back(a.data());
  sg_argv.push_back(nullptr);
  int sg_argc = static_cast<int>(args.size());

  const auto t_start = std::chrono::steady_clock::now();
  sg4::Engine e(&sg_argc, sg_argv.data());
  Shared sh;
  try {
    sh.opt = parse(sg_argc, sg_argv.data());
  } catch (const std::exception& ex) {
    fmt::print(stderr, "popex_bare_loop: error: {}\n{}", ex.what(), USAGE);
    return 2;
  }
  // popex-sim's analytic network: a transfer takes exactly L + S/B.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/TCP-gamma:0");
  e.load_platform(sh.opt.platform);
  sh.edge        = host_with_role(e, "edge");
  sh.cloud       = host_with_role(e, "cloud");
  sh.cloud_speed = sh.cloud->get_speed();
  sh.inbox       = e.mailbox_by_name_or_create("cloud");

  if (sh.opt.structure == Structure::MATCHED) {
    const double avail = sh.cloud_speed / (sh.opt.gamma * sh.edge->get_speed());
    sh.edge->set_speed_profile(
        simgrid::kernel::profile::ProfileBuilder::from_string("gamma-edge", fmt::format("0 {}\n", avail), -1));
    std::vector<sg4::Link*> route;
    sh.edge->route_to(sh.cloud, route, nullptr);
    sh.uplink_rate_Bps = sh.opt.uplink_bps / 8.0;
    const double* rate = &sh.uplink_rate_Bps;
    for (sg4::Link* l : route) {
      l->set_sharing_policy(sg4::Link::SharingPolicy::NONLINEAR, [rate](double, int) { return *rate; });
      l->set_bandwidth(1e12);
    }
    run_matched(sh);
  } else {
    // No profile: the edge's gamma goes into the flops instead.
    sh.opt.edge_cloud_s *= sh.opt.gamma * sh.edge->get_speed() / sh.cloud_speed;
    run_minimal(sh);
  }

  const auto t_run = std::chrono::steady_clock::now();
  e.run();
  const auto t_end               = std::chrono::steady_clock::now();
  const double run_s             = std::chrono::duration<double>(t_end - t_run).count();
  const double total_s           = std::chrono::duration<double>(t_end - t_start).count();
  const std::uint64_t activities = sh.n.execs + sh.n.comms;
  fmt::print("bare_loop structure={} mode={} images={} execs={} comms={} sim_time_s={} run_wall_s={:.4f} "
             "total_wall_s={:.4f} images_per_s={:.0f} activities_per_s={:.0f}\n",
             sh.opt.structure == Structure::MATCHED ? "matched" : "minimal",
             sh.opt.mode == Mode::OFFLOAD      ? "offload"
             : sh.opt.mode == Mode::CLOUD_ONLY ? "cloud-only"
                                               : "edge-only",
             sh.opt.images, sh.n.execs, sh.n.comms, sg4::Engine::get_clock(), run_s, total_s,
             static_cast<double>(sh.opt.images) / run_s, static_cast<double>(activities) / run_s);
  return 0;
}
