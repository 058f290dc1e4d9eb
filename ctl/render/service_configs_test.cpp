#include "ctl/render/service_configs.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ctl/render/render_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

class RenderServiceConfigsTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadSeed();
  TempDir state_;
};

TEST_F(RenderServiceConfigsTest, EveryKnownServiceHasAConfigPath) {
  const HostPaths host{state_.path() / "hosts/h"};
  EXPECT_EQ(ServiceConfigPath(host, "dns"), host.Etc() / "dnsmasq/dnsmasq.conf");
  EXPECT_EQ(ServiceConfigPath(host, "haproxy"), host.Etc() / "haproxy/haproxy.cfg");
  EXPECT_EQ(ServiceConfigPath(host, "nginx"), host.Etc() / "nginx/nginx.conf");
  EXPECT_EQ(ServiceConfigPath(host, "mariadb"), host.Etc() / "mariadb/my.cnf");
  EXPECT_EQ(ServiceConfigPath(host, "app"), host.Etc() / "app/app.toml");
  for (const auto& service : KnownServices()) EXPECT_NO_THROW(ServiceConfigPath(host, service));
  EXPECT_THROW(ServiceConfigPath(host, "sendmail"), std::invalid_argument);
}

TEST_F(RenderServiceConfigsTest, RendersAServiceTheHostRuns) {
  const RenderContext ctx = ContextFor(topology_, "lb-01", state_.path());
  const RenderedConfig config = RenderServiceConfig(ctx, "haproxy");
  EXPECT_EQ(config.path, ctx.paths.Etc() / "haproxy/haproxy.cfg");
  EXPECT_NE(config.content.find("balance leastconn"), std::string::npos);
}

TEST_F(RenderServiceConfigsTest, ThrowsForAServiceTheHostDoesNotRun) {
  const RenderContext ctx = ContextFor(topology_, "app-01", state_.path());
  EXPECT_THROW(RenderServiceConfig(ctx, "mariadb"), std::invalid_argument);
  EXPECT_THROW(RenderServiceConfig(ctx, "haproxy"), std::invalid_argument);
  EXPECT_THROW(RenderServiceConfig(ctx, "sendmail"), std::invalid_argument);
}

TEST_F(RenderServiceConfigsTest, EveryHostGetsOneConfigPerService) {
  for (const auto& host : topology_.hosts) {
    const auto configs = RenderHostConfigs(ContextFor(topology_, host.name, state_.path()));
    ASSERT_EQ(configs.size(), host.services.size()) << host.name;
    for (size_t i = 0; i < configs.size(); ++i) {
      EXPECT_EQ(configs[i].path.parent_path().parent_path(),
                state_.path() / "hosts" / host.name / "etc");
      EXPECT_EQ(
          configs[i].content.rfind("# Rendered by foobar from topology seed — do not edit.\n# ", 0),
          0u)
          << host.name << " " << host.services[i];
    }
  }
}

TEST_F(RenderServiceConfigsTest, RefusesPathsThatConfigsCannotHoldBare) {
  const RenderContext ctx = ContextFor(topology_, "lb-01", state_.path() / "with space");
  EXPECT_THROW(RenderServiceConfig(ctx, "haproxy"), std::invalid_argument);
}

// The exporters are configured by their command lines alone: no file to write.
TEST_F(RenderServiceConfigsTest, ExportersHaveNoConfigFile) {
  const Topology production =
      LoadTopologyFile(std::string(FOOBAR_SOURCE_DIR) + "/topologies/production.toml");
  const RenderContext ctx = ContextFor(production, "db-01", state_.path());
  for (const char* service : {"node_exporter", "mysqld_exporter"}) {
    EXPECT_EQ(ServiceConfigPath(ctx.paths, service), std::filesystem::path()) << service;
    const RenderedConfig config = RenderServiceConfig(ctx, service);
    EXPECT_TRUE(config.path.empty()) << service;
    EXPECT_NE(config.content.find("has no config file"), std::string::npos) << service;
  }
  EXPECT_EQ(RenderHostConfigs(ctx).size(), 2u);  // mariadb's my.cnf and sshd_config
  EXPECT_EQ(ServiceConfigPath(ctx.paths, "prometheus"), ctx.paths.Etc() / "prometheus/prometheus.yml");
}

}  // namespace
}  // namespace foobar::ctl
