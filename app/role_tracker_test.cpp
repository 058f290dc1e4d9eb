// The prober threads against servers that do not answer (the decisions themselves are
// tested in database_roles_test.cpp).
#include "app/role_tracker.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

using namespace std::chrono_literals;

TEST(RoleTrackerTest, StartsAndStopsPromptlyWithUnreachableServers) {
  // Port 1 on loopback refuses at once: no network needed, no waiting for timeouts.
  RoleTracker tracker({DbEndpoint{"127.0.0.1", 1}, DbEndpoint{"127.0.0.1", 1}},
                      DbCredentials{"u", "p", "d"}, RoleTracker::Options{});
  tracker.Start();
  tracker.RequestRecheck();
  EXPECT_FALSE(tracker.Primary().has_value());
  EXPECT_FALSE(tracker.PrimaryIsFresh());
  EXPECT_FALSE(tracker.PrimaryConfirmedSince(std::chrono::steady_clock::now() - 1h).has_value());
  EXPECT_FALSE(tracker.ReplicaEndpoint(0).has_value());
  EXPECT_EQ(tracker.NextHealthyReplica(), -1);
  tracker.Stop();
}

}  // namespace
}  // namespace foobar::app
