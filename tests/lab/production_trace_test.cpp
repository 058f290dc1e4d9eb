// Observability of one request and of the app (issue 5), in the production lab: the app's own
// /metrics (scraped from the monitoring host, and in Prometheus) counts the requests a client
// sends; `foobar trace ID` follows a real request from the client through a load balancer,
// an app server's Nginx and the app to the database target it used; `foobar logs` lists,
// tails and follows logs, and says clearly when a host or service is unknown.
// Changes nothing in the lab. About 35 s: waiting for Prometheus's next scrape, and 12 s of
// `foobar logs --follow`.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kMessagesUrl = std::string(kSiteUrl) + "/api/messages";

// The total of foobar_http_requests_total over every app server, scraped now; -1 on failure.
double AppRequestsNow() {
  double total = 0;
  for (const ctl::Host* app : LabTopology().HostsRunning("app")) {
    const CommandResult r = ScrapeApp(*app);
    if (!r.ok()) {
      ADD_FAILURE() << "scraping " << app->name << ": " << Describe(r);
      return -1;
    }
    total += SumOfSeries(r.out, "foobar_http_requests_total{");
  }
  return total;
}

// An instant query's single value on Prometheus, or -1.
double PromValue(const std::string& promql) {
  const CommandResult r =
      ExecOn(MonitoringHost(), {"curl", "-sS", "--max-time", "5", "-G", "--data-urlencode",
                                "query=" + promql, "http://127.0.0.1:9090/api/v1/query"});
  const json body = json::parse(r.out, nullptr, false);
  if (!r.ok() || !body.is_object() || body["data"]["result"].empty()) return -1;
  return std::stod(body["data"]["result"][0]["value"][1].get<std::string>());
}

class ProductionTrace : public ::testing::Test {
 protected:
  void SetUp() override {
    if (MonitoringHost().empty()) GTEST_SKIP() << "the lab's topology has no prometheus host";
  }
};

TEST_F(ProductionTrace, AppMetricsCountTheClientsRequests) {
  constexpr int kRequests = 40;
  const auto apps = LabTopology().HostsRunning("app");
  ASSERT_FALSE(apps.empty());
  const CommandResult first = ScrapeApp(*apps.front());
  ASSERT_TRUE(first.ok()) << Describe(first);
  for (const char* name :
       {"foobar_http_request_duration_seconds_bucket", "foobar_http_requests_in_flight",
        "foobar_db_pool_connections{", "foobar_db_pool_wait_seconds_bucket",
        "foobar_db_queries_total{target=\"primary\"", "foobar_db_query_duration_seconds_bucket",
        "foobar_db_read_your_writes_waits_total", "foobar_db_read_fallbacks_total",
        "foobar_build_info{version="}) {
    EXPECT_NE(first.out.find(name), std::string::npos) << name << " missing from /metrics";
  }

  const std::string promql = "sum(foobar_http_requests_total{route=\"/api/messages\"})";
  double in_prometheus_before = -1;
  // The metrics target is up (scraped) before we count on it.
  ASSERT_TRUE(PollUntil(30s, [&] { return (in_prometheus_before = PromValue(promql)) >= 0; }))
      << promql << " has no value in Prometheus";
  const double before = AppRequestsNow();
  const auto responses = GetMany("client", kMessagesUrl, kRequests, 4);
  int ok = 0;
  for (const auto& r : responses) ok += r.status == 200 ? 1 : 0;
  EXPECT_EQ(ok, kRequests);
  const double after = AppRequestsNow();
  std::printf("foobar_http_requests_total over the app servers: %.0f -> %.0f after %d requests\n",
              before, after, kRequests);
  // The load balancers' health checks add requests of their own: at least, never less.
  EXPECT_GE(after - before, kRequests);

  double in_prometheus = -1;
  const bool grew = PollUntil(20s, [&] {
    in_prometheus = PromValue(promql);
    return in_prometheus - in_prometheus_before >= kRequests;
  });
  EXPECT_TRUE(grew) << promql << ": " << in_prometheus_before << " -> " << in_prometheus;
  // The request was counted under its route pattern, never its raw path.
  const CommandResult later = ScrapeApp(*apps.front());
  EXPECT_EQ(later.out.find("route=\"/api/messages/1"), std::string::npos);
}

