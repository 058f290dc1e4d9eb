#include "ctl/lab/deploy.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lb_servers.h"
#include "ctl/lab/network.h"
#include "ctl/lab/release_migrations.h"
#include "ctl/lab/services.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace {

constexpr auto kDrainBound = 15s;   // in-flight requests finish well within HAProxy's 10 s server timeout
constexpr auto kReadyBound = 20s;   // the app is ready once its first database probe answers (~1 s)
constexpr auto kUpBound = 10s;      // the balancers' health checks: rise 2 at 1 s
constexpr int kProbeCount = 10;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// GET /readyz on the app's own port, from inside its host.
bool AppReady(const Host& host) {
  CommandResult r = RunCommand({"ip", "netns", "exec", NamespaceName(host.name), "curl", "-fsS", "-o", "/dev/null",
                                "--max-time", "1", fmt::format("http://127.0.0.1:{}/readyz", kAppPort)});
  return r.ok();
}

bool WaitAppReady(const Host& host, std::chrono::milliseconds bound) {
  const auto deadline = Clock::now() + bound;
  while (!AppReady(host)) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

// kProbeCount GETs of /api/messages on the app's own port (one curl, one connection): how
// many answered 2xx and their median time.
CanaryObservation Probe(const Host& host) {
  std::vector<std::string> argv = {"ip", "netns", "exec", NamespaceName(host.name), "curl", "-s",
                                   "--max-time", "2", "-w", "%{http_code} %{time_total}\\n"};
  for (int i = 0; i < kProbeCount; ++i)  // -o applies to one URL each
    argv.insert(argv.end(), {"-o", "/dev/null", fmt::format("http://127.0.0.1:{}/api/messages?limit=5", kAppPort)});
  CommandResult r = RunCommand(argv);
  CanaryObservation o;
  o.probes = kProbeCount;
  std::vector<double> times;
  std::istringstream lines(r.out);
  int code = 0;
  double seconds = 0;
  while (lines >> code >> seconds) {
    if (code >= 200 && code < 300) {
      ++o.probes_ok;
      times.push_back(seconds * 1000);
    }
  }
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    o.probe_median_ms = times[times.size() / 2];
  }
  return o;
}

std::string UtcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Watches the canary for `window_s` of live traffic, then probes every app server directly.
CanaryVerdict WatchCanary(const LabContext& lab, const Host& canary, const DeployOptions& options) {
  const auto before = AppServerStatsEverywhere(lab);
  std::this_thread::sleep_for(std::chrono::duration<double>(options.canary_window_s));
  const auto after = AppServerStatsEverywhere(lab);
  std::map<std::string, CanaryObservation> seen;
  for (const Host* app : lab.topology.HostsRunning("app")) {
    CanaryObservation o = Probe(*app);
    if (auto a = after.find(app->name); a != after.end()) {
      auto b = before.find(app->name);
      // A counter that went down means the balancer restarted: count from zero.
      const long long r0 = b != before.end() && b->second.responses <= a->second.responses ? b->second.responses : 0;
      const long long e0 = b != before.end() && b->second.errors_5xx <= a->second.errors_5xx ? b->second.errors_5xx : 0;
      o.responses = a->second.responses - r0;
      o.errors_5xx = a->second.errors_5xx - e0;
    }
    seen[app->name] = o;
  }
  return JudgeCanary(canary.name, seen, options.margins);
}

}  // namespace

void RecordDeployEvent(const LabContext& lab, const std::string& event, const std::string& version) {
  fs::create_directories(ReleaseStore(lab.state));
  std::ofstream(ReleaseStore(lab.state) / "history", std::ios::app) << UtcNow() << " " << event << " " << version << "\n";
}

