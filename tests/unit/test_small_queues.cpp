// The small containers each device keeps (core/small_queues.hpp): a sliding window that gives back the value that
// falls out, oldest first, and a FIFO that keeps its order through every compaction.
#include "core/small_queues.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>

using namespace popex;

namespace {
template <typename T>
std::vector<T> contents(const SlidingWindow<T>& w)
{
  std::vector<T> out;
  w.for_each([&](T v) {
    out.push_back(v);
    return true;
  });
  return out;
}
} // namespace

TEST(SlidingWindow, KeepsTheLastValuesOldestFirstAndGivesBackWhatFallsOut)
{
  SlidingWindow<int> w(3);
  EXPECT_TRUE(w.empty());
  EXPECT_FALSE(w.push(1).has_value());
  EXPECT_FALSE(w.push(2).has_value());
  EXPECT_FALSE(w.push(3).has_value());
  EXPECT_EQ(contents(w), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(w.push(4), std::optional<int>(1)); // 1 falls out
  EXPECT_EQ(w.push(5), std::optional<int>(2));
  EXPECT_EQ(contents(w), (std::vector<int>{3, 4, 5})); // across the ring's end, still oldest first
  EXPECT_EQ(w.push(6), std::optional<int>(3));
  EXPECT_EQ(w.push(7), std::optional<int>(4));
  EXPECT_EQ(contents(w), (std::vector<int>{5, 6, 7}));
  EXPECT_EQ(w.size(), 3U);
  // for_each stops when told to.
  int seen = 0;
  w.for_each([&](int v) {
    ++seen;
    return v < 6;
  });
  EXPECT_EQ(seen, 2);
  // A window of 0 keeps nothing: each value falls out at once.
  SlidingWindow<double> none(0);
  EXPECT_EQ(none.push(2.5), std::optional<double>(2.5));
  EXPECT_TRUE(none.empty());
}

TEST(SlidingWindow, BooleansBehaveAsADequeDoes)
{
  // 10,000 random pushes into a window of 200 (ExitProbEstimator's default) against a deque trimmed by hand.
  SlidingWindow<bool> w(200);
  std::deque<bool> ref;
  std::mt19937 rng(11);
  for (int i = 0; i < 10000; ++i) {
    const bool v = (rng() & 1U) != 0;
    const auto out = w.push(v);
    ref.push_back(v);
    if (ref.size() > 200) {
      ASSERT_TRUE(out.has_value());
      EXPECT_EQ(*out, ref.front());
      ref.pop_front();
    } else {
      EXPECT_FALSE(out.has_value());
    }
  }
  EXPECT_EQ(contents(w), std::vector<bool>(ref.begin(), ref.end()));
}

TEST(Fifo, KeepsItsOrderThroughCompactions)
{
  // Random bursts of pushes and pops against a deque: the same front at every step, whatever it reclaims.
  Fifo<int> q;
  std::deque<int> ref;
  EXPECT_TRUE(q.empty());
  std::mt19937 rng(5);
  int next = 0;
  for (int step = 0; step < 20000; ++step) {
    if (ref.empty() || rng() % 3 != 0) {
      q.push_back(next);
      ref.push_back(next++);
    } else {
      ASSERT_EQ(q.front(), ref.front());
      q.pop_front();
      ref.pop_front();
    }
    ASSERT_EQ(q.size(), ref.size());
    if (!ref.empty()) {
      ASSERT_EQ(q.front(), ref.front());
    }
  }
  while (!ref.empty()) {
    ASSERT_EQ(q.front(), ref.front());
    q.pop_front();
    ref.pop_front();
  }
  EXPECT_TRUE(q.empty());
  q.push_back(42); // usable again once drained
  EXPECT_EQ(q.front(), 42);
  EXPECT_EQ(q.size(), 1U);
}
