// Faults injected with `foobar stop`: an app server going away must cost visitors nothing
// (HAProxy retries elsewhere), and readiness must follow the database. Every stopped
// service is started again by a guard, whatever the assertions said.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using namespace std::chrono_literals;

// "200 x198 (app-02 x198), 502 x2 (app-01 x2)": what a batch of requests got.
std::string Summarize(const std::vector<ServedResponse>& responses) {
  std::map<int, std::map<std::string, int>> seen;
  for (const auto& r : responses) ++seen[r.status][r.served_by.empty() ? "?" : r.served_by];
  std::string out;
  for (const auto& [status, servers] : seen) {
    int total = 0;
    std::string detail;
    for (const auto& [server, n] : servers) {
      total += n;
      detail += (detail.empty() ? "" : ", ") + server + " x" + std::to_string(n);
    }
    out += (out.empty() ? "" : "; ") + std::to_string(status) + " x" + std::to_string(total) +
           " (" + detail + ")";
  }
  return out;
}

TEST(Failover, StoppedAppServerCostsNoRequestAndServesAgainAfterStart) {
  const auto servers = HostsRunning("app");
  ASSERT_EQ(servers.size(), 2u);
  const std::string& victim = servers.front();  // app-01
  const std::string url = std::string(kSiteUrl) + "/api/messages?limit=1";
  ASSERT_TRUE(WaitForEveryAppServer(15s)) << "not every app server serves before the fault";

  ServiceRestartGuard guard(victim, "app");
  const CommandResult stop = Foobar({"stop", victim, "app"});
  ASSERT_TRUE(stop.ok()) << Describe(stop);

  // At once, before any health check can have noticed: one request after another on a
  // kept-alive connection, so about half of them are first sent to the stopped server.
  const auto during = GetMany("client", url, 200, 0);
  int failed = 0, from_victim = 0;
  for (const auto& r : during) {
    if (r.status != 200) ++failed;
    if (r.served_by == victim) ++from_victim;
  }
  EXPECT_EQ(during.size(), 200u);
  EXPECT_EQ(failed, 0) << "requests failed while " << victim
                       << "'s app was stopped: " << Summarize(during);
  EXPECT_EQ(from_victim, 0) << Summarize(during);
  EXPECT_EQ(ServiceState(victim, "app"), "down");

  const CommandResult start = guard.Start();
  ASSERT_TRUE(start.ok()) << Describe(start);
  std::vector<ServedResponse> after;
  const bool back = PollUntil(15s, [&] {
    const auto batch = GetMany("client", url, 16, 8);
    after.insert(after.end(), batch.begin(), batch.end());
    return std::any_of(batch.begin(), batch.end(), [&](const ServedResponse& r) {
      return r.status == 200 && r.served_by == victim;
    });
  });
  EXPECT_TRUE(back) << victim
                    << " did not serve within 15 s of `foobar start`: " << Summarize(after);
  EXPECT_TRUE(std::all_of(after.begin(), after.end(),
                          [](const ServedResponse& r) { return r.status == 200; }))
      << "requests failed while " << victim << " came back: " << Summarize(after);
  EXPECT_EQ(ServiceState(victim, "app"), "up");
}

TEST(Readiness, ReadyzFollowsTheDatabase) {
  const auto apps = HostsRunning("app");
  const auto primaries = HostsRunning("mariadb");
  ASSERT_EQ(primaries.size(), 1u);
  for (const auto& app : apps) ASSERT_EQ(AppLoopbackStatus(app, "/readyz"), 200) << app;

  ServiceRestartGuard guard(primaries.front(), "mariadb");
  const CommandResult stop = Foobar({"stop", primaries.front(), "mariadb"});
  ASSERT_TRUE(stop.ok()) << Describe(stop);
  for (const auto& app : apps) {
    EXPECT_TRUE(PollUntil(15s, [&] { return AppLoopbackStatus(app, "/readyz") == 503; }))
        << app << ": /readyz is not 503 within 15 s of stopping the database";
    EXPECT_EQ(AppLoopbackStatus(app, "/healthz"), 200)
        << app << ": liveness must not depend on the database";
  }

  const CommandResult start = guard.Start();
  ASSERT_TRUE(start.ok()) << Describe(start);
  for (const auto& app : apps) {
    EXPECT_TRUE(PollUntil(30s, [&] { return AppLoopbackStatus(app, "/readyz") == 200; }))
        << app << ": /readyz is not 200 within 30 s of starting the database";
  }
  // The tests after this one need the whole site back.
  EXPECT_TRUE(WaitForEveryAppServer(15s)) << "the site did not recover after the database";
}

}  // namespace
}  // namespace foobar::lab_test
