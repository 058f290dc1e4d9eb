#include "ctl/chaos/load_schedule.h"

#include <gtest/gtest.h>

#include <set>

namespace foobar::ctl::chaos {
namespace {

TEST(ChaosSchedule, CountsAndOffsetsAreOpenLoop) {
  EXPECT_EQ(RequestCount(50, 20), 1000u);
  EXPECT_EQ(RequestCount(40, 15), 600u);
  EXPECT_EQ(RequestCount(3, 0.1), 1u);  // never zero
  EXPECT_EQ(RequestCount(10, 2.3), 23u);  // 10 * 2.3 is 22.999... in floating point
  EXPECT_DOUBLE_EQ(ScheduledOffset(0, 50), 0.0);
  EXPECT_DOUBLE_EQ(ScheduledOffset(50, 50), 1.0);
  EXPECT_DOUBLE_EQ(ScheduledOffset(999, 50), 19.98);
}

TEST(ChaosSchedule, AddressesAreRoundRobin) {
  EXPECT_EQ(AddressFor(0, 2), 0);
  EXPECT_EQ(AddressFor(1, 2), 1);
  EXPECT_EQ(AddressFor(2, 2), 0);
  EXPECT_EQ(AddressFor(7, 1), 0);
  EXPECT_EQ(AddressFor(7, 0), 0);
}

TEST(ChaosSchedule, MixFollowsTheFractionsAndIsReproducible) {
  RequestPlanner planner(LoadMix{0.3, 0.5}, 42);
  RequestPlanner again(LoadMix{0.3, 0.5}, 42);
  int writes = 0, by_id = 0, list = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const RequestKind kind = planner.Next();
    EXPECT_EQ(kind, again.Next());
    if (kind == RequestKind::kWrite) ++writes;
    if (kind == RequestKind::kReadById) ++by_id;
    if (kind == RequestKind::kReadList) ++list;
  }
  EXPECT_NEAR(writes / double(n), 0.30, 0.02);
  EXPECT_NEAR(by_id / double(n), 0.35, 0.02);
  EXPECT_NEAR(list / double(n), 0.35, 0.02);
}

TEST(ChaosSchedule, PickStaysInRange) {
  RequestPlanner planner(LoadMix{}, 7);
  std::set<size_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(planner.Pick(5));
  EXPECT_EQ(seen, (std::set<size_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(planner.Pick(0), 0u);
}

TEST(ChaosSchedule, IdempotencyKeysAreUniquePerRunAndRequest) {
  EXPECT_EQ(IdempotencyKey("r1", 7), "chaos-r1-7");
  EXPECT_NE(IdempotencyKey("r1", 7), IdempotencyKey("r2", 7));
  EXPECT_NE(IdempotencyKey("r1", 7), IdempotencyKey("r1", 8));
}

}  // namespace
}  // namespace foobar::ctl::chaos
