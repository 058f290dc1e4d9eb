#include "sentinel/decision.h"

#include <gtest/gtest.h>

namespace foobar::sentinel {
namespace {

constexpr int64_t kNow = 1'000'000;

class DecisionTest : public ::testing::Test {
 protected:
  DecisionTest() {
    config_.name = "lb-01";
    config_.sentinels = {"lb-01", "lb-02", "app-01"};
    config_.servers = {{"db-01", "198.18.1.31", 3306}, {"db-02", "198.18.1.32", 3306}};
    input_.config = &config_;
    input_.now_ms = kNow;
    input_.state.epoch = 1;
    input_.state.primary = "db-01";
    input_.state.semi_sync = true;
    input_.state.in_sync = {"db-02"};
    input_.state.changed_at_ms = kNow - 60'000;
    input_.state.primary_since_ms = kNow - 60'000;
    Own("db-01") = Primary("0-31-100");
    Own("db-02") = ReplicaOf("198.18.1.31", "0-31-100");
    for (const auto& s : config_.sentinels) input_.opinions.push_back(Healthy(s));
  }

  ServerSnapshot& Own(const std::string& name) {
    auto& s = input_.own[name];
    s.name = name;
    return s;
  }

  static ServerSnapshot Primary(const std::string& binlog, int64_t probed_at = kNow - 100) {
    ServerSnapshot s;
    s.probed = s.reachable = true;
    s.probed_at_ms = probed_at;
    s.view.read_only = false;
    s.view.gtid_binlog_pos = s.view.gtid_current_pos = binlog;
    s.view.semi_sync_enabled = s.view.semi_sync_on = true;
    s.view.semi_sync_clients = 1;
    return s;
  }

  static ServerSnapshot ReplicaOf(const std::string& master, const std::string& received, int64_t probed_at = kNow - 50) {
    ServerSnapshot s;
    s.probed = s.reachable = true;
    s.probed_at_ms = probed_at;
    s.not_writable_since_ms = kNow - 3'600'000;
    s.view.read_only = true;
    s.view.gtid_current_pos = received;
    s.view.replica = ReplicaStatus{master, 3306, "Yes", "Yes", received, 0, "", ""};
    return s;
  }

  static ServerSnapshot Down(int64_t since) {
    ServerSnapshot s;
    s.probed = true;
    s.probed_at_ms = kNow - 50;
    s.down_since_ms = s.not_writable_since_ms = since;
    s.error = "Can't connect";
    return s;
  }

  Opinion Healthy(const std::string& sentinel) const {
    Opinion o{sentinel, kNow - 200, {}};
    o.servers["db-01"] = {true, true, 0, 0};
    o.servers["db-02"] = {true, false, 0, 3'600'000};
    return o;
  }

  // `count` sentinels see `server` down for `ms`.
  void SeeDown(const std::string& server, int count, int64_t ms) {
    for (int i = 0; i < count; ++i) input_.opinions[static_cast<size_t>(i)].servers[server] = {false, false, ms, ms};
  }

  Config config_;
  DecisionInput input_;
};

TEST_F(DecisionTest, HealthyClusterNeedsNothing) {
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone);
}

TEST_F(DecisionTest, WritableReplicaIsFencedAtOnce) {
  Own("db-02").view.read_only = false;
  const Action a = Decide(input_);
  EXPECT_EQ(a.kind, ActionKind::kRefence);
  EXPECT_EQ(a.host, "db-02");
}

TEST_F(DecisionTest, FailoverNeedsAMajorityForTheConfirmWindow) {
  Own("db-01") = Down(kNow - 5000);
  SeeDown("db-01", 1, 5000);
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone) << "one sentinel of three is not enough";
  SeeDown("db-01", 2, 900);
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone) << "900 ms < confirm_ms";
  SeeDown("db-01", 2, 1000);
  const Action a = Decide(input_);
  EXPECT_EQ(a.kind, ActionKind::kFailover);
  EXPECT_EQ(a.host, "db-01");
  EXPECT_EQ(a.target, "db-02");
  EXPECT_NE(a.reason.find("2 of 3 sentinels"), std::string::npos) << a.reason;
}

TEST_F(DecisionTest, StaleOpinionsAreDroppedBeforeDeciding) {
  SeeDown("db-01", 3, 5000);
  for (auto& o : input_.opinions) o.at_ms = kNow - 3000;
  input_.opinions[0].at_ms = kNow - 100;
  input_.opinions = FreshOpinions(input_.opinions, config_, kNow);
  ASSERT_EQ(input_.opinions.size(), 1u);
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone);
}

TEST_F(DecisionTest, OnlyTimeSinceThePrimaryWasRecordedCounts) {
  // db-02 just became primary: that it was read-only (a replica) for an hour is no failure.
  input_.state.primary = "db-02";
  input_.state.in_sync = {};
  input_.state.primary_since_ms = kNow - 1000;
  input_.state.changed_at_ms = kNow - 1000;
  Own("db-01") = Down(kNow - 9000);
  Own("db-02") = ReplicaOf("", "0-31-100");
  Own("db-02").view.replica.reset();
  for (auto& o : input_.opinions) o.servers["db-02"] = {true, false, 0, 3'600'000};
  const Action a = Decide(input_);
  EXPECT_NE(a.kind, ActionKind::kFailover);
  EXPECT_NE(a.kind, ActionKind::kReopen);
}

