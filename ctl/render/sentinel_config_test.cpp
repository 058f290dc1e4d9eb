#include "ctl/render/sentinel_config.h"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

Topology LoadProduction() {
  return LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
}

class RenderSentinelTest : public ::testing::Test {
 protected:
  Topology topology_ = LoadProduction();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "lb-02", state_.path());
  std::string text_ = RenderSentinelConfig(ctx_);
  toml::table toml_ = toml::parse(std::string_view(text_), std::string_view("sentinel.toml"));
};

TEST_F(RenderSentinelTest, PathsAreUnderTheHostsTree) {
  EXPECT_EQ(SentinelConfigPath(ctx_.paths), state_.path() / "hosts/lb-02/etc/sentinel/sentinel.toml");
  EXPECT_EQ(toml_["status_file"].value_or(std::string{}),
            (state_.path() / "hosts/lb-02/run/sentinel-status.json").string());
  EXPECT_EQ(text_.rfind("# Rendered by foobar from topology production — do not edit.\n", 0), 0u);
}

TEST_F(RenderSentinelTest, KnowsItselfAndEverySentinel) {
  EXPECT_EQ(toml_["name"].value_or(std::string{}), "lb-02");
  const auto* sentinels = toml_["sentinels"].as_array();
  ASSERT_NE(sentinels, nullptr);
  ASSERT_EQ(sentinels->size(), 3u);
  EXPECT_EQ((*sentinels)[2].value_or(std::string{}), "app-01");
}

TEST_F(RenderSentinelTest, OwnEtcdMemberComesFirst) {
  const auto* endpoints = toml_["etcd"]["endpoints"].as_array();
  ASSERT_NE(endpoints, nullptr);
  ASSERT_EQ(endpoints->size(), 3u);
  EXPECT_EQ((*endpoints)[0].value_or(std::string{}), "http://198.18.1.12:2379");
  EXPECT_EQ((*endpoints)[1].value_or(std::string{}), "http://198.18.1.11:2379");
  EXPECT_EQ((*endpoints)[2].value_or(std::string{}), "http://198.18.1.21:2379");
}

TEST_F(RenderSentinelTest, EveryDatabaseServerByAddress) {
  const auto* servers = toml_["database"]["servers"].as_array();
  ASSERT_NE(servers, nullptr);
  ASSERT_EQ(servers->size(), 2u);
  const auto& first = *(*servers)[0].as_table();
  EXPECT_EQ(first["name"].value_or(std::string{}), "db-01");
  EXPECT_EQ(first["address"].value_or(std::string{}), "198.18.1.31");
  EXPECT_EQ(first["port"].value_or(0), 3306);
  EXPECT_EQ((*(*servers)[1].as_table())["name"].value_or(std::string{}), "db-02");
}

TEST_F(RenderSentinelTest, CredentialsAreFilesNeverPasswords) {
  EXPECT_EQ(toml_["database"]["user"].value_or(std::string{}), "foobar_sentinel");
  EXPECT_EQ(toml_["database"]["password_file"].value_or(std::string{}),
            (state_.path() / "secrets/db-sentinel.lb-02.password").string());  // its own password
  EXPECT_EQ(toml_["database"]["replication_user"].value_or(std::string{}), "foobar_repl");
  EXPECT_EQ(toml_["database"]["replication_password_file"].value_or(std::string{}),
            (state_.path() / "secrets/db-repl.password").string());
  EXPECT_FALSE(toml_["database"]["password"]);
}

TEST_F(RenderSentinelTest, TimingsAreSet) {
  EXPECT_EQ(toml_["timing"]["probe_interval_ms"].value_or(0), 250);
  EXPECT_EQ(toml_["timing"]["confirm_ms"].value_or(0), 1000);
  EXPECT_EQ(toml_["timing"]["lease_ttl_s"].value_or(0), 3);
}

}  // namespace
}  // namespace foobar::ctl
