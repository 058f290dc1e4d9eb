#include "ctl/lab/db_accounts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ctl/lab/secrets.h"
#include "ctl/render/render_test_support.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
namespace {

Topology Production() { return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml"); }

TEST(DbAccountsTest, NativePasswordHashIsWhatPasswordGives) {
  // SELECT PASSWORD('secret') on MariaDB 10.11.
  EXPECT_EQ(NativePasswordHash("secret"), "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
}

TEST(DbAccountsTest, EveryAccountIsBoundToOnePrivateAddress) {
  const Topology t = Production();
  const auto accounts = LabDbAccounts(t);
  ASSERT_FALSE(accounts.empty());
  for (const DbAccount& a : accounts) {
    EXPECT_NE(a.address, "%") << a.user;
    EXPECT_EQ(a.address.rfind("198.18.1.", 0), 0u) << a.user << "@" << a.address;
    EXPECT_NE(a.user, "root");
  }
  const auto count = [&](const std::string& user) {
    return std::count_if(accounts.begin(), accounts.end(), [&](const DbAccount& a) { return a.user == user; });
  };
  EXPECT_EQ(count(kAppDbUserA), static_cast<long>(t.HostsRunning("app").size()));
  EXPECT_EQ(count(kAppDbUserB), static_cast<long>(t.HostsRunning("app").size()));
  EXPECT_EQ(count(kReplicationDbUser), static_cast<long>(t.HostsRunning("mariadb").size()));
  EXPECT_EQ(count(kSentinelDbUser), static_cast<long>(t.HostsRunning("sentinel").size()));
}

TEST(DbAccountsTest, TheAppHasDmlOnItsSchemaAndNoDdl) {
  const auto grants = AppGrants();
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].privileges, "SELECT, INSERT, UPDATE, DELETE");
  EXPECT_EQ(grants[0].on, "`foobar`.*");
  EXPECT_EQ(grants[1].privileges, "SLAVE MONITOR");  // replica lag, nothing else global
}

TEST(DbAccountsTest, EachSentinelHasItsOwnSecret) {
  const Topology t = Production();
  for (const DbAccount& a : LabDbAccounts(t))
    if (a.user == kSentinelDbUser) {
      EXPECT_EQ(a.secret.rfind("db-sentinel.", 0), 0u);
    }
  EXPECT_EQ(SentinelDbPasswordFile("lb-01"), "db-sentinel.lb-01.password");
}

TEST(DbAccountsTest, StatementsCarryAHashNeverThePassword) {
  const DbAccount account{kAppDbUserB, "198.18.1.21", AppGrants(), kAppDbCredentialsFile};
  const auto sql = EnsureAccountSql(account, "pl41nt3xt-password", true);
  ASSERT_EQ(sql.size(), 4u);
  for (const auto& statement : sql) EXPECT_EQ(statement.find("pl41nt3xt"), std::string::npos) << statement;
  EXPECT_EQ(sql[0].rfind("CREATE USER IF NOT EXISTS 'foobar_app_b'@'198.18.1.21' IDENTIFIED BY PASSWORD '*", 0), 0u);
  EXPECT_NE(sql[1].find("ACCOUNT LOCK"), std::string::npos);
  EXPECT_EQ(sql[2], "GRANT SELECT, INSERT, UPDATE, DELETE ON `foobar`.* TO 'foobar_app_b'@'198.18.1.21'");
  EXPECT_NE(EnsureAccountSql(account, "x", false)[1].find("ACCOUNT UNLOCK"), std::string::npos);
}

TEST(DbAccountsTest, EndToEndTlsMakesEveryAccountRequireSsl) {
  for (const DbAccount& a : LabDbAccounts(Production())) {
    EXPECT_FALSE(a.require_ssl) << a.user;  // the default: plain connections on the private network
    for (const auto& statement : EnsureAccountSql(a, "x", false))
      EXPECT_EQ(statement.find("REQUIRE"), std::string::npos) << statement;
  }
  std::ifstream in(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  std::stringstream text;
  text << in.rdbuf() << "\n[security]\nend_to_end_tls = true\n";
  const auto accounts = LabDbAccounts(ParseTopology(text.str(), "production + end_to_end_tls"));
  ASSERT_FALSE(accounts.empty());
  for (const DbAccount& a : accounts) {
    EXPECT_TRUE(a.require_ssl) << a.user << "@" << a.address;
    const auto sql = EnsureAccountSql(a, "x", false);
    // CREATE USER for a new account, ALTER USER for one that exists from an earlier up.
    EXPECT_NE(sql[0].find(" REQUIRE SSL"), std::string::npos) << sql[0];
    EXPECT_NE(sql[1].find(" REQUIRE SSL ACCOUNT UNLOCK"), std::string::npos) << sql[1];
  }
}

TEST(DbAccountsTest, AppCredentialsRoundTripThroughAPrivateFile) {
  testing::TempDir dir;
  const auto store = dir.path() / "secrets";
  WriteAppCredentials(store, {kAppDbUserB, "pw1"});
  const AppCredentials read = ReadAppCredentials(store);
  EXPECT_EQ(read.user, kAppDbUserB);
  EXPECT_EQ(read.password, "pw1");
  EXPECT_EQ(OtherAppUser(read.user), kAppDbUserA);
  EXPECT_EQ(OtherAppUser(kAppDbUserA), kAppDbUserB);
  struct stat st {};
  ASSERT_EQ(::stat((store / kAppDbCredentialsFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(store.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(SecretsStoreTest, WriteReplacesAtomicallyAndListShowsNoValues) {
  testing::TempDir dir;
  const auto store = dir.path() / "secrets";
  const std::string first = EnsureSecret(store, "db-repl.password");
  EXPECT_EQ(first.size(), 32u);
  EXPECT_EQ(EnsureSecret(store, "db-repl.password"), first);  // kept across ups
  WriteSecretFile(store, "db-repl.password", "second\n");
  EXPECT_EQ(ReadSecret(store, "db-repl.password"), "second");
  const auto files = ListSecretFiles(store);
  ASSERT_EQ(files.size(), 1u);  // no temporary file left behind
  EXPECT_EQ(files[0].name, "db-repl.password");
  EXPECT_EQ(files[0].mode, 0600u);
  EXPECT_NE(GeneratePassword(32), GeneratePassword(32));
}

}  // namespace
}  // namespace foobar::ctl
