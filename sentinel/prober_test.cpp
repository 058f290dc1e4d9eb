#include "sentinel/prober.h"

#include <gtest/gtest.h>

#include "sentinel/opinion.h"

namespace foobar::sentinel {
namespace {

ServerView Writable() {
  ServerView v;
  v.read_only = false;
  return v;
}

TEST(NextSnapshotTest, SinceTimesStartAtTheFirstBadProbeAndCarryOver) {
  ServerSnapshot s;
  s.name = "db-01";
  s = NextSnapshot(s, Writable(), 1000);
  EXPECT_TRUE(s.Writable());
  EXPECT_EQ(s.down_since_ms, 0);
  EXPECT_EQ(s.not_writable_since_ms, 0);
  s = NextSnapshot(s, Error{2003, "Can't connect"}, 1250);
  EXPECT_FALSE(s.reachable);
  EXPECT_EQ(s.down_since_ms, 1250);
  EXPECT_EQ(s.not_writable_since_ms, 1250);
  s = NextSnapshot(s, Error{2003, "Can't connect"}, 1500);
  EXPECT_EQ(s.down_since_ms, 1250);
  ServerView read_only;  // back, but read-only: no longer down, still not writable
  s = NextSnapshot(s, read_only, 1750);
  EXPECT_TRUE(s.reachable);
  EXPECT_EQ(s.down_since_ms, 0);
  EXPECT_EQ(s.not_writable_since_ms, 1250);
  s = NextSnapshot(s, Writable(), 2000);
  EXPECT_EQ(s.not_writable_since_ms, 0);
}

TEST(NextSnapshotTest, AFirstProbeThatFailsStartsTheClock) {
  ServerSnapshot s;
  s = NextSnapshot(s, Error{2003, "refused"}, 500);
  EXPECT_TRUE(s.probed);
  EXPECT_EQ(s.down_since_ms, 500);
}

TEST(OpinionTest, DurationsAndRoundTrip) {
  std::map<std::string, ServerSnapshot> snapshots;
  snapshots["db-01"] = NextSnapshot(ServerSnapshot{}, Error{2003, "x"}, 1000);
  snapshots["db-02"] = NextSnapshot(ServerSnapshot{}, ServerView{}, 1000);
  snapshots["db-03"] = ServerSnapshot{};  // never probed: left out
  const Opinion o = MakeOpinion("lb-01", snapshots, 2500);
  ASSERT_EQ(o.servers.size(), 2u);
  EXPECT_FALSE(o.servers.at("db-01").up);
  EXPECT_EQ(o.servers.at("db-01").down_ms, 1500);
  EXPECT_TRUE(o.servers.at("db-02").up);
  EXPECT_FALSE(o.servers.at("db-02").writable);
  EXPECT_EQ(o.servers.at("db-02").down_ms, 0);
  EXPECT_EQ(o.servers.at("db-02").not_writable_ms, 1500);
  const auto parsed = ParseOpinion(ToJson(o).dump());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->sentinel, "lb-01");
  EXPECT_EQ(parsed->at_ms, 2500);
  EXPECT_EQ(parsed->servers.at("db-01").down_ms, 1500);
  EXPECT_FALSE(ChangedMaterially(o, *parsed));
  Opinion later = o;
  later.servers["db-01"].down_ms = 9999;
  EXPECT_FALSE(ChangedMaterially(o, later));
  later.servers["db-01"].up = true;
  EXPECT_TRUE(ChangedMaterially(o, later));
  EXPECT_FALSE(ParseOpinion("{\"sentinel\":1}"));
}

TEST(ServerViewTest, ParsesTheProbesThreeResultSets) {
  ResultSet vars;
  vars.columns = {"read_only", "gtid_binlog_pos", "gtid_current_pos", "gtid_slave_pos", "semi_sync_enabled"};
  vars.rows = {{"1", "0-31-5", "0-31-7", "0-31-7", "1"}};
  ResultSet status;  // SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_%', abridged
  status.columns = {"Variable_name", "Value"};
  status.rows = {{"Rpl_semi_sync_master_clients", "1"},
                 {"Rpl_semi_sync_master_net_avg_wait_time", "0"},
                 {"Rpl_semi_sync_master_status", "ON"},
                 {"Rpl_semi_sync_master_wait_sessions", "2"}};
  ResultSet slave;
  slave.columns = {"Master_Host", "Master_Port", "Slave_IO_Running", "Slave_SQL_Running", "Gtid_IO_Pos",
                   "Seconds_Behind_Master", "Last_IO_Error", "Last_SQL_Error"};
  slave.rows = {{"198.18.1.31", "3306", "Yes", "Yes", "0-31-9", std::nullopt, "", ""}};
  auto view = ParseServerView({vars, status, slave});
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->read_only);
  EXPECT_TRUE(view->semi_sync_enabled);
  EXPECT_TRUE(view->semi_sync_on);
  EXPECT_EQ(view->semi_sync_clients, 1);
  EXPECT_EQ(view->semi_sync_waiting, 2);
  EXPECT_EQ(view->gtid_current_pos, "0-31-7");
  ASSERT_TRUE(view->replica);
  EXPECT_TRUE(view->replica->Running());
  EXPECT_FALSE(view->replica->seconds_behind);
  EXPECT_EQ(view->ReceivedPosition(), "0-31-9");
  slave.rows.clear();
  status.rows = {{"Rpl_semi_sync_master_status", "OFF"}};  // and no clients row: 0
  view = ParseServerView({vars, status, slave});
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view->replica);
  EXPECT_FALSE(view->semi_sync_on);
  EXPECT_EQ(view->semi_sync_clients, 0);
  EXPECT_EQ(view->ReceivedPosition(), "0-31-7");
  EXPECT_FALSE(ParseServerView({vars, slave}).ok());
}

}  // namespace
}  // namespace foobar::sentinel
