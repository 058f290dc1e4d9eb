// Monitoring of the production topology: Prometheus on the monitoring host scrapes every exporter
// the topology implies, the outside-in probe from the client succeeds, an app server whose Nginx
// stops fires AppServerDown within a minute (seen in Prometheus's ALERTS and by `foobar alerts`)
// and resolves within a minute of its return, the dashboard renders live numbers in headless
// Chromium (screenshot in tests/artifacts/dashboard.png), and `foobar diagram` draws the site.
// Every fault is undone by a guard, whatever the assertions said.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The `result` array of an instant query, asked on the monitoring host's loopback (the only place
// Prometheus listens); an empty array and a failed expectation if it does not answer.
json Query(const std::string& promql) {
  const CommandResult r = ExecOn(MonitoringHost(), {"curl", "-sS", "--max-time", "5", "-G", "--data-urlencode",
                                                    "query=" + promql, "http://127.0.0.1:9090/api/v1/query"});
  const json body = json::parse(r.out, nullptr, false);
  if (!r.ok() || !body.is_object() || body.value("status", "") != "success") {
    ADD_FAILURE() << promql << ": " << lab_test::Describe(r);
    return json::array();
  }
  return body["data"]["result"];
}

struct Target {
  std::string job, host, url, health, error;
};

std::vector<Target> Targets() {
  std::vector<Target> out;
  const CommandResult r =
      ExecOn(MonitoringHost(), {"curl", "-sS", "--max-time", "5", "http://127.0.0.1:9090/api/v1/targets"});
  const json body = json::parse(r.out, nullptr, false);
  if (!r.ok() || !body.is_object()) return out;
  for (const auto& t : body["data"]["activeTargets"])
    out.push_back({t["labels"].value("job", ""), t["labels"].value("host", ""), t.value("scrapeUrl", ""),
                   t.value("health", ""), t.value("lastError", "")});
  return out;
}

std::string DescribeTargets(const std::vector<Target>& targets) {
  std::string out;
  for (const auto& t : targets)
    out += "\n  " + t.job + " " + t.host + " " + t.url + " " + t.health + (t.error.empty() ? "" : ": " + t.error);
  return out;
}

// The firing ALERTS series named `alert` with label host=`host`.
bool Firing(const std::string& alert, const std::string& host) {
  return !Query("ALERTS{alertname=\"" + alert + "\", host=\"" + host + "\", alertstate=\"firing\"}").empty();
}

// Any ALERTS series (pending or firing) named `alert` for `host`.
bool Active(const std::string& alert, const std::string& host) {
  return !Query("ALERTS{alertname=\"" + alert + "\", host=\"" + host + "\"}").empty();
}

class ProductionMonitoring : public ::testing::Test {
 protected:
  void SetUp() override {
    if (MonitoringHost().empty()) GTEST_SKIP() << "the lab's topology has no prometheus host";
  }
};

TEST_F(ProductionMonitoring, EveryScrapeTargetIsUp) {
  std::vector<Target> targets;
  // Prometheus's first scrape of each target comes within one interval (5 s) of its start.
  const bool all_up = PollUntil(60s, [&] {
    targets = Targets();
    if (targets.empty()) return false;
    for (const auto& t : targets)
      if (t.health != "up") return false;
    return true;
  });
  EXPECT_TRUE(all_up) << "targets:" << DescribeTargets(targets);

  // Every exporter the topology implies is a target: one per host and service.
  std::set<std::pair<std::string, std::string>> scraped;
  for (const auto& t : targets) scraped.insert({t.job, t.host});
  const std::vector<std::pair<std::string, std::string>> jobs = {
      {"node", "node_exporter"}, {"haproxy", "haproxy"},   {"nginx", "nginx_exporter"},
      {"mysqld", "mysqld_exporter"}, {"foobar_app", "app"}, {"prometheus", "prometheus"},
      {"alertmanager", "alertmanager"}};
  for (const auto& [job, service] : jobs)
    for (const ctl::Host* h : LabTopology().HostsRunning(service))
      EXPECT_TRUE(scraped.count({job, h->name})) << job << " on " << h->name << " is not scraped;" << DescribeTargets(targets);
  for (const char* probe : {"blackbox_site", "blackbox_site_addresses", "blackbox_dns"})
    EXPECT_TRUE(std::any_of(targets.begin(), targets.end(), [&](const Target& t) { return t.job == probe; }))
        << probe;
  // Every server runs node_exporter (derived by the model): the load balancers included.
  for (const ctl::Host* lb : LabTopology().HostsRunning("haproxy"))
    EXPECT_TRUE(scraped.count({"node", lb->name})) << lb->name;
}

TEST_F(ProductionMonitoring, OutsideInProbeSucceeds) {
  json probes;
  const bool ok = PollUntil(30s, [&] {
    probes = Query("probe_success{job=\"blackbox_site\"}");
    if (probes.size() < 2) return false;
    for (const auto& p : probes)
      if (p["value"][1] != "1") return false;
    return true;
  });
  EXPECT_TRUE(ok) << probes.dump();
  for (const auto& p : probes) EXPECT_EQ(p["metric"].value("host", ""), "client") << p.dump();
}

