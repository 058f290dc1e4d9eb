#include "ctl/chaos/chaos_run.h"

#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <random>
#include <thread>

#include "ctl/chaos/faults.h"
#include "ctl/chaos/load_generator.h"
#include "ctl/chaos/site_addresses.h"
#include "ctl/chaos/timeline_output.h"
#include "ctl/chaos/writable_monitor.h"
#include "ctl/chaos/writable_probe.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/haproxy_admin.h"
#include "ctl/lab/interrupt_handlers.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/lab/network.h"
#include "ctl/lab/services.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/render/tls_paths.h"

namespace foobar::ctl::chaos {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void Progress(Clock::time_point t0, const std::string& line) {
  std::fprintf(stderr, "[%5.1f s] %s\n", SecondsSince(t0), line.c_str());
  std::fflush(stderr);
}

// Sleeps until `when`; false, early, if interrupted or `abort` is set.
bool SleepUntil(Clock::time_point when, const std::atomic<bool>& abort) {
  while (Clock::now() < when) {
    if (Interrupted() || abort) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(50ms, when - Clock::now()));
  }
  return !Interrupted() && !abort;
}

std::string UtcTimestamp(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count() % 1000;
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03}Z", text, millis);
}

std::string RunId() {
  std::random_device random;
  return std::to_string(std::time(nullptr)) + "-" + std::to_string(random() % 100000);
}

fs::path OutputDir(const LabContext& lab, const ChaosSettings& settings) {
  if (!settings.out_dir.empty()) return settings.out_dir;
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  std::string target = settings.fault.TargetName();
  for (char& c : target)
    if (c == '/') c = '_';
  return lab.state.root / "chaos" / (std::string(stamp) + "-" + settings.fault.FaultName() + "-" + target);
}

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
  if (!out) throw LabError("cannot write " + path.string());
}

std::vector<DatabaseServer> DatabaseServers(const LabContext& lab) {
  std::vector<DatabaseServer> servers;
  for (const Host* host : lab.topology.HostsRunning("mariadb"))
    servers.push_back({host->name, MariadbAdminSocket(lab, *host)});
  return servers;
}

// The single writable server, waiting up to `wait` for there to be exactly one (a failover
// may still be finishing). Empty if there is none, or several.
std::string FindPrimary(const LabContext& lab, std::chrono::milliseconds wait, std::string& why) {
  const auto deadline = Clock::now() + wait;
  for (;;) {
    std::vector<std::string> writable;
    for (const auto& server : DatabaseServers(lab)) {
      WritableProbe probe(server.admin_socket);
      if (auto read_only = probe.ReadOnly(); read_only && !*read_only) writable.push_back(server.host);
    }
    if (writable.size() == 1) return writable.front();
    if (Clock::now() > deadline) {
      why = writable.empty() ? "no database server is writable" : std::to_string(writable.size()) + " database servers are writable";
      return "";
    }
    std::this_thread::sleep_for(200ms);
  }
}

void AuditWrites(const LabContext& lab, const std::vector<RequestRecord>& records, ChaosResult& result) {
  std::vector<SentWrite> writes;
  std::vector<std::string> keys;
  for (const auto& r : records) {
    if (!IsWrite(r.kind) || r.idempotency_key.empty()) continue;
    writes.push_back({r.idempotency_key, r.ok, r.message_id});
    keys.push_back(r.idempotency_key);
  }
  result.primary = FindPrimary(lab, 10s, result.audit_error);
  if (result.primary.empty()) return;
  auto db = AdminConnection::Connect(MariadbAdminSocket(lab, lab.HostNamed(result.primary)), 5s);
  if (!db.ok()) {
    result.audit_error = "cannot connect to " + result.primary + ": " + db.error().message;
    return;
  }
  auto rows = FetchStoredWrites(**db, keys);
  if (!rows.ok()) {
    result.audit_error = "cannot read messages on " + result.primary + ": " + rows.error().message;
    return;
  }
  result.audit = chaos::AuditWrites(writes, *rows);
  result.audited = true;
}

// What is not at full strength at the end: services not running, backends not UP, database
// servers waiting for a rejoin.
void CheckStrength(const LabContext& lab, ChaosResult& result) {
  for (const auto& host : lab.topology.hosts) {
    const bool present = NamespaceExists(host.name);
    for (const auto& service : host.services)
      if (!present || !ServiceRunning(lab, host, service)) result.services_down.push_back(host.name + "/" + service);
    if (present && NeedsRejoin(lab, host)) result.needs_rejoin.push_back(host.name);
  }
  for (const Host* lb : lab.topology.HostsRunning("haproxy")) {
    auto servers = BackendServers(HaproxyStatsSocketPath(lab.state.Host(lb->name)));
    if (!servers.ok()) continue;  // its haproxy is down: listed above
    for (const auto& s : *servers)
      if (s.server != "FRONTEND" && s.server != "BACKEND" && s.status.rfind("UP", 0) != 0)
        result.backends_down.push_back(lb->name + ":" + s.server + " " + s.status);
  }
}

}  // namespace

