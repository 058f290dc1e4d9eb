#include "app/replica_status.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

ReplicationChannel Channel(std::string io, std::string sql, std::optional<long long> lag) {
  return ReplicationChannel{std::move(io), std::move(sql), lag};
}

TEST(SummarizeReplicationTest, RunningChannelsAndTheLargestLag) {
  const auto one = SummarizeReplication({Channel("Yes", "Yes", 0)});
  EXPECT_TRUE(one.replicating);
  EXPECT_EQ(one.lag_s, 0);
  const auto two = SummarizeReplication({Channel("Yes", "Yes", 2), Channel("Yes", "Yes", 7)});
  EXPECT_TRUE(two.replicating);
  EXPECT_EQ(two.lag_s, 7);
}

TEST(SummarizeReplicationTest, NoChannelIsNotReplicating) {
  const auto none = SummarizeReplication({});
  EXPECT_FALSE(none.replicating);
  EXPECT_FALSE(none.lag_s.has_value());
}

TEST(SummarizeReplicationTest, AStoppedOrConnectingThreadIsNotReplicating) {
  EXPECT_FALSE(SummarizeReplication({Channel("Yes", "No", std::nullopt)}).replicating);
  EXPECT_FALSE(SummarizeReplication({Channel("Connecting", "Yes", 0)}).replicating);
  EXPECT_FALSE(SummarizeReplication({Channel("No", "No", std::nullopt)}).replicating);
  EXPECT_FALSE(
      SummarizeReplication({Channel("Yes", "Yes", 0), Channel("Yes", "No", 0)}).replicating);
}

TEST(SummarizeReplicationTest, UnknownLagIsUnknown) {
  EXPECT_FALSE(SummarizeReplication({Channel("Yes", "Yes", 0), Channel("Yes", "Yes", std::nullopt)})
                   .lag_s.has_value());
}

}  // namespace
}  // namespace foobar::app
