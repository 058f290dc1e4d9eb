// `foobar chaos` against the production lab: every fault at least once and every class of
// target (app server, load balancer, primary database), each under a short open-loop load,
// asserting what the design promises for that failure and that the lab is back at full
// strength afterwards. The runs change the lab (a killed primary stays a replica), so the
// database run comes last; the plots stay in BUILD/chaos/ for a person to look at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Short runs keep the suite within minutes: fault at 20% of the duration, heal at 60%.
constexpr int kDurationS = 15;
constexpr int kRate = 40;

struct ChaosRun {
  CommandResult command;
  json result;  // discarded if the output was not one JSON object
};

ChaosRun RunChaos(const std::string& fault, const std::string& target, int duration_s = kDurationS) {
  std::string name = fault + "-" + target;
  for (char& c : name)
    if (c == '/') c = '_';
  const std::string out_dir = std::string(FOOBAR_BUILD_DIR) + "/chaos/" + name;
  ChaosRun run;
  run.command = Foobar({"chaos", fault, target, "--duration", std::to_string(duration_s), "--rate",
                        std::to_string(kRate), "--json", "--out", out_dir},
                       "", duration_s + 150);
  run.result = json::parse(run.command.out, nullptr, false);
  return run;
}

// The fields every assertion message shows: enough to see what happened without the files.
std::string Show(const ChaosRun& run) {
  if (run.result.is_discarded()) return Describe(run.command);
  return run.result.dump();
}

// What keeps the lab from full strength according to `foobar status --json`: services down,
// a VIP held by none or by two, not exactly one primary with every other server a replica.
// Empty when at full strength. Sections another part of the system has not filled in yet
// are not judged.
std::string StrengthProblems() {
  const CommandResult result = Foobar({"status", "--json"});
  if (!result.ok()) return "status failed: " + Describe(result);
  const json status = json::parse(result.out, nullptr, false);
  if (!status.is_object()) return "status --json is not JSON: " + result.out;
  std::string problems;
  for (const auto& host : status.value("hosts", json::array()))
    for (const auto& service : host.value("services", json::array()))
      if (service.value("state", "") != "up")
        problems += host.value("name", "?") + "/" + service.value("name", "?") + " is " +
                    service.value("state", "?") + "; ";
  for (const auto& vip : status.value("vips", json::array()))
    if (vip.value("holders", json::array()).size() != 1)
      problems += "VIP " + vip.value("address", "?") + " held by " + vip.value("holders", json::array()).dump() + "; ";
  const json databases = status.value("databases", json::array());
  if (!databases.empty()) {
    int primaries = 0;
    for (const auto& db : databases) {
      const std::string role = db.value("role", "");
      if (role == "primary") ++primaries;
      else if (role != "replica") problems += db.value("host", "?") + " is " + role + "; ";
    }
    if (primaries != 1) problems += std::to_string(primaries) + " primaries; ";
  }
  return problems;
}

// Waits for full strength (by itself, after a heal): the status promised by the issue.
void ExpectFullStrength(std::chrono::seconds bound = 30s) {
  std::string problems;
  const bool ok = PollUntil(bound, [&] {
    problems = StrengthProblems();
    return problems.empty();
  });
  EXPECT_TRUE(ok) << "not at full strength " << bound.count() << " s after the heal: " << problems;
}

// The current primary by `foobar status --json`, or `fallback` if status does not say.
std::string CurrentPrimary(const std::string& fallback) {
  const CommandResult result = Foobar({"status", "--json"});
  const json status = json::parse(result.out, nullptr, false);
  if (status.is_object())
    for (const auto& db : status.value("databases", json::array()))
      if (db.value("role", "") == "primary") return db.value("host", fallback);
  return fallback;
}

// The timeline's rows (second, sent, ok, failed, p99_ms) as numbers.
std::vector<std::vector<double>> TimelineRows(const json& result) {
  std::vector<std::vector<double>> rows;
  std::ifstream in(result.value("timeline_csv", ""));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  return rows;
}

// Failed requests due in [from_s, to_s) according to the timeline.
double FailedBetween(const json& result, double from_s, double to_s) {
  double failed = 0;
  for (const auto& row : TimelineRows(result))
    if (row.size() == 5 && row[0] >= from_s && row[0] < to_s) failed += row[3];
  return failed;
}

