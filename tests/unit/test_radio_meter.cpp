// The device radio (RadioMeter, after Huang et al., MobiSys 2012) and the per-image attribution of its energy
// (EnergyLedger): hand derivations of single transfers, transfers inside one tail, promotions and overlaps.
#include "actors/energy_ledger.hpp"
#include "core/radio_meter.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace popex;

namespace {
// alpha_up 0.5 W per Mbit/s, alpha_down 0.1, beta 1 W, tail 0.5 W for 2 s, promotion 0.4 W for 0.5 s (0.2 J).
RadioPower radio()
{
  return {"test", 0.5, 0.1, 1.0, 0.5, 2.0, 0.4, 0.5};
}
} // namespace

TEST(RadioMeter, OneTransferIsPromotionActiveAndOneFullTail)
{
  RadioMeter m(radio());
  // [10, 11] s, 0.8 Mbit up: promotion 0.2 + alpha 0.5 x 0.8 + beta 1 x 1 s = 1.6 J, then a 0.5 W x 2 s tail.
  EXPECT_DOUBLE_EQ(m.transfer(10, 11, 0.8, 0, RadioMeter::Owner(7)), 1.6);
  EXPECT_FALSE(m.cut_owner().has_value());
  ASSERT_TRUE(m.open_tail(12).has_value());
  EXPECT_EQ(m.open_tail(12)->first, 7U);
  EXPECT_DOUBLE_EQ(m.open_tail(12)->second, 0.5);  // 1 s of tail
  EXPECT_DOUBLE_EQ(m.open_tail(100)->second, 1.0); // capped at tail_s
  EXPECT_FALSE(m.tail_final(12.999));
  EXPECT_TRUE(m.tail_final(13));
  EXPECT_DOUBLE_EQ(m.total_j(), 2.6);
}

TEST(RadioMeter, TwoTransfersInsideOneTailPayOneTail)
{
  RadioMeter m(radio());
  m.transfer(10, 11, 0.8, 0, RadioMeter::Owner(1));
  // [11.5, 12], 0.4 Mbit: the first tail is cut after 0.5 s (0.25 J, to image 1); no promotion; 0.2 + 0.5 = 0.7 J.
  EXPECT_DOUBLE_EQ(m.transfer(11.5, 12, 0.4, 0, RadioMeter::Owner(2)), 0.7);
  ASSERT_TRUE(m.cut_owner().has_value());
  EXPECT_EQ(*m.cut_owner(), 1U);
  EXPECT_DOUBLE_EQ(m.cut_tail_j(), 0.25);
  // 1.6 + 0.25 + 0.7 + one full tail (1.0); two separate offloads would pay 2 x 2.6 = 5.2 J.
  EXPECT_DOUBLE_EQ(m.total_j(), 3.55);
}

TEST(RadioMeter, ATailThatRanOutMeansAPromotionAgain)
{
  RadioMeter m(radio());
  m.transfer(0, 1, 0.8, 0, RadioMeter::Owner(1));
  // Starts 2 s after the end: the full tail (1.0 J) is cut at its end, and the radio is promoted again.
  EXPECT_DOUBLE_EQ(m.transfer(3, 3.5, 0, 1.0, RadioMeter::Owner(2)), 0.2 + 0.1 + 0.5);
  EXPECT_DOUBLE_EQ(m.cut_tail_j(), 1.0);
  EXPECT_DOUBLE_EQ(m.total_j(), 1.6 + 1.0 + 0.8 + 1.0);
}

TEST(RadioMeter, OverlappingTransfersCountBetaOnceOverTheirUnion)
{
  RadioMeter m(radio());
  m.transfer(10, 12, 0, 0, RadioMeter::Owner(1)); // 0.2 + 2 s x 1 W
  // [11, 13] reported after: only [12, 13] is new activity (1 J), no tail cut, no promotion.
  EXPECT_DOUBLE_EQ(m.transfer(11, 13, 0, 0, RadioMeter::Owner(2)), 1.0);
  EXPECT_FALSE(m.cut_owner().has_value());
  EXPECT_EQ(m.open_tail(14)->first, 2U); // the tail after 13 s is the second transfer's
  EXPECT_DOUBLE_EQ(m.total_j(), 2.2 + 1.0 + 1.0);
}

