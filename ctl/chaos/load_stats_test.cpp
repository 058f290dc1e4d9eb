#include "ctl/chaos/load_stats.h"

#include <gtest/gtest.h>

namespace foobar::ctl::chaos {
namespace {

// Requests at 10/s alternating over two addresses; `outcomes` is one char per request:
// '.' ok, 'x' failed; even ones are reads, every third a write.
std::vector<RequestRecord> Records(const std::string& outcomes, double latency_ms = 5) {
  std::vector<RequestRecord> records;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    RequestRecord r;
    r.seq = i;
    r.scheduled_s = static_cast<double>(i) / 10;
    r.latency_ms = latency_ms;
    r.kind = i % 3 == 0 ? RequestKind::kWrite : RequestKind::kReadList;
    r.address_index = static_cast<int>(i % 2);
    r.ok = outcomes[i] == '.';
    r.status = r.ok ? (IsWrite(r.kind) ? 201 : 200) : 0;
    if (!r.ok) r.error = "timeout";
    records.push_back(r);
  }
  return records;
}

const auto kAll = [](const RequestRecord&) { return true; };

TEST(ChaosStats, PercentileIsNearestRank) {
  EXPECT_EQ(Percentile({}, 99), 0);
  EXPECT_EQ(Percentile({7}, 50), 7);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(101 - i);  // unsorted on purpose
  EXPECT_EQ(Percentile(hundred, 50), 50);
  EXPECT_EQ(Percentile(hundred, 99), 99);
  EXPECT_EQ(Percentile(hundred, 100), 100);
  EXPECT_EQ(Percentile(hundred, 0), 1);
  EXPECT_EQ(Percentile({1, 2, 3, 4}, 50), 2);
  EXPECT_EQ(Percentile({1, 2, 3, 1000}, 99), 1000);
}

TEST(ChaosStats, LongestFailureRunIsTimeUntilTheNextSuccess) {
  EXPECT_DOUBLE_EQ(LongestFailureRun(Records("......"), kAll, 0.6), 0);
  // One lone failure at 10/s: nothing got through for 0.1 s.
  EXPECT_NEAR(LongestFailureRun(Records("..x..."), kAll, 0.6), 0.1, 1e-9);
  // Failures 2..5 (0.2 s to 0.6 s), a shorter run later.
  EXPECT_NEAR(LongestFailureRun(Records("..xxxx..x."), kAll, 1.0), 0.4, 1e-9);
  // A run lasting to the end counts to the end of the load.
  EXPECT_NEAR(LongestFailureRun(Records("...xx"), kAll, 0.5), 0.2, 1e-9);
  EXPECT_NEAR(LongestFailureRun(Records("xxxxx"), kAll, 0.5), 0.5, 1e-9);
}

TEST(ChaosStats, LongestFailureRunPerStream) {
  // Every request to address 1 fails from 0.1 s, address 0 is fine: overall runs are single
  // failures, but address 1 was out until the end.
  auto records = Records(".x.x.x.x.x");
  EXPECT_NEAR(LongestFailureRun(records, kAll, 1.0), 0.1, 1e-9);
  EXPECT_NEAR(LongestFailureRun(records, [](const RequestRecord& r) { return r.address_index == 1; }, 1.0), 0.9, 1e-9);
  EXPECT_EQ(LongestFailureRun(records, [](const RequestRecord& r) { return r.address_index == 0; }, 1.0), 0);
}

TEST(ChaosStats, DisruptionLastsUntilTheLastFailureAfterTheFault) {
  // Failures on and off (0, 0.3, 0.5, 0.7, 0.9 s): every run is short, the disruption is not.
  auto records = Records("x..x.x.x.x..");
  EXPECT_NEAR(LongestFailureRun(records, kAll, 1.2), 0.1, 1e-9);
  EXPECT_NEAR(DisruptionAfter(records, kAll, 0.25), 0.65, 1e-9);
  EXPECT_EQ(DisruptionAfter(records, kAll, 1.0), 0);  // nothing failed from 1.0 s on
  // Writes are requests 0, 3, 6, 9: of those after 0.25 s, 3 and 9 failed.
  EXPECT_NEAR(DisruptionAfter(records, [](const RequestRecord& r) { return IsWrite(r.kind); }, 0.25), 0.65, 1e-9);
  EXPECT_NEAR(DisruptionAfter(records, [](const RequestRecord& r) { return r.address_index == 0; }, 0.0), 0.0, 1e-9);
}

TEST(ChaosStats, TimelineHasARowPerSecond) {
  std::vector<RequestRecord> records = Records(std::string(10, '.') + "xxxxx.....", 4);
  records[12].latency_ms = 2000;
  auto rows = Timeline(records, 3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].second, 0);
  EXPECT_EQ(rows[0].sent, 10u);
  EXPECT_EQ(rows[0].ok, 10u);
  EXPECT_EQ(rows[0].failed, 0u);
  EXPECT_EQ(rows[0].p99_ms, 4);
  EXPECT_EQ(rows[1].sent, 10u);
  EXPECT_EQ(rows[1].failed, 5u);
  EXPECT_EQ(rows[1].p99_ms, 2000);
  EXPECT_EQ(rows[2].sent, 0u);  // an empty second is still a row
  EXPECT_EQ(rows[2].p99_ms, 0);
}

TEST(ChaosStats, SummarySplitsReadsAndWrites) {
  auto records = Records("..xxx.....");  // failures at 2 (read), 3 (write), 4 (read)
  records[0].served_by = "app-01";
  records[1].served_by = "app-02";
  records[5].served_by = "app-01";
  records[7].retried = true;
  auto summary = Summarize(records, 2, 1.0);
  EXPECT_EQ(summary.sent, 10u);
  EXPECT_EQ(summary.ok, 7u);
  EXPECT_EQ(summary.failed, 3u);
  EXPECT_EQ(summary.failed_reads, 2u);
  EXPECT_EQ(summary.failed_writes, 1u);
  EXPECT_EQ(summary.acked_writes, 3u);  // 0, 6, 9
  EXPECT_EQ(summary.retried, 1u);
  EXPECT_NEAR(summary.recovery_s, 0.3, 1e-9);
  EXPECT_EQ(summary.errors.at("timeout"), 3u);
  EXPECT_EQ(summary.served_by.at("app-01"), 2u);
  ASSERT_EQ(summary.address_recovery_s.size(), 2u);
  EXPECT_NEAR(summary.address_recovery_s[0], 0.4, 1e-9);  // 2 and 4 failed, 6 fine
  EXPECT_NEAR(summary.address_recovery_s[1], 0.2, 1e-9);  // 3 failed, 5 fine
  EXPECT_NEAR(summary.write_recovery_s, 0.3, 1e-9);       // 3 failed, 6 fine
  EXPECT_EQ(summary.p50_ms, 5);
}

}  // namespace
}  // namespace foobar::ctl::chaos
