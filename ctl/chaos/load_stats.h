// What a chaos run's load measured, computed from its request records alone (pure).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ctl/chaos/request_record.h"

namespace foobar::ctl::chaos {

// Nearest-rank percentile, p in [0, 100]; 0 when there are no values.
double Percentile(std::vector<double> values, double p);

// The longest run of consecutive failed requests among the records `in_stream` selects
// (records in scheduled order), in seconds of scheduled time: from the run's first failure
// to the next request of the stream that succeeded, or to `end_s` when none did. A lone
// failure in a stream at R/s counts about 1/R s: the time nothing got through.
double LongestFailureRun(const std::vector<RequestRecord>& records,
                         const std::function<bool(const RequestRecord&)>& in_stream, double end_s);

// How long after `from_s` failures went on: the scheduled time of the last failed request
// of the stream due at or after `from_s`, minus `from_s`; 0 if none failed. Stricter than
// LongestFailureRun when a fault makes requests fail on and off.
double DisruptionAfter(const std::vector<RequestRecord>& records,
                       const std::function<bool(const RequestRecord&)>& in_stream, double from_s);

// One second of the timeline, by scheduled time.
struct TimelineRow {
  int second = 0;
  uint64_t sent = 0;
  uint64_t ok = 0;
  uint64_t failed = 0;
  double p99_ms = 0;  // of every request due in that second, failed ones included
};

// A row per second of [0, duration_s), empty seconds included.
std::vector<TimelineRow> Timeline(const std::vector<RequestRecord>& records, double duration_s);

struct LoadSummary {
  uint64_t sent = 0;
  uint64_t ok = 0;
  uint64_t failed = 0;
  uint64_t failed_reads = 0;
  uint64_t failed_writes = 0;
  uint64_t acked_writes = 0;  // writes answered 201
  uint64_t retried = 0;       // resent once after a stale keep-alive connection
  double recovery_s = 0;        // longest failure run over all requests
  double read_recovery_s = 0;   // ... over reads only
  double write_recovery_s = 0;  // ... over writes only
  std::vector<double> address_recovery_s;  // ... over each address's requests
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  std::map<std::string, uint64_t> errors;     // failure reason -> count
  std::map<std::string, uint64_t> served_by;  // X-Served-By -> count of responses
};

// `end_s`: when the load ended (the scheduled end), for runs that never recovered.
LoadSummary Summarize(const std::vector<RequestRecord>& records, int address_count, double end_s);

}  // namespace foobar::ctl::chaos
