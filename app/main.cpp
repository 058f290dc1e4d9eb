// foobar-app: start-up, signal handling and drain. Everything else lives in foobar_app_lib.
//
// Threads: `threads` HTTP event loops (see http_server.h), `database.pool_size` database
// workers per pool (see db_pool.h; one pool for the primary and, with several servers, one
// per replica), one prober per database server (see role_tracker.h), and
// this main thread, which only waits for SIGTERM/SIGINT with sigwait.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "app/app_metrics.h"
#include "app/config.h"
#include "app/database_router.h"
#include "app/http_server.h"
#include "app/json_log.h"
#include "app/mariadb_message_store.h"
#include "app/messages_api.h"
#include "app/metrics_handler.h"
#include "app/release_info.h"
#include "app/request_handler.h"
#include "app/version.h"

namespace foobar::app {
namespace {

constexpr int kExitConfig = 2;
constexpr int kExitRuntime = 1;
// The whole drain, from signal to exit, stays under ~10 s.
constexpr auto kDrainDeadline = std::chrono::milliseconds(9500);
constexpr auto kDrainPoll = std::chrono::milliseconds(100);

nlohmann::json ServerList(const DatabaseConfig& database) {
  nlohmann::json servers = nlohmann::json::array();
  for (const auto& server : database.servers) servers.push_back(server.ToString());
  return servers;
}

// Waits for the drain; a second signal or the deadline ends it early. True if clean.
bool AwaitDrain(HttpServer& server, const sigset_t& signals) {
  const auto deadline = std::chrono::steady_clock::now() + kDrainDeadline;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (server.WaitDrained(std::min(deadline, now + kDrainPoll))) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    timespec zero{0, 0};
    if (sigtimedwait(&signals, nullptr, &zero) > 0) return false;
  }
}

int Run(const Config& config, const ReleaseInfo& release) {
  // Block the stop signals in every thread (threads inherit the mask) and receive them
  // synchronously here; a write to a closed stdout pipe must not kill the process.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  LogEvent(LogLevel::kInfo, "starting",
           {{"version", Version()},
            {"host", config.host_name},
            {"threads", config.threads},
            {"database_servers", ServerList(config.database)},
            {"database", config.database.name},
            {"database_user", config.database.user},
            {"pool_size", config.database.pool_size},
            {"replica_max_lag_s", config.database.replica_max_lag_s},
            {"read_your_writes_timeout_ms", config.database.read_your_writes_timeout_ms}});

  DatabaseRouter database(config.database);
  database.Start();  // returns at once; the database may well be down
  MariaDbMessageStore store(database, MariaDbMessageStore::Options{std::chrono::milliseconds(
                                          config.database.read_your_writes_timeout_ms)});
  MessagesApi messages(store);
  ApiService service(messages, database, config.host_name);
  if (release.fault) {
    LogEvent(LogLevel::kWarn, "release injects a fault",
             {{"status", release.fault->status}, {"path", release.fault->path}});
    service.InjectFault(*release.fault);
  }

  AppMetrics& metrics = ProcessMetrics();
  metrics.SetBuildInfo(Version());
  HttpServer server(HttpServerOptions{config.listen_address, config.listen_port, config.threads,
                                      config.host_name, SessionLimits{}, &metrics.http()},
                    service);
  if (auto status = server.Start(); !status.ok()) {
    LogEvent(LogLevel::kError, "cannot start", {{"error", status.error().message}});
    database.Stop();
    return kExitRuntime;
  }
  LogEvent(LogLevel::kInfo, "listening",
           {{"address", config.listen_address}, {"port", server.port()}});
  // GET /metrics on its own listener and thread; not counted, not in the access log (a
  // scrape every few seconds would drown the requests).
  MetricsHandler metrics_handler(metrics.registry());
  HttpServer metrics_server(
      HttpServerOptions{config.metrics_listen_address, config.metrics_listen_port, 1,
                        config.host_name, SessionLimits{}, nullptr, false},
      metrics_handler);
  if (!config.metrics_listen_address.empty()) {
    if (auto status = metrics_server.Start(); !status.ok()) {
      LogEvent(LogLevel::kError, "cannot start", {{"error", status.error().message}});
      server.Stop();
      database.Stop();
      return kExitRuntime;
    }
    LogEvent(LogLevel::kInfo, "serving metrics",
             {{"address", config.metrics_listen_address}, {"port", metrics_server.port()}});
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  LogEvent(LogLevel::kInfo, "draining",
           {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"},
            {"open_connections", server.open_connections()}});
  server.BeginDrain();
  if (!AwaitDrain(server, signals)) {
    // Connections still open past the bound: leave without tearing down threads that
    // may be blocked, which is what the bound is for.
    LogEvent(LogLevel::kWarn, "drain cut short; exiting",
             {{"open_connections", server.open_connections()}});
    std::fflush(stdout);
    std::_Exit(0);
  }
  server.Stop();
  metrics_server.Stop();
  database.Stop();
  LogEvent(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace
}  // namespace foobar::app

int main(int argc, char** argv) {
  using foobar::app::ConfigOverrides;
  CLI::App cli{"foobar-app: the foobar guestbook application server"};
  std::string config_path;
  ConfigOverrides overrides;
  // The release beside the binary names the version (release_info.h); read before anything
  // reports it.
  auto release = foobar::app::LoadReleaseInfo(foobar::app::ReleaseInfoPath());
  if (!release.ok()) {
    std::cerr << "foobar-app: " << release.error().message << "\n";
    return foobar::app::kExitConfig;
  }
  foobar::app::SetVersion(release->version);
  cli.set_version_flag("--version", std::string("foobar-app ") + foobar::app::Version());
  cli.add_option("--config", config_path, "TOML configuration file")->required();
  cli.add_option("--listen", overrides.listen, "listen address ADDR:PORT (overrides the file)");
  cli.add_option("--threads", overrides.threads, "HTTP event-loop threads (overrides the file)");
  cli.add_option("--host-name", overrides.host_name, "name sent in X-Served-By");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return cli.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    std::cerr << "foobar-app: " << e.what() << "\n";
    return foobar::app::kExitConfig;
  }

  auto config = foobar::app::LoadConfig(config_path, overrides);
  if (!config.ok()) {
    std::cerr << "foobar-app: " << config.error().message << "\n";
    return foobar::app::kExitConfig;
  }
  return foobar::app::Run(*config, *release);
}