TEST_F(DecisionTest, ProbesOlderThanTheLastRecordChangeAreIgnored) {
  Own("db-02").view.read_only = false;
  input_.state.changed_at_ms = kNow - 10;  // after db-02's probe
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone);
}

TEST_F(DecisionTest, NeverPromotesAReplicaThatIsNotInSyncOrIsFenced) {
  SeeDown("db-01", 3, 5000);
  Own("db-01") = Down(kNow - 5000);
  input_.state.in_sync = {};
  EXPECT_EQ(Decide(input_).kind, ActionKind::kStuck);
  input_.state.in_sync = {"db-02"};
  input_.state.fenced = {"db-02"};
  EXPECT_EQ(Decide(input_).kind, ActionKind::kStuck);
}

TEST_F(DecisionTest, PrimaryBackReadOnlyWithNobodyToReplaceItIsReopened) {
  input_.state.in_sync = {};
  input_.state.semi_sync = false;
  Own("db-01").view.read_only = true;
  for (auto& o : input_.opinions) o.servers["db-01"] = {true, false, 0, 2000};
  const Action a = Decide(input_);
  EXPECT_EQ(a.kind, ActionKind::kReopen);
  EXPECT_EQ(a.host, "db-01");
}

TEST_F(DecisionTest, PrimaryBackReadOnlyWithAnInSyncReplicaFailsOver) {
  Own("db-01").view.read_only = true;
  for (auto& o : input_.opinions) o.servers["db-01"] = {true, false, 0, 2000};
  EXPECT_EQ(Decide(input_).kind, ActionKind::kFailover);
}

TEST_F(DecisionTest, DegradesOnlyWhenAMajoritySeesEveryReplicaDown) {
  Own("db-02") = Down(kNow - 3000);
  SeeDown("db-02", 1, 3000);
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone);
  SeeDown("db-02", 2, 3000);
  const Action a = Decide(input_);
  EXPECT_EQ(a.kind, ActionKind::kDegrade);
  EXPECT_EQ(a.host, "db-01");
}

TEST_F(DecisionTest, ReplicaUpButNotReplicatingIsNoReasonToDegrade) {
  // Cut off from its replica, the primary keeps waiting: it must not diverge.
  Own("db-02").view.replica->io_running = "Connecting";
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone);
}

TEST_F(DecisionTest, DegradesAtOnceWhenTheOnlyOtherServerIsFenced) {
  input_.state.fenced = {"db-02"};
  input_.state.in_sync = {};
  EXPECT_EQ(Decide(input_).kind, ActionKind::kDegrade);
}

TEST_F(DecisionTest, PrimarysSemiSyncSwitchFollowsTheRecord) {
  Own("db-01").view.semi_sync_enabled = false;
  EXPECT_EQ(Decide(input_).kind, ActionKind::kEnforceSemiSync);
}

TEST_F(DecisionTest, SemiSyncComesBackWhenAReplicaReplicatesAgain) {
  input_.state.semi_sync = false;
  input_.state.in_sync = {};
  Own("db-01").view.semi_sync_enabled = Own("db-01").view.semi_sync_on = false;
  const Action a = Decide(input_);
  EXPECT_EQ(a.kind, ActionKind::kRestoreSemiSync);
  EXPECT_EQ(a.target, "db-02");
  input_.state.fenced = {"db-02"};
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone) << "a fenced server waits for `foobar db rejoin`";
}

TEST_F(DecisionTest, InSyncOnlyOnceCaughtUpWithSemiSyncOn) {
  input_.state.in_sync = {};
  Own("db-02").view.replica->gtid_io_pos = "0-31-99";
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone) << "behind";
  Own("db-02").view.replica->gtid_io_pos = "0-31-100";
  Own("db-01").view.semi_sync_on = false;
  EXPECT_EQ(Decide(input_).kind, ActionKind::kNone) << "semi-sync not on yet";
  Own("db-01").view.semi_sync_on = true;
  const Action a = Decide(input_);
  EXPECT_EQ(a.kind, ActionKind::kMarkInSync);
  EXPECT_EQ(a.host, "db-02");
}

TEST_F(DecisionTest, BestCandidateGotFurthest) {
  config_.servers.push_back({"db-03", "198.18.1.33", 3306});
  input_.state.in_sync = {"db-02", "db-03"};
  Own("db-03") = ReplicaOf("198.18.1.31", "0-31-101");
  EXPECT_EQ(BestCandidate(input_), "db-03");
  Own("db-03").view.replica->sql_running = "No";
  Own("db-03").view.replica->last_sql_error = "Duplicate entry";
  EXPECT_EQ(BestCandidate(input_), "db-02");
}

}  // namespace
}  // namespace foobar::sentinel
