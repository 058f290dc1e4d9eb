// The per-second timeline of a chaos run as files a person opens: CSV for tools (and one
// line per request for digging), and an SVG chart (requests per second as stacked ok/failed bars, p99 latency as a line on its own
// axis, the fault window shaded) for eyes. Pure: strings in, strings out.
#pragma once

#include <string>
#include <vector>

#include "ctl/chaos/load_stats.h"

namespace foobar::ctl::chaos {

// "second,sent,ok,failed,p99_ms" and one line per row.
std::string TimelineCsv(const std::vector<TimelineRow>& rows);

// Every request of the run, one line each, for finding a failure in the servers' logs:
// "seq,scheduled_s,kind,address,status,ok,error,latency_ms,served_by,retried,key,id".
std::string RequestsCsv(const std::vector<RequestRecord>& records, const std::vector<std::string>& addresses);

struct PlotLabels {
  std::string title;     // "kill app-01 at 50 req/s"
  std::string subtitle;  // a one-line summary of the outcome
  double fault_s = -1;   // when the fault was injected; < 0: not marked
  double heal_s = -1;    // when healing began; < 0: not marked
};

std::string TimelineSvg(const std::vector<TimelineRow>& rows, const PlotLabels& labels);

// The smallest 1, 2 or 5 times a power of ten that is >= value (1 for value <= 0).
double NiceCeiling(double value);

// A y axis from 0 with round ticks, a little above `value`: about five steps of a nice size.
struct Axis {
  double max = 1;
  double step = 1;
};
Axis NiceAxis(double value);

}  // namespace foobar::ctl::chaos
