#include "ctl/chaos/chaos_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace foobar::ctl::chaos {
namespace {

double Round3(double value) { return std::round(value * 1000) / 1000; }
double Round1(double value) { return std::round(value * 10) / 10; }

std::string Join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

nlohmann::ordered_json ResultJson(const ChaosResult& r) {
  using json = nlohmann::ordered_json;
  const auto& load = r.load;
  json out = json::object();
  out["fault"] = r.fault.FaultName();
  out["target"] = r.fault.TargetName();
  out["sent"] = load.sent;
  out["ok"] = load.ok;
  out["failed"] = load.failed;
  out["failed_reads"] = load.failed_reads;
  out["failed_writes"] = load.failed_writes;
  out["acked_writes"] = load.acked_writes;
  // null, not 0, when the writes could not be checked: a test must not read that as "none lost".
  out["lost_writes"] = r.audited ? json(r.audit.lost) : json(nullptr);
  out["duplicate_writes"] = r.audited ? json(r.audit.duplicates) : json(nullptr);
  out["recovery_s"] = Round3(load.recovery_s);
  out["p50_ms"] = Round1(load.p50_ms);
  out["p99_ms"] = Round1(load.p99_ms);
  out["max_writable"] = r.max_writable;

  out["started_at"] = r.started_at;
  out["rate"] = r.rate;
  out["duration_s"] = r.duration_s;
  out["timeout_s"] = r.timeout_s;
  out["addresses"] = r.addresses;
  out["fault_at_s"] = Round3(r.fault_at_s);
  out["heal_at_s"] = Round3(r.heal_at_s);
  out["heal_took_s"] = Round3(r.heal_took_s);
  out["healed"] = r.healed;
  if (!r.heal_error.empty()) out["heal_error"] = r.heal_error;
  out["interrupted"] = r.interrupted;
  out["max_ms"] = Round1(load.max_ms);
  out["read_recovery_s"] = Round3(load.read_recovery_s);
  out["write_recovery_s"] = Round3(load.write_recovery_s);
  out["disruption_s"] = Round3(r.disruption_s);
  out["write_disruption_s"] = Round3(r.write_disruption_s);
  json by_address = json::object();
  for (size_t i = 0; i < r.addresses.size() && i < load.address_recovery_s.size(); ++i)
    by_address[r.addresses[i]] = Round3(load.address_recovery_s[i]);
  out["address_recovery_s"] = by_address;
  out["retried_requests"] = load.retried;
  out["errors"] = load.errors;
  out["served_by"] = load.served_by;
  out["primary"] = r.primary.empty() ? json(nullptr) : json(r.primary);
  if (!r.audit_error.empty()) out["audit_error"] = r.audit_error;
  out["stored_unacked_writes"] = r.audited ? json(r.audit.stored_unacked) : json(nullptr);
  out["lost_keys"] = r.audit.lost_keys;
  out["duplicate_keys"] = r.audit.duplicate_keys;
  out["writable_seen"] = r.writable_seen;
  out["needs_rejoin"] = r.needs_rejoin;
  out["services_down"] = r.services_down;
  out["backends_down"] = r.backends_down;
  out["full_strength"] = r.healed && r.services_down.empty() && r.backends_down.empty() && r.needs_rejoin.empty();
  out["timeline_csv"] = r.timeline_csv;
  out["requests_csv"] = r.requests_csv;
  out["plot"] = r.plot;
  return out;
}

std::string ResultHeadline(const ChaosResult& r) {
  double worst_address = 0;
  for (double s : r.load.address_recovery_s) worst_address = std::max(worst_address, s);
  return fmt::format("{} sent, {} failed ({} reads, {} writes); longest failure run {:.2f} s (one address: {:.2f} s); "
                     "p99 {:.0f} ms; lost writes {}; max writable {}",
                     r.load.sent, r.load.failed, r.load.failed_reads, r.load.failed_writes, r.load.recovery_s,
                     worst_address, r.load.p99_ms, r.audited ? std::to_string(r.audit.lost) : "unchecked",
                     r.max_writable);
}

std::string ResultText(const ChaosResult& r) {
  const auto& load = r.load;
  std::string out = fmt::format("{} {} at {:g} req/s for {:g} s: fault at {:.1f} s, heal at {:.1f} s", r.fault.FaultName(),
                                r.fault.TargetName(), r.rate, r.duration_s, r.fault_at_s, r.heal_at_s);
  out += r.healed ? fmt::format(" (took {:.1f} s)\n", r.heal_took_s) : " (NOT healed: " + r.heal_error + ")\n";
  if (r.interrupted) out += "  interrupted: the load stopped early\n";
  out += fmt::format("  requests   {} sent, {} ok, {} failed ({} reads, {} writes)\n", load.sent, load.ok, load.failed,
                     load.failed_reads, load.failed_writes);
  out += fmt::format("  latency    p50 {:.1f} ms, p99 {:.1f} ms, max {:.0f} ms (from the scheduled send)\n", load.p50_ms,
                     load.p99_ms, load.max_ms);
  std::string per_address;
  for (size_t i = 0; i < r.addresses.size() && i < load.address_recovery_s.size(); ++i)
    per_address += fmt::format("; {} {:.2f}", r.addresses[i], load.address_recovery_s[i]);
  out += fmt::format("  recovery   longest failure run {:.2f} s (reads {:.2f}, writes {:.2f}{})\n", load.recovery_s,
                     load.read_recovery_s, load.write_recovery_s, per_address);
  out += fmt::format("  disruption last failure {:.2f} s after the fault (last failed write {:.2f} s)\n", r.disruption_s,
                     r.write_disruption_s);
  if (r.audited) {
    out += fmt::format("  writes     {} acknowledged, {} lost, {} duplicated, {} stored though not acknowledged "
                       "(checked on {})\n",
                       load.acked_writes, r.audit.lost, r.audit.duplicates, r.audit.stored_unacked, r.primary);
  } else {
    out += fmt::format("  writes     {} acknowledged, NOT checked: {}\n", load.acked_writes, r.audit_error);
  }
  std::vector<std::string> seen(r.writable_seen.begin(), r.writable_seen.end());
  out += fmt::format("  databases  at most {} writable at once (seen writable: {})\n", r.max_writable,
                     seen.empty() ? "none" : Join(seen));
  if (!load.errors.empty()) {
    std::vector<std::string> errors;
    for (const auto& [what, count] : load.errors) errors.push_back(fmt::format("{} x{}", what, count));
    out += "  errors     " + Join(errors) + "\n";
  }
  if (r.services_down.empty() && r.backends_down.empty() && r.needs_rejoin.empty()) {
    out += "  after      every service up, every backend UP\n";
  } else {
    if (!r.services_down.empty()) out += "  after      down: " + Join(r.services_down) + "\n";
    if (!r.backends_down.empty()) out += "  after      backends not UP: " + Join(r.backends_down) + "\n";
    for (const auto& host : r.needs_rejoin)
      out += "  after      " + host + " needs rejoin: foobar db rejoin " + host + "\n";
  }
  out += "  timeline   " + r.timeline_csv + "\n  plot       " + r.plot + "\n";
  return out;
}

}  // namespace foobar::ctl::chaos
