#include "sentinel/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace foobar::sentinel {
namespace {

class SentinelConfigTest : public ::testing::Test {
 protected:
  SentinelConfigTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "foobar-sentinel-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    std::ofstream(dir_ / "mon.pw") << "monitor-secret\n";
    std::ofstream(dir_ / "repl.pw") << "repl-secret\n";
  }
  ~SentinelConfigTest() override { std::filesystem::remove_all(dir_); }

  std::string Text(const std::string& extra = "") const {
    return "name = \"lb-01\"\nsentinels = [\"lb-01\", \"lb-02\", \"app-01\"]\n" + extra +
           "[timing]\nconfirm_ms = 1200\n[etcd]\nendpoints = [\"http://198.18.1.11:2379\"]\n"
           "[database]\nuser = \"mon\"\npassword_file = \"" + (dir_ / "mon.pw").string() +
           "\"\nreplication_user = \"repl\"\nreplication_password_file = \"" + (dir_ / "repl.pw").string() +
           "\"\n[[database.servers]]\nname = \"db-01\"\naddress = \"198.18.1.31\"\n"
           "[[database.servers]]\nname = \"db-02\"\naddress = \"198.18.1.32\"\nport = 3307\n";
  }

  std::filesystem::path dir_;
};

TEST_F(SentinelConfigTest, ParsesEverythingAndReadsThePasswords) {
  auto config = ParseConfig(Text(), "s.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->name, "lb-01");
  EXPECT_EQ(config->Majority(), 2);
  EXPECT_EQ(config->timing.confirm.count(), 1200);
  EXPECT_EQ(config->timing.probe_interval.count(), 250);  // default
  ASSERT_EQ(config->servers.size(), 2u);
  EXPECT_EQ(config->servers[0].port, 3306);
  EXPECT_EQ(config->servers[1].port, 3307);
  EXPECT_EQ(config->FindServer("db-02")->address, "198.18.1.32");
  EXPECT_EQ(config->FindServer("db-03"), nullptr);
  EXPECT_EQ(config->monitor.password, "monitor-secret");
  EXPECT_EQ(config->replication.password, "repl-secret");
}

TEST_F(SentinelConfigTest, EndToEndTlsGivesEveryServerBothCaFiles) {
  auto plain = ParseConfig(Text(), "s.toml");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->servers[0].ssl_ca, "");  // the default: plain TCP, CHANGE MASTER as before
  EXPECT_EQ(plain->servers[0].master_ssl_ca, "");
  std::string text = Text();
  text.insert(text.find("[[database.servers]]"), "ssl_ca = \"/s/tls/ca.crt\"\n");
  text.insert(text.find("\n", text.find("198.18.1.31")) + 1, "master_ssl_ca = \"/h/db-01/data/tls/ca.crt\"\n");
  auto half = ParseConfig(text, "s.toml");  // db-02 has no master_ssl_ca
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("master_ssl_ca"), std::string::npos);
  text.insert(text.find("\n", text.find("198.18.1.32")) + 1, "master_ssl_ca = \"/h/db-02/data/tls/ca.crt\"\n");
  auto tls = ParseConfig(text, "s.toml");
  ASSERT_TRUE(tls.ok()) << tls.error().message;
  EXPECT_EQ(tls->servers[0].ssl_ca, "/s/tls/ca.crt");
  EXPECT_EQ(tls->servers[1].ssl_ca, "/s/tls/ca.crt");
  EXPECT_EQ(tls->servers[0].master_ssl_ca, "/h/db-01/data/tls/ca.crt");
  EXPECT_EQ(tls->servers[1].master_ssl_ca, "/h/db-02/data/tls/ca.crt");
}

TEST_F(SentinelConfigTest, ErrorsNameTheFileAndTheProblem) {
  auto missing_self = ParseConfig("name = \"x\"\n" + Text().substr(Text().find('\n') + 1), "s.toml");
  ASSERT_FALSE(missing_self.ok());
  EXPECT_NE(missing_self.error().message.find("s.toml: sentinels must list"), std::string::npos);
  std::filesystem::remove(dir_ / "repl.pw");
  auto no_password = ParseConfig(Text(), "s.toml");
  ASSERT_FALSE(no_password.ok());
  EXPECT_NE(no_password.error().message.find("repl.pw"), std::string::npos);
  EXPECT_FALSE(ParseConfig("name = ", "s.toml").ok());
}

}  // namespace
}  // namespace foobar::sentinel
