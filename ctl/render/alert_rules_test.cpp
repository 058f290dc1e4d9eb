#include "ctl/render/alert_rules.h"

#include <gtest/gtest.h>

#include "ctl/render/monitoring_test_support.h"

namespace foobar::ctl {
namespace {

using testing::ContextFor;
using testing::TempDir;

class RenderAlertRulesTest : public ::testing::Test {
 protected:
  Topology topology_ = testing::LoadProduction();
  TempDir state_;
  RenderContext ctx_ = ContextFor(topology_, "mon-01", state_.path());
  std::string rules_ = RenderAlertRules(ctx_);

  bool HasAlert(const std::string& name) const { return rules_.find("- alert: " + name + "\n") != std::string::npos; }
};

TEST_F(RenderAlertRulesTest, EveryAlertTheIssueAsksFor) {
  for (const char* name : {"HostDown", "LoadBalancerDown", "AppServerDown", "NginxDown", "VipHeldByNone",
                           "VipHeldByMany", "NoWritablePrimary", "ManyWritablePrimaries", "ReplicaBroken",
                           "ReplicaLagging", "SiteErrorBudgetBurnFast", "SiteErrorBudgetBurnSlow",
                           "SiteLatencyOverBudget", "SiteProbeFailing", "DiskNearlyFull", "CertificateExpiresSoon"})
    EXPECT_TRUE(HasAlert(name)) << name;
}

TEST_F(RenderAlertRulesTest, OnePairOfVipAlertsPerVip) {
  for (const char* address : {"198.18.0.10", "198.18.0.20"}) {
    const std::string holders = std::string(R"(sum(foobar_vrrp_state{vip=")") + address + R"(", state="MASTER"}))";
    size_t count = 0;
    for (auto at = rules_.find(holders); at != std::string::npos; at = rules_.find(holders, at + 1)) ++count;
    EXPECT_EQ(count, 2u) << address;
  }
}

TEST_F(RenderAlertRulesTest, NoVipAlertsWithoutVips) {
  const std::string seed_rules = RenderAlertRules(ContextFor(testing::LoadSeed(), "lb-01", state_.path()));
  EXPECT_EQ(seed_rules.find("VipHeldBy"), std::string::npos);
}

TEST_F(RenderAlertRulesTest, ThresholdsAreTheDocumentedOnes) {
  EXPECT_NE(rules_.find("mysql_slave_status_seconds_behind_master > 5\n"), std::string::npos);
  EXPECT_NE(rules_.find("foobar:site_errors:ratio_rate5m > 0.0144\n"), std::string::npos);
  EXPECT_NE(rules_.find("foobar:site_errors:ratio_rate6h > 0.0060\n"), std::string::npos);
  EXPECT_NE(rules_.find(R"(foobar:site_latency_seconds:rate5m{quantile="0.99"} > 0.5)"), std::string::npos);
  EXPECT_NE(rules_.find("probe_ssl_earliest_cert_expiry - time() < 14 * 86400"), std::string::npos);
}

TEST_F(RenderAlertRulesTest, PromtoolAcceptsTheRules) {
  const auto promtool = testing::FindTool("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not installed (make deps)";
  const auto path = state_.path() / "foobar.rules.yml";
  testing::WriteFile(path, rules_);
  const auto result = testing::RunCommand(promtool->string() + " check rules " + path.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

// The rules evaluated by promtool on made-up series: each alert fires when it should, and only
// after its `for`.
constexpr const char* kRuleTests = R"yaml(rule_files:
  - foobar.rules.yml
evaluation_interval: 5s
tests:
  # app-01 fails both load balancers' health checks from t=10s.
  - interval: 5s
    input_series:
      - series: 'haproxy_server_status{job="haproxy",host="lb-01",proxy="app_servers",server="app-01",state="UP"}'
        values: '1 1 0x20'
      - series: 'haproxy_server_status{job="haproxy",host="lb-02",proxy="app_servers",server="app-01",state="UP"}'
        values: '1 1 0x20'
      - series: 'haproxy_server_status{job="haproxy",host="lb-01",proxy="app_servers",server="app-02",state="UP"}'
        values: '1x22'
    alert_rule_test:
      - eval_time: 15s
        alertname: AppServerDown
        exp_alerts: []
      - eval_time: 30s
        alertname: AppServerDown
        exp_alerts:
          - exp_labels: {severity: critical, host: app-01, server: app-01}
            exp_annotations: {summary: "app server app-01 fails the load balancers' health check"}
    promql_expr_test:
      - expr: foobar:host_health
        eval_time: 30s
        exp_samples:
          - labels: 'foobar:host_health{host="app-01"}'
            value: 0
          - labels: 'foobar:host_health{host="app-02"}'
            value: 1
  # vip-1 held by nobody, vip-2 by both load balancers.
  - interval: 5s
    input_series:
      - series: 'foobar_vrrp_state{host="lb-01",vrrp_instance="vip-1",vip="198.18.0.10",state="MASTER"}'
        values: '0x10'
      - series: 'foobar_vrrp_state{host="lb-02",vrrp_instance="vip-1",vip="198.18.0.10",state="MASTER"}'
        values: '0x10'
      - series: 'foobar_vrrp_state{host="lb-01",vrrp_instance="vip-2",vip="198.18.0.20",state="MASTER"}'
        values: '1x10'
      - series: 'foobar_vrrp_state{host="lb-02",vrrp_instance="vip-2",vip="198.18.0.20",state="MASTER"}'
        values: '1x10'
    alert_rule_test:
      - eval_time: 20s
        alertname: VipHeldByNone
        exp_alerts:
          - exp_labels: {severity: critical, vip: vip-1, vip_address: 198.18.0.10}
            exp_annotations: {summary: "vip-1 (198.18.0.10) is held by no load balancer"}
      - eval_time: 20s
        alertname: VipHeldByMany
        exp_alerts:
          - exp_labels: {severity: critical, vip: vip-2, vip_address: 198.18.0.20}
            exp_annotations: {summary: "vip-2 (198.18.0.20) is held by 2 load balancers at once"}
  # Both databases read-only (nobody writable); db-02 a replica 12 s behind.
  - interval: 5s
    input_series:
      - series: 'mysql_global_variables_read_only{host="db-01",instance="a"}'
        values: '1x10'
      - series: 'mysql_global_variables_read_only{host="db-02",instance="b"}'
        values: '1x10'
      - series: 'mysql_slave_status_slave_io_running{host="db-02",instance="b"}'
        values: '1x10'
      - series: 'mysql_slave_status_slave_sql_running{host="db-02",instance="b"}'
        values: '1x10'
      - series: 'mysql_slave_status_seconds_behind_master{host="db-02",instance="b"}'
        values: '12x10'
    alert_rule_test:
      - eval_time: 40s
        alertname: NoWritablePrimary
        exp_alerts:
          - exp_labels: {severity: critical}
            exp_annotations: {summary: "no MariaDB server is writable: writes fail"}
      - eval_time: 40s
        alertname: ReplicaBroken
        exp_alerts:
          - exp_labels: {severity: critical, host: db-01, instance: a}
            exp_annotations: {summary: "replica db-01 does not replicate"}
      - eval_time: 40s
        alertname: ReplicaLagging
        exp_alerts:
          - exp_labels: {severity: warning, host: db-02, instance: b}
            exp_annotations: {summary: "replica db-02 is 12 s behind (bound 5 s): reads avoid it"}
  # The outside-in probe fails from t=10s.
  - interval: 5s
    input_series:
      - series: 'probe_success{job="blackbox_site",host="client",instance="http://www.foobar.com/"}'
        values: '1 1 0x10'
    alert_rule_test:
      - eval_time: 35s
        alertname: SiteProbeFailing
        exp_alerts:
          - exp_labels: {severity: critical, job: blackbox_site, host: client, instance: "http://www.foobar.com/"}
            exp_annotations: {summary: "http://www.foobar.com/ fails from the client (outside-in probe)"}
)yaml";

TEST_F(RenderAlertRulesTest, AlertsFireOnMadeUpSeries) {
  const auto promtool = testing::FindTool("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not installed (make deps)";
  testing::WriteFile(state_.path() / "foobar.rules.yml", rules_);
  testing::WriteFile(state_.path() / "tests.yml", kRuleTests);
  const auto result = testing::RunCommand(promtool->string() + " test rules " + (state_.path() / "tests.yml").string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace foobar::ctl