ChaosResult RunChaos(const LabContext& lab, const ChaosSettings& settings) {
  // Everything that can refuse the run does so before anything changes.
  const Host* loadgen = lab.topology.FindHost(kLoadgenHost);
  if (!loadgen || !NamespaceExists(loadgen->name))
    throw LabError(std::string("the lab has no running '") + kLoadgenHost + "' host to send the load from");
  Fault fault(lab, settings.fault);
  const fs::path out_dir = OutputDir(lab, settings);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw LabError("cannot create " + out_dir.string() + ": " + ec.message());

  ChaosResult result;
  result.fault = settings.fault;
  result.rate = settings.rate;
  result.duration_s = settings.duration_s;
  result.timeout_s = std::chrono::duration<double>(settings.timeout).count();
  result.addresses = ResolveSite(lab.topology, loadgen->name);

  LoadPlan plan;
  plan.addresses = result.addresses;
  plan.host_header = lab.topology.site.name;
  // HTTPS, verified as a browser on loadgen would: against the lab CA, or the system's store
  // when the topology serves a real certificate.
  plan.port = kHttpsPort;
  plan.ca_file = lab.topology.site.tls_certificate.empty() ? LabCaCertPath(lab.state.Secrets()).string()
                                                           : "/etc/ssl/certs/ca-certificates.crt";
  plan.rate = settings.rate;
  plan.duration_s = settings.duration_s;
  plan.timeout = settings.timeout;
  plan.run_id = RunId();
  plan.seed = std::hash<std::string>{}(plan.run_id);

  InterruptHandlers interrupt_handlers;
  WritableMonitor monitor(DatabaseServers(lab));
  monitor.Start();

  std::atomic<bool> stop_load{false};
  std::vector<RequestRecord> records;
  std::exception_ptr load_error;  // read after the join only
  std::atomic<bool> load_failed{false};
  // Time zero a little ahead, so the load thread is ready when the first request is due.
  const Clock::time_point t0 = Clock::now() + 200ms;
  result.started_at = UtcTimestamp(std::chrono::system_clock::now() + 200ms);
  auto at = [&](double fraction) {
    return t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings.duration_s * fraction));
  };
  std::fprintf(stderr, "chaos: %s %s under %g req/s for %g s, from %s to %s\n", settings.fault.FaultName().c_str(),
               settings.fault.TargetName().c_str(), settings.rate, settings.duration_s, kLoadgenHost,
               [&] {
                 std::string list;
                 for (const auto& a : result.addresses) list += (list.empty() ? "" : ", ") + a;
                 return list;
               }().c_str());
  std::thread load_thread([&] {
    try {
      // This thread alone enters the load generator's namespace: every socket it opens is there.
      EnterNamespace(kLoadgenHost);
      records = RunLoad(plan, t0, stop_load);
    } catch (...) {
      load_error = std::current_exception();
      load_failed = true;
    }
  });

  std::string inject_error;
  if (SleepUntil(at(kFaultAt), load_failed)) {
    Progress(t0, "fault: " + settings.fault.FaultName() + " " + settings.fault.TargetName());
    result.fault_at_s = SecondsSince(t0);
    try {
      fault.Inject();
    } catch (const std::exception& e) {
      inject_error = e.what();
      stop_load = true;
    }
  }
  if (inject_error.empty()) SleepUntil(at(kHealAt), load_failed);
  if (fault.injected()) {
    Progress(t0, "healing");
    result.heal_at_s = SecondsSince(t0);
    try {
      fault.Heal();
      result.healed = true;
    } catch (const std::exception& e) {
      result.heal_error = e.what();
    }
    result.heal_took_s = SecondsSince(t0) - result.heal_at_s;
    Progress(t0, result.healed ? "healed" : "could not heal: " + result.heal_error);
  }
  // Wait for the load to end; stop it early on an interrupt or a failed injection.
  if (!inject_error.empty() || !SleepUntil(at(1.0), load_failed)) stop_load = true;
  load_thread.join();
  monitor.Stop();
  result.interrupted = Interrupted();

  if (load_error) {
    try {
      std::rethrow_exception(load_error);
    } catch (const std::exception& e) {
      throw LabError(std::string("the load generator failed: ") + e.what() + (fault.injected() ? "" : " (fault healed)"));
    }
  }
  if (!inject_error.empty())
    throw LabError("could not inject " + settings.fault.FaultName() + " " + settings.fault.TargetName() + ": " +
                   inject_error + (result.healed ? " (undone)" : " (undo failed: " + result.heal_error + ")"));

  result.load = Summarize(records, static_cast<int>(plan.addresses.size()), settings.duration_s);
  if (result.fault_at_s >= 0) {
    result.disruption_s = DisruptionAfter(records, [](const RequestRecord&) { return true; }, result.fault_at_s);
    result.write_disruption_s =
        DisruptionAfter(records, [](const RequestRecord& r) { return IsWrite(r.kind); }, result.fault_at_s);
  }
  result.max_writable = monitor.MaxWritable();
  result.writable_seen = monitor.HostsSeenWritable();
  Progress(t0, "load done: " + std::to_string(result.load.sent) + " sent, " + std::to_string(result.load.failed) +
                   " failed; checking " + std::to_string(result.load.acked_writes) + " acknowledged writes");
  AuditWrites(lab, records, result);
  CheckStrength(lab, result);

  // An interrupted run's timeline ends where its load did.
  double timeline_s = settings.duration_s;
  if (result.interrupted) timeline_s = records.empty() ? 1 : records.back().scheduled_s + 1 / settings.rate;
  const auto rows = Timeline(records, timeline_s);
  result.timeline_csv = (out_dir / "timeline.csv").string();
  result.requests_csv = (out_dir / "requests.csv").string();
  result.plot = (out_dir / "timeline.svg").string();
  WriteFile(result.timeline_csv, TimelineCsv(rows));
  WriteFile(result.requests_csv, RequestsCsv(records, plan.addresses));
  PlotLabels labels;
  labels.title = "foobar chaos: " + settings.fault.FaultName() + " " + settings.fault.TargetName() + " at " +
                 fmt::format("{:g}", settings.rate) + " req/s";
  labels.subtitle = ResultHeadline(result);
  labels.fault_s = result.fault_at_s;
  labels.heal_s = result.heal_at_s;
  WriteFile(result.plot, TimelineSvg(rows, labels));
  return result;
}

}  // namespace foobar::ctl::chaos
