#include "ctl/chaos/fault_spec.h"

#include "ctl/lab/lab_error.h"

namespace foobar::ctl::chaos {
namespace {

const Host& RequireHost(const Topology& topology, const std::string& name) {
  const Host* host = topology.FindHost(name);
  if (!host) {
    std::string known;
    for (const auto& h : topology.hosts) known += (known.empty() ? "" : ", ") + h.name;
    throw LabError("no host '" + name + "' in topology '" + topology.name + "' (hosts: " + known + ")");
  }
  if (host->name == kLoadgenHost)
    throw LabError("'" + name + "' runs the load itself and cannot be a chaos target");
  return *host;
}

}  // namespace

std::string FaultSpec::FaultName() const {
  switch (kind) {
    case FaultKind::kKill: return "kill";
    case FaultKind::kStop: return "stop";
    case FaultKind::kPause: return "pause";
    case FaultKind::kPartition: return "partition";
  }
  return "?";
}

std::string FaultSpec::TargetName() const { return service.empty() ? host : host + "/" + service; }

FaultSpec ParseFaultSpec(const std::string& fault, const std::string& target, const Topology& topology) {
  FaultSpec spec;
  bool wants_service = false;
  if (fault == "kill") {
    spec.kind = FaultKind::kKill;
  } else if (fault == "partition") {
    spec.kind = FaultKind::kPartition;
  } else if (fault == "stop") {
    spec.kind = FaultKind::kStop;
    wants_service = true;
  } else if (fault == "pause") {
    spec.kind = FaultKind::kPause;
    wants_service = true;
  } else {
    throw LabError("unknown fault '" + fault + "' (known: kill, stop, pause, partition)");
  }

  const auto slash = target.find('/');
  if (wants_service) {
    if (slash == std::string::npos || slash == 0 || slash + 1 == target.size() ||
        target.find('/', slash + 1) != std::string::npos)
      throw LabError(fault + " needs TARGET as HOST/SERVICE (e.g. app-01/app), not '" + target + "'");
    spec.host = target.substr(0, slash);
    spec.service = target.substr(slash + 1);
  } else {
    if (slash != std::string::npos)
      throw LabError(fault + " takes a whole host as TARGET (e.g. app-01), not '" + target + "'");
    if (target.empty()) throw LabError(fault + " needs a host as TARGET");
    spec.host = target;
  }

  const Host& host = RequireHost(topology, spec.host);
  if (wants_service && !host.Runs(spec.service)) {
    std::string runs;
    for (const auto& s : host.services) runs += (runs.empty() ? "" : ", ") + s;
    throw LabError("host '" + host.name + "' does not run " + spec.service +
                   (runs.empty() ? " (it runs no service)" : " (it runs: " + runs + ")"));
  }
  return spec;
}

}  // namespace foobar::ctl::chaos
