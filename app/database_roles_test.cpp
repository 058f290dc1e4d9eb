#include "app/database_roles.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ServerProbe Up(bool writable, Clock::time_point at) {
  return ServerProbe{true, writable, at, false, std::nullopt, at};
}
ServerProbe Down(Clock::time_point at) {
  return ServerProbe{false, false, at, false, std::nullopt, at};
}
ServerProbe Replica(Clock::time_point at, std::optional<long long> lag, bool running = true) {
  return ServerProbe{true, false, at, running, lag, at};
}

TEST(ChoosePrimaryTest, TheSingleWritableServer) {
  const auto now = Clock::now();
  EXPECT_EQ(ChoosePrimary({Up(true, now)}, now, 2s).index, 0);
  EXPECT_EQ(ChoosePrimary({Up(false, now), Up(true, now), Down(now)}, now, 2s).index, 1);
}

TEST(ChoosePrimaryTest, NoneWhenNothingIsWritable) {
  const auto now = Clock::now();
  EXPECT_EQ(ChoosePrimary({}, now, 2s).index, -1);
  EXPECT_EQ(ChoosePrimary({Up(false, now), Down(now)}, now, 2s).index, -1);
  EXPECT_EQ(ChoosePrimary({ServerProbe{}}, now, 2s).index, -1);  // never probed
}

TEST(ChoosePrimaryTest, NoneWhenSeveralAreWritable) {
  const auto now = Clock::now();
  const auto choice = ChoosePrimary({Up(true, now), Up(false, now), Up(true, now)}, now, 2s);
  EXPECT_EQ(choice.index, -1);
  EXPECT_EQ(choice.writable_count, 2);
}

TEST(ChoosePrimaryTest, StaleProbesDoNotCount) {
  const auto now = Clock::now();
  EXPECT_EQ(ChoosePrimary({Up(true, now - 3s)}, now, 2s).index, -1);
  // A stale writable server does not make a fresh one ambiguous.
  EXPECT_EQ(ChoosePrimary({Up(true, now - 3s), Up(true, now)}, now, 2s).index, 1);
}

TEST(HealthyReplicaTest, ReadOnlyReplicatingAndWithinTheLag) {
  const auto now = Clock::now();
  EXPECT_TRUE(IsHealthyReplica(Replica(now, 0), now, 2s, 5));
  EXPECT_TRUE(IsHealthyReplica(Replica(now, 5), now, 2s, 5));
}

TEST(HealthyReplicaTest, LeftOutWhenLaggingBrokenOrUnknown) {
  const auto now = Clock::now();
  EXPECT_FALSE(IsHealthyReplica(Replica(now, 6), now, 2s, 5));             // lagging
  EXPECT_FALSE(IsHealthyReplica(Replica(now, std::nullopt), now, 2s, 5));  // lag NULL
  EXPECT_FALSE(IsHealthyReplica(Replica(now, 0, false), now, 2s, 5));      // a thread stopped
  EXPECT_FALSE(IsHealthyReplica(Replica(now - 3s, 0), now, 2s, 5));        // stale probe
  EXPECT_FALSE(IsHealthyReplica(Up(true, now), now, 2s, 5));               // the primary
  EXPECT_FALSE(IsHealthyReplica(Up(false, now), now, 2s, 5));  // read-only, no replication
  EXPECT_FALSE(IsHealthyReplica(Down(now), now, 2s, 5));
  EXPECT_FALSE(IsHealthyReplica(ServerProbe{}, now, 2s, 5));  // never probed
}

TEST(HealthyReplicaTest, SetOfHealthyReplicas) {
  const auto now = Clock::now();
  EXPECT_EQ(HealthyReplicas({Up(true, now), Replica(now, 1), Replica(now, 9), Replica(now, 0)}, now,
                            2s, 5),
            ServerSet{0b1010});
  EXPECT_EQ(HealthyReplicas({Up(true, now)}, now, 2s, 5), ServerSet{0});
}

TEST(PickReplicaTest, RoundRobinOverTheSet) {
  EXPECT_EQ(PickReplica(0, 0), -1);
  EXPECT_EQ(PickReplica(0, 7), -1);
  EXPECT_EQ(PickReplica(0b0100, 0), 2);
  EXPECT_EQ(PickReplica(0b0100, 5), 2);
  const ServerSet set = 0b1010;
  EXPECT_EQ(PickReplica(set, 0), 1);
  EXPECT_EQ(PickReplica(set, 1), 3);
  EXPECT_EQ(PickReplica(set, 2), 1);
  EXPECT_EQ(PickReplica(ServerSet{1} << 63, 3), 63);
}

}  // namespace
}  // namespace foobar::app