// What every completed run must show, whatever the fault: the keys, a load that
// ran at the rate asked, a heal, acknowledged writes checked and none lost, files written.
void ExpectCompleteRun(const ChaosRun& run) {
  ASSERT_TRUE(run.command.ok()) << Describe(run.command);
  ASSERT_TRUE(run.result.is_object()) << Describe(run.command);
  for (const char* key : {"fault", "target", "sent", "ok", "failed", "failed_reads", "failed_writes",
                          "acked_writes", "lost_writes", "duplicate_writes", "recovery_s", "p50_ms", "p99_ms",
                          "max_writable"})
    EXPECT_TRUE(run.result.contains(key)) << key << " missing: " << Show(run);
  EXPECT_GE(run.result.value("sent", 0), kRate * kDurationS - 1) << Show(run);
  EXPECT_EQ(run.result.value("ok", 0) + run.result.value("failed", 0), run.result.value("sent", -1)) << Show(run);
  EXPECT_GT(run.result.value("acked_writes", 0), 0) << Show(run);
  EXPECT_TRUE(run.result.value("healed", false)) << Show(run);
  ASSERT_TRUE(run.result["lost_writes"].is_number()) << "writes not checked: " << Show(run);
  EXPECT_EQ(run.result["lost_writes"], 0) << Show(run);
  EXPECT_EQ(run.result["duplicate_writes"], 0) << Show(run);
  EXPECT_LE(run.result.value("max_writable", 99), 1) << "two writable databases at once: " << Show(run);
  EXPECT_TRUE(std::filesystem::exists(run.result.value("timeline_csv", ""))) << Show(run);
  EXPECT_TRUE(std::filesystem::exists(run.result.value("plot", ""))) << Show(run);
  // Nothing failed during the warm-up, before the fault.
  EXPECT_EQ(FailedBetween(run.result, 0, std::floor(run.result.value("fault_at_s", 0.0))), 0) << Show(run);
}

// Losing one app server, however it goes, costs visitors nothing: HAProxy retries reads and
// writes carrying an Idempotency-Key on the other one.
void ExpectNoFailedRequests(const ChaosRun& run) {
  EXPECT_EQ(run.result.value("failed_reads", -1), 0) << Show(run);
  EXPECT_EQ(run.result.value("failed_writes", -1), 0) << Show(run);
}

// The longest time one of the site's addresses (a VIP) answered nothing.
double WorstAddressOutage(const json& result) {
  double worst = result.value("recovery_s", 99.0);
  const json by_address = result.value("address_recovery_s", json::object());
  for (const auto& [address, seconds] : by_address.items()) worst = std::max(worst, seconds.get<double>());
  return worst;
}

TEST(Chaos, BadInputIsOneLineAndChangesNothing) {
  ASSERT_EQ(StrengthProblems(), "") << "the lab is not at full strength before the chaos tests";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"chaos", "explode", "app-01"}, {"chaos", "stop", "app-01"},
        {"chaos", "kill", "app-01/app"}, {"chaos", "stop", "app-01/mariadb"}, {"chaos", "kill", "db-99"},
        {"chaos", "kill", "loadgen"}}) {
    const CommandResult result = Foobar(args, "", 30);
    EXPECT_EQ(result.exit_code, 1) << Describe(result);
    EXPECT_EQ(LineCount(result.err), 1) << Describe(result);
    EXPECT_EQ(result.out, "") << Describe(result);
  }
  EXPECT_EQ(StrengthProblems(), "");
}

TEST(Chaos, KillAppServer) {
  const ChaosRun run = RunChaos("kill", "app-01");
  ExpectCompleteRun(run);
  ExpectNoFailedRequests(run);
  ExpectFullStrength();
}

TEST(Chaos, StopApp) {
  const ChaosRun run = RunChaos("stop", "app-01/app");
  ExpectCompleteRun(run);
  ExpectNoFailedRequests(run);
  ExpectFullStrength();
}