// Starts the service again whatever the test did.
struct RestartGuard {
  std::string host, service;
  ~RestartGuard() {
    const CommandResult r = Foobar({"start", host, service});
    if (!r.ok()) ADD_FAILURE() << "could not restart " << service << " on " << host << ": " << lab_test::Describe(r);
  }
};

TEST_F(ProductionMonitoring, StoppedAppServerFiresAlertWithinAMinuteAndResolves) {
  const auto apps = LabTopology().HostsRunning("nginx");
  ASSERT_FALSE(apps.empty());
  const std::string app = apps.front()->name;
  ASSERT_TRUE(PollUntil(60s, [&] { return !Active("AppServerDown", app); }))
      << "AppServerDown is active for " << app << " before the test";

  const auto stopped = std::chrono::steady_clock::now();
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  {
    RestartGuard guard{app, "nginx"};
    const CommandResult stop = Foobar({"stop", app, "nginx"});
    ASSERT_TRUE(stop.ok()) << lab_test::Describe(stop);

    ASSERT_TRUE(PollUntil(60s, [&] { return Firing("AppServerDown", app); }))
        << "AppServerDown did not fire for " << app << " within 60 s of stopping its Nginx";
    const double fired_after = seconds_since(stopped);
    std::printf("AppServerDown for %s firing %.1f s after its Nginx stopped\n", app.c_str(), fired_after);
    EXPECT_LT(fired_after, 60.0);

    // It reached the operator's receiver: `foobar alerts` lists it.
    bool listed = PollUntil(20s, [&] {
      const CommandResult alerts = Foobar({"alerts"});
      return alerts.ok() && alerts.out.find("AppServerDown") != std::string::npos &&
             alerts.out.find("host=" + app) != std::string::npos;
    });
    EXPECT_TRUE(listed) << lab_test::Describe(Foobar({"alerts"}));
    const CommandResult json_alerts = Foobar({"alerts", "--json"});
    EXPECT_TRUE(json_alerts.ok() && json::parse(json_alerts.out, nullptr, false).is_array())
        << lab_test::Describe(json_alerts);
  }  // the guard starts Nginx again

  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(PollUntil(60s, [&] { return !Active("AppServerDown", app); }))
      << "AppServerDown still active for " << app << " 60 s after its Nginx came back";
  std::printf("AppServerDown for %s resolved %.1f s after its Nginx started\n", app.c_str(), seconds_since(started));
}

TEST_F(ProductionMonitoring, DashboardRendersLiveNumbersInChromium) {
  const std::string screenshot = std::string(FOOBAR_SOURCE_DIR) + "/tests/artifacts/dashboard.png";
  std::remove(screenshot.c_str());
  // Chromium runs inside the monitoring host, where Prometheus (and the page) listen.
  const CommandResult r = ExecOn(MonitoringHost(),
                                 {"node", std::string(FOOBAR_SOURCE_DIR) + "/tests/browser/dashboard.mjs",
                                  "http://127.0.0.1:9090/user/", screenshot},
                                 "", 90);
  const json result = json::parse(r.out.substr(0, r.out.find('\n')), nullptr, false);
  ASSERT_TRUE(r.ok() && result.is_object() && result.value("ok", false)) << lab_test::Describe(r);
  std::printf("dashboard: %s\n", r.out.c_str());
  EXPECT_GT(result.value("coloured_boxes", 0), 5) << r.out;
  size_t servers = 0;  // the load generator and the admin host run nothing
  for (const auto& host : LabTopology().hosts) servers += host.services.empty() ? 0 : 1;
  EXPECT_EQ(result["hosts"].size(), servers) << r.out;
  EXPECT_TRUE(std::ifstream(screenshot).good()) << screenshot;
}

TEST_F(ProductionMonitoring, DiagramCommandDrawsTheSite) {
  const std::string out = "/tmp/foobar-diagram-test.svg";
  const CommandResult r = Foobar({"diagram", "--out", out});
  ASSERT_TRUE(r.ok()) << lab_test::Describe(r);
  EXPECT_NE(r.out.find("coloured by health"), std::string::npos) << r.out;
  std::ifstream in(out);
  std::stringstream svg;
  svg << in.rdbuf();
  EXPECT_NE(svg.str().find("<svg"), std::string::npos);
  // Graphviz writes each '-' of an id as "&#45;".
  for (const ctl::Host* lb : LabTopology().HostsRunning("haproxy")) {
    std::string id = "host-" + lb->name;
    for (auto at = id.find('-'); at != std::string::npos; at = id.find('-', at)) id.replace(at, 1, "&#45;");
    EXPECT_NE(svg.str().find("id=\"" + id + "\""), std::string::npos) << id;
  }
  std::remove(out.c_str());
}

}  // namespace
}  // namespace foobar::lab_test
