// The benchmark harness (issue 7) still works: `foobar bench --scale tiny` against the
// production lab writes REPORT.md, results.json and the plots, every figure is a number
// (throughputs and rates above zero), every target has a ratio and a verdict, and the lab is
// left as it was: the messages it posted are gone, the sysbench schema and user dropped, the
// reference Nginx stopped. Not a timed test: PASS/FAIL of the targets is not asserted here
// (that is `make bench`'s report). About 60-90 s.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ctl/bench/bench_targets.h"
#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {
namespace fs = std::filesystem;

bool IsPositiveNumber(const nlohmann::json& value) { return value.is_number() && value.get<double>() > 0; }

bool IsNumber(const nlohmann::json& value) { return value.is_number(); }

// Removes the report directory when the test ends.
// Rows in foobar.messages on the production lab's primary ("" if unreadable).
std::string MessagesOnPrimary() {
  const std::string primary = PrimaryDatabaseHost();
  if (primary.empty()) return "";
  return SqlOutput(primary, "SELECT COUNT(*) FROM foobar.messages").value_or("");
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / UniqueText("foobar-bench-test");
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

TEST(ProductionBench, TinyPassReportsEveryFigureAndLeavesTheLabAsItWas) {
  const std::string messages_before = MessagesOnPrimary();
  ASSERT_FALSE(messages_before.empty());
  TempDir out;
  const CommandResult run = Foobar({"bench", "--scale", "tiny", "--out", out.path.string(), "--json"}, "", 240);
  ASSERT_EQ(run.exit_code, 0) << Describe(run);

  ASSERT_TRUE(fs::exists(out.path / "REPORT.md"));
  std::stringstream report;
  report << std::ifstream(out.path / "REPORT.md").rdbuf();
  EXPECT_NE(report.str().find("## Targets"), std::string::npos);
  EXPECT_EQ(report.str().find("nan"), std::string::npos) << report.str();

  const auto results = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(results.is_discarded()) << run.out;
  const auto saved = nlohmann::json::parse(std::ifstream(out.path / "results.json"), nullptr, false);
  EXPECT_EQ(saved, results);

  // 5 requests x (app, nginx, stack) less the app's static page, plus the reference's two.
  ASSERT_EQ(results["points"].size(), 16u) << results["points"].dump();
  for (const auto& point : results["points"]) {
    SCOPED_TRACE(point["request"].get<std::string>() + " " + point["path"].get<std::string>());
    EXPECT_TRUE(IsPositiveNumber(point["max_rps"])) << point.dump();
    EXPECT_TRUE(IsPositiveNumber(point["fixed_rate"])) << point.dump();
    EXPECT_TRUE(IsPositiveNumber(point["fixed"]["sent"])) << point.dump();
    for (const char* p : {"p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"})
      EXPECT_TRUE(IsPositiveNumber(point["fixed"][p])) << p << " " << point.dump();
    EXPECT_FALSE(point["cpu_s_per_1000"].empty()) << point.dump();
    for (const auto& [kind, seconds] : point["cpu_s_per_1000"].items()) EXPECT_TRUE(IsNumber(seconds)) << kind;
  }
  EXPECT_TRUE(IsPositiveNumber(results["sysbench"]["queries_per_s"])) << results["sysbench"].dump();
  EXPECT_TRUE(IsPositiveNumber(results["memory"]["rss_idle_mib"]));
  EXPECT_TRUE(IsPositiveNumber(results["memory"]["rss_connections_mib"]));
  EXPECT_EQ(results["memory"]["connections_opened"], 1000) << results["memory"].dump();
  ASSERT_GE(results["curve"].size(), 3u);
  for (const auto& point : results["curve"]) {
    EXPECT_TRUE(IsPositiveNumber(point["offered_rate"]));
    EXPECT_TRUE(IsPositiveNumber(point["result"]["p99_ms"])) << point.dump();
  }
  // The rate within the p99 limit is 0 or one of the curve's rates that stayed under it.
  ASSERT_TRUE(IsNumber(results["rate_within_p99_limit"])) << results.dump();
  const double within = results["rate_within_p99_limit"].get<double>();
  if (within > 0) {
    bool found = false;
    for (const auto& point : results["curve"])
      found = found || (point["offered_rate"].get<double>() == within && point["result"]["failed"] == 0 &&
                        point["result"]["p99_ms"].get<double>() < ctl::bench::kStackP99LimitMs);
    EXPECT_TRUE(found) << within << " " << results["curve"].dump();
  }
  ASSERT_EQ(results["targets"].size(), 5u);
  for (const auto& target : results["targets"]) {
    EXPECT_TRUE(IsPositiveNumber(target["value"])) << target.dump();
    EXPECT_TRUE(IsPositiveNumber(target["ratio"])) << target.dump();
    EXPECT_TRUE(target["pass"].is_boolean()) << target.dump();
  }
  for (const auto& plot : results["plots"]) EXPECT_TRUE(fs::exists(out.path / plot.get<std::string>())) << plot;
  EXPECT_EQ(results["plots"].size(), 2u);

  // The lab as it was.
  EXPECT_EQ(MessagesOnPrimary(), messages_before);
  const std::string primary = PrimaryDatabaseHost();
  ASSERT_FALSE(primary.empty());
  EXPECT_EQ(SqlOutput(primary, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'sbtest'"), "0");
  EXPECT_EQ(SqlOutput(primary, "SELECT COUNT(*) FROM mysql.user WHERE user = 'foobar_bench'"), "0");
  const std::string app_host = LabTopology().HostsRunning("app").front()->name;
  const HttpResponse reference = Curl(app_host, {"--max-time", "2", "http://127.0.0.1:8090/fixed"});
  EXPECT_EQ(reference.status, 0) << reference.Describe();
}

}  // namespace
}  // namespace foobar::lab_test