TEST(RadioMeter, AProbeOwnsNothing)
{
  RadioMeter m(radio());
  m.transfer(0, 1, 0.8, 0, std::nullopt);
  EXPECT_FALSE(m.open_tail(1.5).has_value());
  EXPECT_DOUBLE_EQ(m.total_j(), 2.6); // spent all the same
}

namespace {
/** A ledger over images the test owns; records the order and energies of what it writes. */
struct LedgerRig {
  std::vector<Image> images = std::vector<Image>(4);
  std::vector<std::pair<std::uint64_t, double>> written; // id, radio J
  EnergyLedger ledger;

  explicit LedgerRig(const std::optional<EnergyParams>& e)
      : ledger(e, [this](Image* i) { written.emplace_back(i->record.id, i->record.radio_energy_j); })
  {
    for (std::size_t i = 0; i < images.size(); ++i) {
      images[i].record.id     = i;
      images[i].record.edge_s = 0.1 * static_cast<double>(i + 1);
    }
  }
};

EnergyParams params()
{
  return {{3.0, 1.0}, radio()};
}
} // namespace

TEST(EnergyLedger, WithoutEnergyImagesGoOutAtOnce)
{
  LedgerRig rig(std::nullopt);
  rig.ledger.created(&rig.images[0]);
  rig.ledger.transfer(0, 1, 1, 0, &rig.images[0], 1);
  rig.ledger.finished(&rig.images[0], 1);
  ASSERT_EQ(rig.written.size(), 1U);
  EXPECT_EQ(rig.written[0].second, 0.0);
  EXPECT_EQ(rig.ledger.radio_total_j(), 0.0);
}

TEST(EnergyLedger, AnImageWaitsForItsTailThenCarriesItInFull)
{
  LedgerRig rig(params());
  Image* a = &rig.images[0];
  rig.ledger.created(a);
  rig.ledger.transfer(10, 11, 0.8, 0, a, 11); // 1.6 J, then its tail
  rig.ledger.finished(a, 11.2);
  EXPECT_TRUE(rig.written.empty());          // its tail may still be cut
  EXPECT_DOUBLE_EQ(rig.ledger.next_flush_s(), 13.0);
  EXPECT_DOUBLE_EQ(a->record.compute_energy_j, 3.0 * 0.1); // busy_w x edge_s
  rig.ledger.flush(13.0);
  ASSERT_EQ(rig.written.size(), 1U);
  EXPECT_DOUBLE_EQ(rig.written[0].second, 2.6);
}

TEST(EnergyLedger, TheNextTransferCutsTheTailAndBothImagesAddUpToTheRadio)
{
  LedgerRig rig(params());
  Image* a = &rig.images[0];
  Image* b = &rig.images[1];
  rig.ledger.created(a);
  rig.ledger.created(b);
  rig.ledger.transfer(10, 11, 0.8, 0, a, 11);
  rig.ledger.finished(a, 11.1);
  rig.ledger.transfer(11.5, 12, 0.4, 0, b, 12); // cuts a's tail at 0.5 s: a is final (1.6 + 0.25)
  ASSERT_EQ(rig.written.size(), 1U);
  EXPECT_DOUBLE_EQ(rig.written[0].second, 1.85);
  rig.ledger.finished(b, 12.5);
  rig.ledger.drain(); // the end of the run: b's tail in full
  ASSERT_EQ(rig.written.size(), 2U);
  EXPECT_DOUBLE_EQ(rig.written[1].second, 0.7 + 1.0);
  EXPECT_DOUBLE_EQ(rig.written[0].second + rig.written[1].second, rig.ledger.radio_total_j());
}

TEST(EnergyLedger, ImagesGoOutInFinishingOrder)
{
  LedgerRig rig(params());
  Image* a = &rig.images[0];
  Image* b = &rig.images[1];
  rig.ledger.created(a);
  rig.ledger.created(b);
  rig.ledger.transfer(0, 1, 0.8, 0, a, 1);
  rig.ledger.finished(b, 1.5); // b never offloaded and finishes first: out at once; a, later, after its tail
  rig.ledger.finished(a, 2);
  rig.ledger.drain();
  ASSERT_EQ(rig.written.size(), 2U);
  EXPECT_EQ(rig.written[0].first, 1U);
  EXPECT_DOUBLE_EQ(rig.written[0].second, 0.0);
  EXPECT_EQ(rig.written[1].first, 0U);
  EXPECT_DOUBLE_EQ(rig.written[1].second, 2.6);
}
