#include "ctl/chaos/load_stats.h"

#include <algorithm>
#include <cmath>

namespace foobar::ctl::chaos {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

double LongestFailureRun(const std::vector<RequestRecord>& records,
                         const std::function<bool(const RequestRecord&)>& in_stream, double end_s) {
  double longest = 0;
  bool in_run = false;
  double run_start = 0;
  for (const auto& record : records) {
    if (!in_stream(record)) continue;
    if (!record.ok) {
      if (!in_run) run_start = record.scheduled_s;
      in_run = true;
    } else if (in_run) {
      longest = std::max(longest, record.scheduled_s - run_start);
      in_run = false;
    }
  }
  if (in_run) longest = std::max(longest, end_s - run_start);
  return longest;
}

double DisruptionAfter(const std::vector<RequestRecord>& records,
                       const std::function<bool(const RequestRecord&)>& in_stream, double from_s) {
  double last = from_s;
  for (const auto& record : records)
    if (!record.ok && record.scheduled_s >= from_s && in_stream(record)) last = std::max(last, record.scheduled_s);
  return last - from_s;
}

std::vector<TimelineRow> Timeline(const std::vector<RequestRecord>& records, double duration_s) {
  const int seconds = std::max(1, static_cast<int>(std::ceil(duration_s - 1e-9)));
  std::vector<TimelineRow> rows(static_cast<size_t>(seconds));
  std::vector<std::vector<double>> latencies(rows.size());
  for (int s = 0; s < seconds; ++s) rows[static_cast<size_t>(s)].second = s;
  for (const auto& record : records) {
    const int s = std::clamp(static_cast<int>(std::floor(record.scheduled_s)), 0, seconds - 1);
    auto& row = rows[static_cast<size_t>(s)];
    ++row.sent;
    ++(record.ok ? row.ok : row.failed);
    latencies[static_cast<size_t>(s)].push_back(record.latency_ms);
  }
  for (size_t s = 0; s < rows.size(); ++s) rows[s].p99_ms = Percentile(std::move(latencies[s]), 99);
  return rows;
}

LoadSummary Summarize(const std::vector<RequestRecord>& records, int address_count, double end_s) {
  LoadSummary summary;
  std::vector<double> latencies;
  latencies.reserve(records.size());
  for (const auto& record : records) {
    ++summary.sent;
    latencies.push_back(record.latency_ms);
    if (!record.served_by.empty()) ++summary.served_by[record.served_by];
    if (record.retried) ++summary.retried;
    if (record.ok) {
      ++summary.ok;
      if (IsWrite(record.kind)) ++summary.acked_writes;
      continue;
    }
    ++summary.failed;
    ++(IsWrite(record.kind) ? summary.failed_writes : summary.failed_reads);
    ++summary.errors[record.error.empty() ? "unknown" : record.error];
  }
  summary.p50_ms = Percentile(latencies, 50);
  summary.p99_ms = Percentile(latencies, 99);
  summary.max_ms = Percentile(std::move(latencies), 100);
  summary.recovery_s = LongestFailureRun(records, [](const RequestRecord&) { return true; }, end_s);
  summary.read_recovery_s =
      LongestFailureRun(records, [](const RequestRecord& r) { return !IsWrite(r.kind); }, end_s);
  summary.write_recovery_s =
      LongestFailureRun(records, [](const RequestRecord& r) { return IsWrite(r.kind); }, end_s);
  for (int a = 0; a < std::max(1, address_count); ++a)
    summary.address_recovery_s.push_back(LongestFailureRun(
        records, [a](const RequestRecord& r) { return r.address_index == a; }, end_s));
  return summary;
}

}  // namespace foobar::ctl::chaos
