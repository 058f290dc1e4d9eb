#include "ctl/render/mariadb_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::HasDirective;
using testing::TempDir;

class RenderMariadbTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadSeed();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "app-02", state_.path());
  std::string cnf_ = RenderMariadbConfig(ctx_);
  std::string host_ = (state_.path() / "hosts/app-02").string();
};

TEST_F(RenderMariadbTest, PathIsUnderTheHostsEtc) {
  EXPECT_EQ(MariadbConfigPath(ctx_.paths), state_.path() / "hosts/app-02/etc/mariadb/my.cnf");
  EXPECT_EQ(cnf_.rfind("# Rendered by foobar from topology seed — do not edit.\n", 0), 0u);
}

TEST_F(RenderMariadbTest, ServerIdComesFromThePrivateAddress) {
  EXPECT_EQ(MariadbServerId("198.18.1.22"), 256u * 1 + 22);
  EXPECT_EQ(MariadbServerId("198.18.7.3"), 256u * 7 + 3);
  EXPECT_THROW(MariadbServerId("198.18.1"), std::invalid_argument);
  EXPECT_THROW(MariadbServerId("198.18.0.0"), std::invalid_argument);
  EXPECT_TRUE(HasDirective(cnf_, "server-id = 278"));
}

TEST_F(RenderMariadbTest, ServerSectionHasTheHostsPaths) {
  EXPECT_TRUE(HasDirective(cnf_, "[mariadbd]"));
  EXPECT_TRUE(HasDirective(cnf_, "[client]"));
  EXPECT_EQ(DirectivesStartingWith(cnf_, "socket = ").size(),
            3u);  // client, mariadb-client, server
  for (const std::string& line : std::vector<std::string>{
           "user = mysql", "datadir = " + host_ + "/data/mysql",
           "socket = " + host_ + "/run/mysqld.sock", "pid-file = " + host_ + "/run/mysqld.pid",
           "log-error = " + host_ + "/log/mariadb-error.log"})
    EXPECT_TRUE(HasDirective(cnf_, line)) << line;
}

TEST_F(RenderMariadbTest, ListensOnThePrivateAddressOnly) {
  EXPECT_EQ(DirectivesStartingWith(cnf_, "bind-address"),
            std::vector<std::string>{"bind-address = 198.18.1.22"});
  EXPECT_TRUE(HasDirective(cnf_, "port = 3306"));
  EXPECT_TRUE(HasDirective(cnf_, "skip-name-resolve"));
}

TEST_F(RenderMariadbTest, DurableGtidReplicationSettings) {
  for (const char* line :
       {"log-bin = mysql-bin", "binlog_format = ROW", "gtid_strict_mode = ON",
        "log_slave_updates = ON", "sync_binlog = 1", "innodb_flush_log_at_trx_commit = 1",
        "innodb_buffer_pool_size = 128M", "performance_schema = OFF",
        "default-time-zone = '+00:00'", "character-set-server = utf8mb4",
        "collation-server = utf8mb4_unicode_ci", "max_connections = 300"})
    EXPECT_TRUE(HasDirective(cnf_, line)) << line;
}

TEST_F(RenderMariadbTest, WritableWhenItIsTheOnlyDatabaseServer) {
  EXPECT_EQ(DirectivesStartingWith(cnf_, "read_only"), std::vector<std::string>{"read_only = OFF"});
}

TEST_F(RenderMariadbTest, EveryServerStartsReadOnlyWhenThereAreTwo) {
  const Topology two = testing::EditedSeed(R"(services = ["nginx", "app"])",
                                           R"(services = ["nginx", "app", "mariadb"])");
  ASSERT_EQ(two.HostsRunning("mariadb").size(), 2u);
  for (const char* host : {"app-01", "app-02"}) {
    const std::string cnf = RenderMariadbConfig(ContextFor(two, host, state_.path()));
    EXPECT_EQ(DirectivesStartingWith(cnf, "read_only"), std::vector<std::string>{"read_only = ON"})
        << host;
  }
  EXPECT_TRUE(HasDirective(RenderMariadbConfig(ContextFor(two, "app-01", state_.path())),
                           "server-id = 277"));
}

TEST_F(RenderMariadbTest, NoSemiSyncWhenItIsTheOnlyDatabaseServer) {
  EXPECT_TRUE(DirectivesStartingWith(cnf_, "rpl_semi_sync").empty());
}

TEST_F(RenderMariadbTest, LosslessSemiSyncWhenThereAreTwo) {
  const Topology two = testing::EditedSeed(R"(services = ["nginx", "app"])",
                                           R"(services = ["nginx", "app", "mariadb"])");
  const std::string cnf = RenderMariadbConfig(ContextFor(two, "app-01", state_.path()));
  for (const char* line : {"rpl_semi_sync_master_enabled = OFF",
                           "rpl_semi_sync_master_wait_point = AFTER_SYNC",
                           "rpl_semi_sync_master_wait_no_slave = ON",
                           "rpl_semi_sync_master_timeout = 18446744073709551615",
                           "rpl_semi_sync_slave_enabled = ON", "slave_net_timeout = 1"})
    EXPECT_TRUE(HasDirective(cnf, line)) << line;
}

// `mariadbd --help --verbose` reads the file like a start would and fails (exit 7) on an
// unknown or malformed option, but starts no server and binds nothing. The data directory is
// not created, so it cannot initialise anything there either.
TEST_F(RenderMariadbTest, RealMariadbdAcceptsTheConfig) {
  const auto mariadbd = testing::FindTool("mariadbd");
  if (!mariadbd) GTEST_SKIP() << "mariadbd is not installed";
  const auto path = MariadbConfigPath(ctx_.paths);
  testing::WriteFile(path, cnf_);
  const auto result = testing::RunCommand(mariadbd->string() + " --defaults-file=" + path.string() +
                                          " --help --verbose");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // The values as mariadbd understood them.
  for (const char* shown : {"gtid-strict-mode                                             TRUE",
                            "read-only                                                    FALSE",
                            "server-id                                                    278"})
    EXPECT_NE(result.output.find(shown), std::string::npos) << shown;
}

TEST_F(RenderMariadbTest, RealMariadbdAcceptsTheReplicatedConfig) {
  const auto mariadbd = testing::FindTool("mariadbd");
  if (!mariadbd) GTEST_SKIP() << "mariadbd is not installed";
  const Topology two = testing::EditedSeed(R"(services = ["nginx", "app"])",
                                           R"(services = ["nginx", "app", "mariadb"])");
  const RenderContext ctx = ContextFor(two, "app-01", state_.path());
  const auto path = MariadbConfigPath(ctx.paths);
  testing::WriteFile(path, RenderMariadbConfig(ctx));
  const auto result = testing::RunCommand(mariadbd->string() + " --defaults-file=" + path.string() +
                                          " --help --verbose");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* shown : {"read-only                                                    TRUE",
                            "rpl-semi-sync-master-enabled                                 FALSE",
                            "rpl-semi-sync-master-timeout                                 18446744073709551615",
                            "rpl-semi-sync-master-wait-point                              AFTER_SYNC",
                            "rpl-semi-sync-slave-enabled                                  TRUE"})
    EXPECT_NE(result.output.find(shown), std::string::npos) << shown;
}

}  // namespace
}  // namespace foobar::ctl
