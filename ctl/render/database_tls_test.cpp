// [security] end_to_end_tls on the database side, as the renderers write it: MariaDB's own
// certificate and no plain TCP, the app's and the sentinels' CA, every CHANGE MASTER over
// verified TLS, and Nginx reachable on 443 only. The default (off) renders none of it.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "common/replication_tls.h"
#include "ctl/render/app_config.h"
#include "ctl/render/firewall_config.h"
#include "ctl/render/mariadb_config.h"
#include "ctl/render/render_test_support.h"
#include "ctl/render/sentinel_config.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::HasDirective;
using testing::TempDir;

std::string ProductionText() {
  std::ifstream in(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class DatabaseTlsRenderTest : public ::testing::Test {
 protected:
  Topology plain_ = ParseTopology(ProductionText(), "production");
  Topology tls_ = ParseTopology(ProductionText() + "\n[security]\nend_to_end_tls = true\n", "production e2e");
  TempDir state_;
  std::string Host(const std::string& name) const { return (state_.path() / "hosts" / name).string(); }
  std::string Secrets() const { return (state_.path() / "secrets").string(); }
};

TEST_F(DatabaseTlsRenderTest, MariadbServesItsOwnCertificateAndRefusesPlainTcp) {
  const std::string cnf = RenderMariadbConfig(ContextFor(tls_, "db-02", state_.path()));
  for (const std::string& line :
       {"ssl_cert = " + Host("db-02") + "/data/tls/server.crt", "ssl_key = " + Host("db-02") + "/data/tls/server.key",
        "ssl_ca = " + Host("db-02") + "/data/tls/ca.crt", std::string("tls_version = TLSv1.2,TLSv1.3"),
        std::string("require_secure_transport = ON")})
    EXPECT_TRUE(HasDirective(cnf, line)) << line;
  const std::string plain = RenderMariadbConfig(ContextFor(plain_, "db-02", state_.path()));
  EXPECT_EQ(plain.find("ssl_"), std::string::npos);
  EXPECT_EQ(plain.find("require_secure_transport"), std::string::npos);
}

TEST_F(DatabaseTlsRenderTest, TheAppVerifiesTheServersWithTheLabCa) {
  const auto tls = toml::parse(RenderAppConfig(ContextFor(tls_, "app-01", state_.path())));
  EXPECT_EQ(tls["database"]["ssl_ca"].value_or(std::string{}), Secrets() + "/tls/ca.crt");
  const auto plain = toml::parse(RenderAppConfig(ContextFor(plain_, "app-01", state_.path())));
  EXPECT_FALSE(plain["database"]["ssl_ca"]);
}

TEST_F(DatabaseTlsRenderTest, SentinelsVerifyServersAndGiveEachReplicaItsOwnCa) {
  const auto tls = toml::parse(RenderSentinelConfig(ContextFor(tls_, "lb-01", state_.path())));
  EXPECT_EQ(tls["database"]["ssl_ca"].value_or(std::string{}), Secrets() + "/tls/ca.crt");
  const auto* servers = tls["database"]["servers"].as_array();
  ASSERT_NE(servers, nullptr);
  ASSERT_EQ(servers->size(), 2u);
  for (const auto& server : *servers) {
    const auto& table = *server.as_table();
    const std::string name = table["name"].value_or(std::string{});
    EXPECT_EQ(table["master_ssl_ca"].value_or(std::string{}), Host(name) + "/data/tls/ca.crt") << name;
  }
  const std::string plain = RenderSentinelConfig(ContextFor(plain_, "lb-01", state_.path()));
  EXPECT_EQ(plain.find("ssl_ca"), std::string::npos);
}

TEST_F(DatabaseTlsRenderTest, ChangeMasterVerifiesThePrimaryOnlyWithACa) {
  EXPECT_EQ(db_cluster::ChangeMasterTlsOptions(""), "");
  EXPECT_EQ(db_cluster::ChangeMasterTlsOptions("'/d/ca.crt'"),
            ", MASTER_SSL = 1, MASTER_SSL_CA = '/d/ca.crt', MASTER_SSL_VERIFY_SERVER_CERT = 1");
}

TEST_F(DatabaseTlsRenderTest, AppServersLetTheBalancersInOnTheTlsPortOnly) {
  const std::string tls = RenderFirewallConfig(ContextFor(tls_, "app-01", state_.path()));
  EXPECT_TRUE(HasDirective(tls, "ip saddr { 198.18.1.11, 198.18.1.12 } ip daddr { 198.18.1.21 } tcp dport { 443 } accept"));
  const std::string plain = RenderFirewallConfig(ContextFor(plain_, "app-01", state_.path()));
  EXPECT_TRUE(
      HasDirective(plain, "ip saddr { 198.18.1.11, 198.18.1.12 } ip daddr { 198.18.1.21 } tcp dport { 80, 443 } accept"));
}

}  // namespace
}  // namespace foobar::ctl