TEST(Chaos, StopNginx) {
  const ChaosRun run = RunChaos("stop", "app-01/nginx");
  ExpectCompleteRun(run);
  ExpectNoFailedRequests(run);
  ExpectFullStrength();
}

// A gray failure: the app is alive (its port accepts) but answers nothing. Until the health
// checks take it out (2 failed checks, 1 s apart, 1 s timeout: about 3 s), requests sent
// there may fail at the client's 2 s timeout; after that, and after the heal, none may.
TEST(Chaos, PauseAppIsAGrayFailureThatHealthChecksContain) {
  const ChaosRun run = RunChaos("pause", "app-01/app");
  ExpectCompleteRun(run);
  const double fault_at = run.result.value("fault_at_s", 0.0);
  EXPECT_LT(run.result.value("recovery_s", 99.0), 5.0) << Show(run);
  EXPECT_EQ(FailedBetween(run.result, std::ceil(fault_at) + 5, kDurationS), 0)
      << "requests still failed 5 s after the pause: " << Show(run);
  ExpectFullStrength();
}

// Cut from the network but running: HAProxy's connect timeout and health checks route
// around it; nothing may fail for long, and it serves again after the heal.
TEST(Chaos, PartitionAppServer) {
  const ChaosRun run = RunChaos("partition", "app-01");
  ExpectCompleteRun(run);
  EXPECT_LT(run.result.value("recovery_s", 99.0), 2.0) << Show(run);
  const double fault_at = run.result.value("fault_at_s", 0.0);
  EXPECT_EQ(FailedBetween(run.result, std::ceil(fault_at) + 4, kDurationS), 0) << Show(run);
  ExpectFullStrength();
}

// A load balancer gone: its VIP moves to the other one (VRRP) and is served again within 1 s.
TEST(Chaos, KillLoadBalancer) {
  const ChaosRun run = RunChaos("kill", "lb-01");
  ExpectCompleteRun(run);
  EXPECT_LT(WorstAddressOutage(run.result), 1.0) << Show(run);
  ExpectFullStrength();
}

TEST(Chaos, StopHaproxy) {
  const ChaosRun run = RunChaos("stop", "lb-01/haproxy");
  ExpectCompleteRun(run);
  EXPECT_LT(WorstAddressOutage(run.result), 1.0) << Show(run);
  ExpectFullStrength();
}

// The primary database dies: foobar-sentinel promotes the replica; writes succeed again
// within 10 s, no acknowledged write is lost, never two writable servers. The old primary
// comes back read-only and rejoins as a replica with `foobar db rejoin`.
TEST(Chaos, KillPrimaryDatabase) {
  const std::string primary = CurrentPrimary("db-01");
  const ChaosRun run = RunChaos("kill", primary, 20);
  ASSERT_TRUE(run.command.ok()) << Describe(run.command);
  ASSERT_TRUE(run.result.is_object()) << Describe(run.command);
  // Writes work again within 10 s: no run of failed writes that long, and none failing
  // (even on and off) later than 10 s after the fault.
  EXPECT_LT(run.result.value("write_recovery_s", 99.0), 10.0) << Show(run);
  EXPECT_LT(run.result.value("write_disruption_s", 99.0), 10.0) << Show(run);
  ASSERT_TRUE(run.result["lost_writes"].is_number()) << "writes not checked: " << Show(run);
  EXPECT_EQ(run.result["lost_writes"], 0) << Show(run);
  EXPECT_EQ(run.result["duplicate_writes"], 0) << Show(run);
  EXPECT_EQ(run.result.value("max_writable", 0), 1) << Show(run);
  EXPECT_TRUE(run.result.value("healed", false)) << Show(run);
  EXPECT_NE(run.result.value("primary", ""), primary) << "no failover happened: " << Show(run);

  const json needs_rejoin = run.result.value("needs_rejoin", json::array());
  if (std::find(needs_rejoin.begin(), needs_rejoin.end(), primary) != needs_rejoin.end()) {
    const CommandResult rejoin = Foobar({"db", "rejoin", primary}, "", 300);
    EXPECT_TRUE(rejoin.ok()) << Describe(rejoin);
  }
  ExpectFullStrength(60s);
}

}  // namespace
}  // namespace foobar::lab_test
