#include "ctl/render/alertmanager_config.h"

#include <gtest/gtest.h>

#include "ctl/render/monitoring_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

class RenderAlertmanagerTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadProduction();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "mon-01", state_.path());
  std::string cfg_ = RenderAlertmanagerConfig(ctx_);
};

TEST_F(RenderAlertmanagerTest, PathsAreUnderTheHostsTree) {
  EXPECT_EQ(AlertmanagerConfigPath(ctx_.paths), state_.path() / "hosts/mon-01/etc/alertmanager/alertmanager.yml");
  EXPECT_EQ(AlertmanagerDataPath(ctx_.paths), state_.path() / "hosts/mon-01/data/alertmanager");
}

TEST_F(RenderAlertmanagerTest, EverythingGoesToTheOperator) {
  EXPECT_TRUE(testing::HasDirective(cfg_, "receiver: operator"));
  EXPECT_TRUE(testing::HasDirective(cfg_, "- name: operator"));
  EXPECT_TRUE(testing::HasDirective(cfg_, "group_by: [alertname, host, vip]"));
}

TEST_F(RenderAlertmanagerTest, AmtoolAcceptsIt) {
  const auto amtool = testing::FindTool("amtool");
  if (!amtool) GTEST_SKIP() << "amtool not installed (make deps)";
  const auto path = AlertmanagerConfigPath(ctx_.paths);
  testing::WriteFile(path, cfg_);
  const auto result = testing::RunCommand(amtool->string() + " check-config " + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("2 inhibit rules"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
