#include "ctl/lab/lab_ca.h"
#include "ctl/render/monitoring_endpoints.h"

#include <gtest/gtest.h>

#include "ctl/render/haproxy_config.h"
#include "ctl/render/monitoring_test_support.h"
#include "ctl/render/nginx_config.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

class MonitoringEndpointsTest : public ::testing::Test {
 protected:
  Topology production_ = testing::LoadProduction();
  Topology seed_ = testing::LoadSeed();
  TempDir state_;
};

TEST_F(MonitoringEndpointsTest, NothingWithoutPrometheus) {
  EXPECT_EQ(HaproxyMetricsFrontend(ContextFor(seed_, "lb-01", state_.path())), "");
  EXPECT_EQ(NginxStubStatusServer(ContextFor(seed_, "app-01", state_.path())), "");
  EXPECT_EQ(KeepalivedNotifyDirective(ContextFor(seed_, "lb-01", state_.path())), "");
}

TEST_F(MonitoringEndpointsTest, HaproxyExporterOnThePrivateAddress) {
  const std::string cfg = RenderHaproxyConfig(ContextFor(production_, "lb-02", state_.path()));
  EXPECT_TRUE(testing::HasDirective(cfg, "frontend metrics"));
  EXPECT_TRUE(testing::HasDirective(cfg, "bind 198.18.1.12:8405"));
  EXPECT_TRUE(testing::HasDirective(cfg, "http-request use-service prometheus-exporter if { path /metrics }"));
}

TEST_F(MonitoringEndpointsTest, HaproxyAcceptsTheExporterFrontend) {
  const auto haproxy = testing::FindTool("haproxy");
  if (!haproxy) GTEST_SKIP() << "haproxy not installed";
  const RenderContext ctx = ContextFor(production_, "lb-01", state_.path());
  EnsureLabCertificates(production_, ctx.secrets);  // haproxy -c loads the site's certificate
  const auto path = HaproxyConfigPath(ctx.paths);
  testing::WriteFile(path, RenderHaproxyConfig(ctx));
  const auto result = testing::RunCommand(haproxy->string() + " -c -f " + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(MonitoringEndpointsTest, StubStatusOnLoopbackInsideHttp) {
  const std::string cfg = RenderNginxConfig(ContextFor(production_, "app-01", state_.path()));
  EXPECT_TRUE(testing::HasDirective(cfg, "listen 127.0.0.1:8081;"));
  EXPECT_TRUE(testing::HasDirective(cfg, "stub_status;"));
  // Inside the http block: the file still ends with the block's closing brace.
  EXPECT_EQ(cfg.substr(cfg.size() - 8), "    }\n}\n");
}

TEST_F(MonitoringEndpointsTest, NotifyDirectiveNamesTheScript) {
  const RenderContext ctx = ContextFor(production_, "lb-01", state_.path());
  EXPECT_EQ(KeepalivedNotifyDirective(ctx),
            "    # The VRRP state for Prometheus (node_exporter's textfile collector).\n    notify " +
                VrrpNotifyScriptPath(ctx.paths).string() + "\n");
}

// The script as keepalived runs it: a state change becomes a textfile for node_exporter.
TEST_F(MonitoringEndpointsTest, NotifyScriptWritesTheVrrpState) {
  const RenderContext ctx = ContextFor(production_, "lb-01", state_.path());
  const auto script = VrrpNotifyScriptPath(ctx.paths);
  testing::WriteFile(script, RenderVrrpNotifyScript(ctx));
  auto result = testing::RunCommand("sh " + script.string() + " INSTANCE vip-2 MASTER 100");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  result = testing::RunCommand("sh " + script.string() + " INSTANCE unknown MASTER 100");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::ifstream in(TextfileCollectorPath(ctx.paths) / "vrrp_vip-2.prom");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("foobar_vrrp_state{vrrp_instance=\"vip-2\",vip=\"198.18.0.20\",state=\"MASTER\"} 1\n"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("foobar_vrrp_state{vrrp_instance=\"vip-2\",vip=\"198.18.0.20\",state=\"BACKUP\"} 0\n"),
            std::string::npos)
      << text.str();
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(TextfileCollectorPath(ctx.paths))) ++files;
  EXPECT_EQ(files, 1u);  // nothing for an unknown instance, no temporary file left
}

}  // namespace
}  // namespace foobar::ctl
