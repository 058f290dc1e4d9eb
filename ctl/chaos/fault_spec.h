// What `foobar chaos FAULT TARGET` is asked to break, checked against the topology before
// anything is touched: a bad FAULT or TARGET is one error line and an unchanged lab.
#pragma once

#include <string>

#include "ctl/topology.h"

namespace foobar::ctl::chaos {

enum class FaultKind {
  kKill,       // HOST: power loss (links down, every process SIGKILLed); heal = boot it again
  kStop,       // HOST/SERVICE: clean stop; heal = start
  kPause,      // HOST/SERVICE: SIGSTOP (gray failure: alive but silent); heal = SIGCONT
  kPartition,  // HOST: links down, processes keep running; heal = links up
};

struct FaultSpec {
  FaultKind kind = FaultKind::kKill;
  std::string host;
  std::string service;  // empty for kill and partition

  // "kill", "stop", ... and "app-01" or "app-01/app", as the command line spells them.
  std::string FaultName() const;
  std::string TargetName() const;
};

// The host the load runs from; no fault may target it.
inline constexpr const char* kLoadgenHost = "loadgen";

// Parses and checks FAULT and TARGET against `topology`; throws LabError with one line
// saying what is wrong (unknown fault, TARGET of the wrong form, unknown host, service
// not run by that host, the load generator itself).
FaultSpec ParseFaultSpec(const std::string& fault, const std::string& target, const Topology& topology);

}  // namespace foobar::ctl::chaos