TEST_F(ProductionTrace, TraceFollowsARealRequestToTheDatabase) {
  const HttpResponse response = Curl("client", {kMessagesUrl + "?limit=1"});
  ASSERT_EQ(response.status, 200) << response.Describe();
  const std::string id = response.Header("x-request-id");
  ASSERT_FALSE(id.empty()) << "no X-Request-ID in the response: " << response.Describe();
  const std::string served_by = response.Header("x-served-by");

  json trace;
  CommandResult r;
  // Every daemon writes its line when the response is sent: allow a moment for the last one.
  const bool complete = PollUntil(5s, [&] {
    r = Foobar({"trace", id, "--json"});
    trace = json::parse(r.out, nullptr, false);
    return r.ok() && trace.is_object() && trace["hops"].size() >= 3;
  });
  ASSERT_TRUE(complete) << Describe(r);
  std::printf("%s\n", Foobar({"trace", id}).out.c_str());
  std::set<std::string> balancers, app_servers;
  for (const auto* h : LabTopology().HostsRunning("haproxy")) balancers.insert(h->name);
  const auto& hops = trace["hops"];
  ASSERT_EQ(hops[0]["service"], "haproxy") << trace.dump(2);
  EXPECT_TRUE(balancers.count(hops[0]["host"].get<std::string>())) << trace.dump(2);
  EXPECT_EQ(hops[0]["details"]["server"], served_by) << trace.dump(2);
  EXPECT_TRUE(hops[0]["details"].contains("Tr")) << trace.dump(2);
  EXPECT_EQ(hops[1]["service"], "nginx");
  EXPECT_EQ(hops[1]["host"], served_by);
  EXPECT_TRUE(hops[1]["duration_ms"].is_number()) << trace.dump(2);
  EXPECT_EQ(hops[2]["service"], "app");
  EXPECT_EQ(hops[2]["host"], served_by);
  EXPECT_EQ(hops[2]["status"], 200);
  const std::string target = hops[2]["details"].value("db_target", "");
  EXPECT_TRUE(target == "primary" || target == "replica") << trace.dump(2);
  EXPECT_NE(hops[2]["details"].value("db_server", ""), "") << trace.dump(2);
}

TEST_F(ProductionTrace, TraceOfAnUnknownIdFailsClearly) {
  const CommandResult r = Foobar({"trace", "no-such-request-" + UniqueText("id")});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  EXPECT_NE(r.err.find("no log of the lab has request"), std::string::npos) << Describe(r);
}

TEST_F(ProductionTrace, LogsListTailAndRefuseUnknowns) {
  const CommandResult list = Foobar({"logs"});
  ASSERT_TRUE(list.ok()) << Describe(list);
  for (const auto& host : LabTopology().hosts) {
    if (host.services.empty()) continue;
    EXPECT_NE(list.out.find("\n" + host.name + " "), std::string::npos) << host.name << list.out;
  }
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  EXPECT_NE(list.out.find("/hosts/" + app + "/log/nginx-access.log"), std::string::npos);

  const CommandResult tail = Foobar({"logs", app, "app", "--lines", "3"});
  ASSERT_TRUE(tail.ok()) << Describe(tail);
  EXPECT_EQ(LineCount(tail.out), 3) << tail.out;

  const CommandResult host_logs = Foobar({"logs", app, "-n", "1"});
  ASSERT_TRUE(host_logs.ok()) << Describe(host_logs);
  EXPECT_NE(host_logs.out.find(app + " nginx-access | "), std::string::npos) << host_logs.out;

  const CommandResult no_host = Foobar({"logs", "no-such-host"});
  EXPECT_EQ(no_host.exit_code, 1);
  EXPECT_NE(no_host.err.find("no host 'no-such-host'"), std::string::npos) << Describe(no_host);
  const CommandResult no_service = Foobar({"logs", app, "haproxy"});
  EXPECT_EQ(no_service.exit_code, 1);
  EXPECT_NE(no_service.err.find("unknown service 'haproxy'"), std::string::npos)
      << Describe(no_service);
}

TEST_F(ProductionTrace, LogsFollowPrintsNewLinesAndStopsOnSigint) {
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  CommandResult follow;
  // timeout(1) sends SIGINT after 12 s, as Ctrl-C would; --preserve-status gives foobar's exit.
  // The window is wide because a busy machine can take seconds for the requests below.
  std::thread follower([&] {
    follow = ctl::RunCommand({"timeout", "--preserve-status", "-s", "INT", "12",
                              std::string(FOOBAR_BUILD_DIR) + "/foobar", "logs", app, "app",
                              "--follow", "--lines", "0"});
  });
  std::this_thread::sleep_for(1500ms);
  // Requests through the site until one is served by that app server: its id must show.
  std::string id;
  for (int i = 0; i < 20 && id.empty(); ++i) {
    const HttpResponse r = Curl("client", {std::string(kSiteUrl) + "/healthz"});
    if (r.Header("x-served-by") == app) id = r.Header("x-request-id");
  }
  follower.join();
  ASSERT_FALSE(id.empty()) << "no request was served by " << app;
  EXPECT_EQ(follow.exit_code, 0) << Describe(follow);
  EXPECT_NE(follow.out.find(id), std::string::npos) << Describe(follow);
}

}  // namespace
}  // namespace foobar::lab_test
