// One chaos run, start to end: load from the load generator host, the fault injected after
// a warm-up and healed part-way, the databases watched for a second writable server, then
// the acknowledged writes checked on the primary and the timeline written.
//
// Phases, as fractions of the duration: warm-up [0, 0.2), fault [0.2, 0.6), heal at 0.6 and
// recovery watched to the end. The fault is healed whatever happens (an exception, SIGINT,
// SIGTERM): a Fault guard owns it.
#pragma once

#include <chrono>
#include <filesystem>

#include "ctl/chaos/chaos_report.h"
#include "ctl/chaos/fault_spec.h"
#include "ctl/lab/lab_context.h"

namespace foobar::ctl::chaos {

inline constexpr double kFaultAt = 0.2;
inline constexpr double kHealAt = 0.6;

struct ChaosSettings {
  FaultSpec fault;
  double rate = 50;
  double duration_s = 30;
  std::chrono::milliseconds timeout{2000};  // per request, from its scheduled time
  std::filesystem::path out_dir;  // empty: STATE/chaos/<time>-<fault>-<target>/
};

// Throws LabError, having changed nothing, if the run cannot start (no load generator host,
// target not there, output directory not writable); and after healing if it broke midway.
ChaosResult RunChaos(const LabContext& lab, const ChaosSettings& settings);

}  // namespace foobar::ctl::chaos
