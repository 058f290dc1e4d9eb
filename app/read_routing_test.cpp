#include "app/read_routing.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

using namespace std::chrono_literals;

TEST(PlanReadTest, AHealthyReplicaServesReads) {
  const ReadPlan plan = PlanRead(1, std::nullopt);
  EXPECT_EQ(plan.source, ReadSource::kReplica);
  EXPECT_EQ(plan.replica, 1);
  EXPECT_FALSE(plan.wait_for_gtid);
}

TEST(PlanReadTest, TheCookieMakesTheReplicaWaitFirst) {
  const ReadPlan plan = PlanRead(0, Gtid{0, 287, 19});
  EXPECT_EQ(plan.source, ReadSource::kReplica);
  EXPECT_EQ(plan.replica, 0);
  EXPECT_TRUE(plan.wait_for_gtid);
}

TEST(PlanReadTest, ThePrimaryWhenNoReplicaIsHealthyAndThenNeverAWait) {
  for (const auto& last_write : {std::optional<Gtid>{}, std::optional<Gtid>{Gtid{0, 1, 2}}}) {
    const ReadPlan plan = PlanRead(-1, last_write);
    EXPECT_EQ(plan.source, ReadSource::kPrimary);
    EXPECT_FALSE(plan.wait_for_gtid);  // MASTER_GTID_WAIT never runs on the primary
  }
}

TEST(GtidWaitOutcomeTest, OnlyZeroMeansTheReplicaHasTheWrite) {
  EXPECT_EQ(GtidWaitOutcome(0), ReplicaReadOutcome::kServed);
  EXPECT_EQ(GtidWaitOutcome(-1), ReplicaReadOutcome::kNotCaughtUp);            // timed out
  EXPECT_EQ(GtidWaitOutcome(-2), ReplicaReadOutcome::kNotCaughtUp);            // writable now
  EXPECT_EQ(GtidWaitOutcome(std::nullopt), ReplicaReadOutcome::kNotCaughtUp);  // NULL
  EXPECT_EQ(GtidWaitOutcome(1), ReplicaReadOutcome::kNotCaughtUp);
}

TEST(ReadOnPrimaryAfterTest, AnythingButServedFallsBack) {
  EXPECT_FALSE(ReadOnPrimaryAfter(ReplicaReadOutcome::kServed));
  EXPECT_TRUE(ReadOnPrimaryAfter(ReplicaReadOutcome::kNotCaughtUp));
  EXPECT_TRUE(ReadOnPrimaryAfter(ReplicaReadOutcome::kFailed));
}

TEST(GtidWaitTimeoutTest, Seconds) {
  EXPECT_DOUBLE_EQ(GtidWaitTimeoutSeconds(500ms), 0.5);
  EXPECT_DOUBLE_EQ(GtidWaitTimeoutSeconds(0ms), 0.0);
}

}  // namespace
}  // namespace foobar::app
