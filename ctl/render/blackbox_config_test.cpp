#include "ctl/render/blackbox_config.h"

#include <gtest/gtest.h>

#include "ctl/render/monitoring_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

class RenderBlackboxTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadProduction();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "client", state_.path());
  std::string cfg_ = RenderBlackboxConfig(ctx_);
};

TEST_F(RenderBlackboxTest, ThePrometheusJobsModules) {
  EXPECT_EQ(BlackboxConfigPath(ctx_.paths), state_.path() / "hosts/client/etc/blackbox_exporter/blackbox.yml");
  for (const char* module : {"http_site:", "http_site_address:", "dns_site:"})
    EXPECT_TRUE(testing::HasDirective(cfg_, module)) << module;
  EXPECT_TRUE(testing::HasDirective(cfg_, "Host: www.foobar.com"));
  EXPECT_TRUE(testing::HasDirective(cfg_, "query_name: www.foobar.com"));
}

TEST_F(RenderBlackboxTest, TheExporterAcceptsIt) {
  const auto blackbox = testing::FindTool("prometheus-blackbox-exporter");
  if (!blackbox) GTEST_SKIP() << "prometheus-blackbox-exporter not installed (make deps)";
  const auto path = BlackboxConfigPath(ctx_.paths);
  testing::WriteFile(path, cfg_);
  const auto result = testing::RunCommand(blackbox->string() + " --config.check --config.file=" + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