void RollServer(const LabContext& lab, const Host& host, const std::string& version, const DeploySay& say) {
  const HostPaths paths = lab.state.Host(host.name);
  const auto start = Clock::now();
  // 1. No new requests from any balancer; in-flight ones finish.
  SetAppServerState(lab, host.name, "drain");
  if (!WaitForNoSessions(lab, host.name, kDrainBound))
    say(fmt::format("{}: still busy after {:.0f} s of drain; restarting anyway", host.name, Since(start)));
  else
    say(fmt::format("{}: drained in every load balancer ({:.2f} s)", host.name, Since(start)));
  // 2. The app drains what Nginx still holds (SIGTERM), then the new release starts.
  StopService(lab, host, "app");
  SwitchHost(paths, version);
  // The static files of the release, over the old ones (Nginx serves them from www/).
  const fs::path site = CurrentAppBinary(paths).parent_path() / "site";
  if (fs::exists(site))
    fs::copy(site, paths.Www(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  try {
    StartService(lab, host, "app");
  } catch (const std::exception& e) {
    throw LabError(host.name + ": release " + version + " did not start: " + e.what());
  }
  if (!WaitAppReady(host, kReadyBound))
    throw LabError(fmt::format("{}: release {} did not become ready within {} s", host.name, version,
                               std::chrono::duration_cast<std::chrono::seconds>(kReadyBound).count()));
  say(fmt::format("{}: runs {}, ready ({:.2f} s)", host.name, version, Since(start)));
  // 3. Back into rotation once every balancer's health check has it UP.
  SetAppServerState(lab, host.name, "ready");
  if (!WaitForServerUp(lab, host.name, kUpBound))
    throw LabError(host.name + ": not UP in every load balancer after `state ready`");
  say(fmt::format("{}: back in rotation in every load balancer ({:.2f} s)", host.name, Since(start)));
}

void DeployRelease(const LabContext& lab, const Release& release, const DeployOptions& options, const DeploySay& say) {
  const auto apps = lab.topology.HostsRunning("app");
  if (apps.empty()) throw LabError("the lab has no app server");
  // Every server must serve before one is taken out: draining one must leave the others.
  for (const Host* app : apps)
    if (!WaitForServerUp(lab, app->name, 3s))
      throw LabError(app->name + " is not UP in every load balancer: a deploy takes servers out one at a time "
                                 "and needs the others serving (see `foobar status`)");

  for (const Host* app : apps) InstallOnHost(lab.state.Host(app->name), release);
  say("installed " + release.version + " on " + std::to_string(apps.size()) + " app servers");
  const auto expanded = ApplyExpandMigrations(lab, release.dir / "schema");
  for (const auto& m : expanded) say("expand migration " + m + " applied");

  bool first = true;
  for (const Host* app : apps) {
    const HostPaths paths = lab.state.Host(app->name);
    const auto old_version = CurrentVersion(paths);
    if (old_version == release.version) {
      say(app->name + ": runs " + release.version + " already");
      continue;
    }
    const bool canary = first && apps.size() > 1 && options.canary_window_s > 0;
    first = false;
    say(app->name + (canary ? " (canary): " : ": ") + old_version.value_or("none") + " -> " + release.version);
    try {
      RollServer(lab, *app, release.version, say);
    } catch (const LabError& e) {
      if (!old_version) throw;
      say(std::string(e.what()) + "; rolling " + app->name + " back to " + *old_version);
      RollServer(lab, *app, *old_version, say);
      RecordDeployEvent(lab, "failed", release.version);
      throw LabError(std::string(e.what()) + "; " + app->name + " rolled back to " + *old_version +
                     ", the other servers were not touched");
    }
    if (!canary) continue;
    say(fmt::format("{} (canary): watching it for {:g} s", app->name, options.canary_window_s));
    const CanaryVerdict verdict = WatchCanary(lab, *app, options);
    if (verdict.healthy) {
      say(app->name + " (canary): healthy: " + verdict.summary);
      continue;
    }
    say(app->name + " (canary): UNHEALTHY: " + verdict.summary + "; rolling it back to " + old_version.value_or("?"));
    if (old_version) RollServer(lab, *app, *old_version, say);
    RecordDeployEvent(lab, "canary-failed", release.version);
    throw LabError("canary " + app->name + " failed with release " + release.version + " (" + verdict.summary +
                   "); it was rolled back to " + old_version.value_or("?") + " and no other server was touched");
  }
  const auto contracted = ApplyContractMigrations(lab, release.dir / "schema");
  for (const auto& m : contracted) say("contract migration " + m + " applied");
  SetFleetVersion(lab.state, release.version);
  RecordDeployEvent(lab, "deployed", release.version);
}

}  // namespace foobar::ctl
