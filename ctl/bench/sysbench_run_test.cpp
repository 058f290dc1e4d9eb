#include "ctl/bench/sysbench_run.h"

#include <gtest/gtest.h>

namespace foobar::ctl::bench {
namespace {

constexpr const char* kOutput = R"(SQL statistics:
    queries performed:
        read:                            1203512
        write:                           0
        other:                           0
        total:                           1203512
    transactions:                        1203512 (24066.51 per sec.)
    queries:                             1203512 (24066.51 per sec.)
    ignored errors:                      0      (0.00 per sec.)
    reconnects:                          0      (0.00 per sec.)

Latency (ms):
         min:                                    0.08
         avg:                                    1.33
         max:                                   41.20
         95th percentile:                        2.48
         sum:                              1598512.22
)";

TEST(BenchSysbench, ParsesQueriesPerSecondAndP95) {
  const auto result = ParseSysbenchOutput(kOutput);
  ASSERT_TRUE(result.has_value());
  EXPECT_DOUBLE_EQ(result->queries_per_s, 24066.51);
  EXPECT_DOUBLE_EQ(result->p95_ms, 2.48);
}

TEST(BenchSysbench, RejectsAFailedRun) {
  EXPECT_FALSE(ParseSysbenchOutput("FATAL: unable to connect to MySQL server\n").has_value());
}

}  // namespace
}  // namespace foobar::ctl::bench
