#include "ctl/bench/wrk_run.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

constexpr const char* kOutput = R"(Running 5s test @ http://127.0.0.1:8080/healthz
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00us  301.22us  12.01ms   90.00%
    Req/Sec    39.10k     2.01k   42.00k    71.00%
  Latency Distribution
     50%  780.00us
     75%    0.90ms
     90%    1.10ms
     99%    2.50ms
  194512 requests in 5.00s, 25.41MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  38901.45
Transfer/sec:      5.08MB
)";

TEST(BenchWrk, ParsesThroughputLatencyAndErrors) {
  const auto result = ParseWrkOutput(kOutput);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->requests, 194512u);
  EXPECT_DOUBLE_EQ(result->duration_s, 5.0);
  EXPECT_DOUBLE_EQ(result->requests_per_s, 38901.45);
  EXPECT_EQ(result->non_2xx, 7u);
  EXPECT_EQ(result->socket_errors, 3u);
  EXPECT_DOUBLE_EQ(result->p50_ms, 0.78);
  EXPECT_DOUBLE_EQ(result->p90_ms, 1.1);
  EXPECT_DOUBLE_EQ(result->p99_ms, 2.5);
}

TEST(BenchWrk, RejectsOutputWithoutTotals) {
  EXPECT_FALSE(ParseWrkOutput("unable to connect to 127.0.0.1:8080 Connection refused\n").has_value());
}

TEST(BenchWrk, ArgvCarriesScriptBeforeUrl) {
  WrkPlan plan;
  plan.url = "http://127.0.0.1:8080/api/messages";
  plan.script_file = "/tmp/post.lua";
  plan.duration_s = 0.4;
  const auto argv = WrkArgv(plan);
  EXPECT_EQ(argv.back(), plan.url);
  EXPECT_EQ(argv[argv.size() - 2], "/tmp/post.lua");
  EXPECT_EQ(argv[6], "1s");  // at least one second: wrk takes whole seconds
}

TEST(BenchWrk, BodyScriptKeepsJsonVerbatim) {
  const std::string script = WrkBodyScript("POST", R"({"author":"b","body":"x\"y"})");
  EXPECT_NE(script.find(R"(wrk.body = [==[{"author":"b","body":"x\"y"}]==])"), std::string::npos);
  EXPECT_NE(script.find("wrk.method = \"POST\""), std::string::npos);
}

TEST(BenchWrk, RandomTargetScriptListsEveryTargetAndPicksOnePerRequest) {
  const std::string script = WrkRandomTargetScript({"/api/messages/7", "/api/messages/42"});
  EXPECT_NE(script.find("[==[/api/messages/7]==],"), std::string::npos) << script;
  EXPECT_NE(script.find("[==[/api/messages/42]==],"), std::string::npos) << script;
  EXPECT_NE(script.find("request = function()"), std::string::npos) << script;
  EXPECT_NE(script.find("targets[math.random(#targets)]"), std::string::npos) << script;
}

}  // namespace
}  // namespace foobar::ctl::bench
