#include "ctl/render/prometheus_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ctl/render/alert_rules.h"
#include "ctl/render/monitoring.h"
#include "ctl/render/monitoring_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::DirectivesStartingWith;
using testing::TempDir;

class RenderPrometheusTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadProduction();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "mon-01", state_.path());
  std::string cfg_ = RenderPrometheusConfig(ctx_);

  // The `- targets: [...]` lines of one job, in order.
  std::vector<std::string> TargetsOf(const std::string& job) const {
    const auto begin = cfg_.find("- job_name: " + job + "\n");
    if (begin == std::string::npos) return {};
    const auto end = cfg_.find("- job_name:", begin + 1);
    return DirectivesStartingWith(cfg_.substr(begin, end == std::string::npos ? std::string::npos : end - begin),
                                  "- targets: ");
  }
};

TEST_F(RenderPrometheusTest, PathsAreUnderTheHostsTree) {
  EXPECT_EQ(PrometheusConfigPath(ctx_.paths), state_.path() / "hosts/mon-01/etc/prometheus/prometheus.yml");
  EXPECT_EQ(PrometheusRulesPath(ctx_.paths), state_.path() / "hosts/mon-01/etc/prometheus/rules/foobar.rules.yml");
  EXPECT_EQ(PrometheusDataPath(ctx_.paths), state_.path() / "hosts/mon-01/data/prometheus");
  EXPECT_EQ(DashboardPath(ctx_.paths), state_.path() / "hosts/mon-01/www/dashboard");
}

TEST_F(RenderPrometheusTest, NodeExporterOnEveryServerAtItsPrivateAddressElsePublic) {
  EXPECT_EQ(TargetsOf("node"), (std::vector<std::string>{
                                   R"(- targets: ["198.18.0.2:9100"])",    // dns: public only
                                   R"(- targets: ["198.18.1.11:9100"])", R"(- targets: ["198.18.1.12:9100"])",
                                   R"(- targets: ["198.18.1.21:9100"])", R"(- targets: ["198.18.1.22:9100"])",
                                   R"(- targets: ["198.18.1.31:9100"])", R"(- targets: ["198.18.1.32:9100"])",
                                   R"(- targets: ["198.18.1.40:9100"])",
                               }));
}

TEST_F(RenderPrometheusTest, EachExporterBesideWhatItWatches) {
  EXPECT_EQ(TargetsOf("haproxy"), (std::vector<std::string>{R"(- targets: ["198.18.1.11:8405"])",
                                                            R"(- targets: ["198.18.1.12:8405"])"}));
  EXPECT_EQ(TargetsOf("nginx"), (std::vector<std::string>{R"(- targets: ["198.18.1.21:9113"])",
                                                          R"(- targets: ["198.18.1.22:9113"])"}));
  EXPECT_EQ(TargetsOf("mysqld"), (std::vector<std::string>{R"(- targets: ["198.18.1.31:9104"])",
                                                           R"(- targets: ["198.18.1.32:9104"])"}));
  EXPECT_EQ(TargetsOf("foobar_app"), (std::vector<std::string>{R"(- targets: ["198.18.1.21:9464"])",
                                                               R"(- targets: ["198.18.1.22:9464"])"}));
  EXPECT_EQ(TargetsOf("prometheus"), std::vector<std::string>{R"(- targets: ["127.0.0.1:9090"])"});
  EXPECT_EQ(TargetsOf("alertmanager"), std::vector<std::string>{R"(- targets: ["127.0.0.1:9093"])"});
}

TEST_F(RenderPrometheusTest, TargetsAreLabelledWithTheirHost) {
  const auto begin = cfg_.find("- job_name: node\n");
  ASSERT_NE(begin, std::string::npos);
  EXPECT_NE(cfg_.find("- targets: [\"198.18.1.31:9100\"]\n        labels:\n          host: \"db-01\"\n", begin),
            std::string::npos);
}

TEST_F(RenderPrometheusTest, ProbesRunOnTheClientAgainstTheSiteByName) {
  EXPECT_EQ(TargetsOf("blackbox_site"),
            (std::vector<std::string>{R"(- targets: ["https://www.foobar.com/"])",
                                      R"(- targets: ["https://www.foobar.com/api/messages?limit=1"])"}));
  EXPECT_EQ(TargetsOf("blackbox_site_addresses"),
            (std::vector<std::string>{R"(- targets: ["https://198.18.0.10/"])", R"(- targets: ["https://198.18.0.20/"])"}));
  EXPECT_EQ(TargetsOf("blackbox_dns"), std::vector<std::string>{R"(- targets: ["198.18.0.2"])"});
  EXPECT_NE(cfg_.find("replacement: \"198.18.0.100:9115\""), std::string::npos);
  EXPECT_NE(cfg_.find("vip: \"vip-2\""), std::string::npos);
}

TEST_F(RenderPrometheusTest, ShortLabIntervalsAndRuleFileAndAlertmanager) {
  EXPECT_NE(cfg_.find("  scrape_interval: 5s\n"), std::string::npos);
  EXPECT_NE(cfg_.find("  evaluation_interval: 5s\n"), std::string::npos);
  EXPECT_NE(cfg_.find("  - \"" + PrometheusRulesPath(ctx_.paths).string() + "\"\n"), std::string::npos);
  EXPECT_NE(cfg_.find(R"(- targets: ["127.0.0.1:9093"])"), std::string::npos);
}

TEST_F(RenderPrometheusTest, OnlyOnThePrometheusHost) {
  EXPECT_THROW(RenderPrometheusConfig(ContextFor(topology_, "lb-01", state_.path())), std::invalid_argument);
}

// promtool parses the config and the rule file it names, like Prometheus would at start.
TEST_F(RenderPrometheusTest, PromtoolAcceptsConfigAndRules) {
  const auto promtool = testing::FindTool("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not installed (make deps)";
  testing::WriteFile(PrometheusConfigPath(ctx_.paths), cfg_);
  testing::WriteFile(PrometheusRulesPath(ctx_.paths), RenderAlertRules(ctx_));
  const auto result = testing::RunCommand(promtool->string() + " check config " + PrometheusConfigPath(ctx_.paths).string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
