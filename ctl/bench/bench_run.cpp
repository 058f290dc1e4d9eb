#include "ctl/bench/bench_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <toml++/toml.h>

#include "ctl/bench/bench_plot.h"
#include "ctl/bench/bench_report.h"
#include "ctl/bench/bench_targets.h"
#include "ctl/bench/in_namespace.h"
#include "ctl/bench/latency_capacity.h"
#include "ctl/bench/reference_nginx.h"
#include "ctl/chaos/site_addresses.h"
#include "ctl/lab/command.h"
#include "ctl/lab/db_admin.h"
#include "ctl/lab/interrupt_handlers.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/network.h"
#include "ctl/lab/services.h"
#include "ctl/render/app_config.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kLoadgenHost = "loadgen";

struct Scale {
  double seconds = 8;          // per closed-loop run, per open-loop run, per curve point, sysbench
  int connections = 32;        // wrk connections = sysbench threads
  double open_loop_cap = 10000;  // the highest fixed rate offered (one generator thread)
  std::vector<double> curve_fractions;
  int narrowing_runs = 0;      // extra curve runs that narrow the rate within the p99 limit
};

Scale ScaleFor(const std::string& name) {
  if (name == "full") return {8, 32, 10000, {0.1, 0.25, 0.5, 0.75, 0.9, 1.0}, 3};
  if (name == "tiny") return {1, 8, 1000, {0.25, 0.5, 1.0}, 1};
  throw LabError("unknown bench scale '" + name + "' (full or tiny)");
}

// Where one path's requests go, from which host.
struct PathTarget {
  std::string path;      // kPathApp, ...
  std::string host;      // the host wrk and the open-loop client run in
  std::string address;   // IPv4 for the open-loop client
  int port = 80;
  bool tls = false;
  std::string url_base;  // for wrk: scheme://authority
};

struct RequestSpec {
  std::string endpoint;
  std::string method;
  std::string target;
  std::string body;
  std::vector<std::string> targets;  // when not empty: each request picks one (reads by id)
};

// GET /api/messages/ID reads a random one of this many messages per request.
constexpr int kReadMessages = 1000;

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double one_minute = 0;
  in >> one_minute;
  return one_minute;
}

std::string RunId() {
  std::random_device random;
  return fmt::format("{:08x}", random());
}

const Host* PrimaryDatabase(const LabContext& lab) {
  for (const Host* host : lab.topology.HostsRunning("mariadb")) {
    auto admin = AdminConnection::Connect(MariadbAdminSocket(lab, *host), 2000ms);
    if (!admin.ok()) continue;
    auto answer = (*admin)->Run("SELECT @@global.read_only");
    if (answer.ok() && !answer->rows.empty() && answer->rows[0][0] == "0") return host;
  }
  return nullptr;
}

// Deletes the messages the run posted (by their author, unique to the run), however it ends.
class PostedMessagesGuard {
 public:
  PostedMessagesGuard(const LabContext& lab, std::string author) : lab_(lab), author_(std::move(author)) {}
  ~PostedMessagesGuard() {
    try {
      const Host* primary = PrimaryDatabase(lab_);
      if (!primary) return;
      auto admin = AdminConnection::Connect(MariadbAdminSocket(lab_, *primary), 2000ms);
      if (!admin.ok()) return;
      auto deleted = (*admin)->Run(std::string("DELETE FROM ") + kDatabaseName +
                                   ".messages WHERE author = " + SqlQuote(author_));
      if (deleted.ok())
        std::fprintf(stderr, "bench: removed the %llu messages the run posted\n", deleted->affected_rows);
    } catch (...) {
    }
  }

 private:
  const LabContext& lab_;
  std::string author_;
};

// A temporary file removed when the guard goes.
struct TempFile {
  fs::path path;
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

class BenchRun {
 public:
  BenchRun(const LabContext& lab, const BenchSettings& settings)
      : lab_(lab), settings_(settings), scale_(ScaleFor(settings.scale)), run_id_(RunId()),
        author_("bench-" + run_id_) {}

  BenchResults Run() {
    // Ctrl-C or SIGTERM: the step running ends (wrk and sysbench within their 8 s), then the
    // run unwinds through its guards (reference Nginx, sysbench schema, posted messages).
    InterruptHandlers interrupt_handlers;
    const auto started = Clock::now();
    FindHosts();
    results_.started_at = UtcNow();
    results_.scale = settings_.scale;
    results_.machine = CpuModel();
    results_.cores = static_cast<int>(std::thread::hardware_concurrency());
    results_.connections = scale_.connections;
    results_.read_messages = kReadMessages;
    results_.seconds_per_point = scale_.seconds;
    results_.open_loop_cap = scale_.open_loop_cap;
    results_.app_threads = AppThreads();
    results_.stack_url = stack_.url_base;
    results_.load_at_start = LoadAverage();

    PostedMessagesGuard cleanup(lab_, author_);
    const std::string body =
        nlohmann::json{{"author", author_}, {"body", "a benchmark message of ordinary length, to be read back"}}.dump();
    const std::vector<std::string> read_targets = SeedReadTargets();
    post_script_.path = fs::temp_directory_path() / fmt::format("foobar-bench-{}.lua", run_id_);
    {
      std::ofstream out(post_script_.path);
      out << WrkBodyScript("POST", body);
    }
    read_script_.path = fs::temp_directory_path() / fmt::format("foobar-bench-{}-read.lua", run_id_);
    {
      std::ofstream out(read_script_.path);
      out << WrkRandomTargetScript(read_targets);
    }
    const RequestSpec healthz{kHealthz, "GET", "/healthz", "", {}};
    const RequestSpec fixed{kFixed, "GET", kReferenceFixedPath, "", {}};
    const RequestSpec page{kStatic, "GET", "/", "", {}};
    const RequestSpec by_id{kReadById, "GET", read_targets.front(), "", read_targets};
    const RequestSpec list{kList, "GET", "/api/messages?limit=20", "", {}};
    const RequestSpec post{kPost, "POST", "/api/messages", body, {}};

    {
      // The HTTP ceiling next to the figures compared with it.
      ReferenceNginx reference(lab_, app_host_, results_.app_threads);
      reference_pids_ = reference.Pids();
      Measure(fixed, reference_);
      Measure(healthz, app_);
      Measure(healthz, nginx_);
      Measure(healthz, stack_);
      Measure(page, reference_);
      Measure(page, nginx_);
      Measure(page, stack_);
    }
    reference_pids_.clear();
    Measure(by_id, app_);
    MeasureSysbench();
    Measure(by_id, nginx_);
    Measure(by_id, stack_);
    // The curve right after its own point and before any write: the POST runs leave the
    // replicas applying thousands of rows for a while, which showed as a curve far worse
    // than the fixed-rate point at the same rate (p99 207 ms vs 15 ms at 3,977 req/s).
    MeasureCurve(by_id);
    Measure(list, app_);
    Measure(list, nginx_);
    Measure(list, stack_);
    Measure(post, app_);
    Measure(post, nginx_);
    Measure(post, stack_);
    MeasureMemory();

    results_.targets = EvaluateTargets(results_);
    results_.took_s = std::chrono::duration<double>(Clock::now() - started).count();
    results_.load_at_end = LoadAverage();
    Write();
    return results_;
  }

 private:
  void Progress(const std::string& text) {
    std::fprintf(stderr, "bench: %s\n", text.c_str());
    std::fflush(stderr);
  }

  void FindHosts() {
    const auto app_hosts = lab_.topology.HostsRunning("app");
    if (app_hosts.empty()) throw LabError("the lab has no app server to benchmark");
    const Host& app = *app_hosts.front();
    if (!app.Runs("nginx")) throw LabError(app.name + " runs no nginx in front of its app");
    app_host_ = app.name;
    const Host* loadgen = lab_.topology.FindHost(kLoadgenHost);
    if (!loadgen || !NamespaceExists(loadgen->name))
      throw LabError(std::string("the lab has no running '") + kLoadgenHost + "' host to send the load from");
    const std::string private_address = *app.AddressOn("private");
    app_ = {kPathApp, app_host_, "127.0.0.1", kAppPort, false, fmt::format("http://127.0.0.1:{}", kAppPort)};
    nginx_ = {kPathNginx, app_host_, private_address, kHttpPort, false,
              fmt::format("http://{}:{}", private_address, kHttpPort)};
    reference_ = {kPathReference, app_host_, "127.0.0.1", kReferenceNginxPort, false,
                  fmt::format("http://127.0.0.1:{}", kReferenceNginxPort)};
    // The site as a visitor reaches it: HTTPS when plain HTTP only redirects there.
    const std::string& site = lab_.topology.site.name;
    const CommandResult probe =
        RunCommand({"ip", "netns", "exec", NamespaceName(kLoadgenHost), "curl", "-s", "-o", "/dev/null", "-w",
                    "%{http_code}", "--max-time", "5", "http://" + site + "/healthz"});
    const bool tls = probe.out.rfind("30", 0) == 0;
    const auto addresses = chaos::ResolveSite(lab_.topology, kLoadgenHost);
    if (addresses.empty()) throw LabError("cannot resolve " + site + " from " + kLoadgenHost);
    stack_ = {kPathStack, kLoadgenHost, addresses.front(), tls ? kHttpsPort : kHttpPort, tls,
              (tls ? "https://" : "http://") + site};
  }

  int AppThreads() {
    try {
      auto config = toml::parse_file(AppConfigPath(lab_.state.Host(app_host_)).string());
      return static_cast<int>(config["threads"].value_or(int64_t{2}));
    } catch (const std::exception&) {
      return 2;
    }
  }

  // The messages GET /api/messages/ID reads: kReadMessages of them, written into the primary
  // in one statement (posting them one by one would take seconds) by the run's author (so
  // PostedMessagesGuard removes them), then awaited on every replica, where the app reads.
  // Their paths come back in a fixed shuffled order for the open-loop client.
  std::vector<std::string> SeedReadTargets() {
    const Host* primary = PrimaryDatabase(lab_);
    if (!primary) throw LabError("no writable MariaDB primary to write the messages to read back");
    auto admin = AdminConnection::Connect(MariadbAdminSocket(lab_, *primary), 2000ms);
    if (!admin.ok()) throw LabError("cannot reach MariaDB on " + primary->name + ": " + admin.error().message);
    const std::string table = std::string(kDatabaseName) + ".messages";
    const std::string author = SqlQuote(author_);
    auto inserted = (*admin)->Run(fmt::format(
        "INSERT INTO {} (author, body) SELECT {}, CONCAT('a benchmark message of ordinary length, to be read back: ', "
        "seq) FROM {}.seq_1_to_{}",
        table, author, kDatabaseName, kReadMessages));
    if (!inserted.ok()) throw LabError("cannot write the messages to read back: " + inserted.error().message);
    auto ids = (*admin)->Run(fmt::format("SELECT id FROM {} WHERE author = {} ORDER BY id", table, author));
    if (!ids.ok() || ids->rows.size() != static_cast<size_t>(kReadMessages))
      throw LabError("the messages to read back were not all written on " + primary->name);
    for (const Host* host : lab_.topology.HostsRunning("mariadb")) {
      if (host != primary) AwaitRows(*host, table, author, ids->rows.size());
    }
    std::vector<std::string> targets;
    for (const auto& row : ids->rows) targets.push_back("/api/messages/" + row[0]);
    std::shuffle(targets.begin(), targets.end(), std::mt19937(1));
    Progress(fmt::format("wrote {} messages to read back, on every database server", targets.size()));
    return targets;
  }

  void AwaitRows(const Host& host, const std::string& table, const std::string& author, size_t count) {
    auto admin = AdminConnection::Connect(MariadbAdminSocket(lab_, host), 2000ms);
    if (!admin.ok()) throw LabError("cannot reach MariaDB on " + host.name + ": " + admin.error().message);
    const auto until = Clock::now() + 30s;
    const std::string sql = fmt::format("SELECT COUNT(*) FROM {} WHERE author = {}", table, author);
    for (;;) {
      auto answer = (*admin)->Run(sql);
      if (answer.ok() && !answer->rows.empty() && answer->rows[0][0] == std::to_string(count)) return;
      if (Clock::now() > until)
        throw LabError("the messages to read back did not reach " + host.name + " within 30 s (replication?)");
      std::this_thread::sleep_for(100ms);
    }
  }

  OpenLoopResult OpenLoop(const PathTarget& to, const RequestSpec& request, double rate, double seconds) {
    OpenLoopPlan plan;
    plan.address = to.address;
    plan.port = to.port;
    plan.tls = to.tls;
    plan.request.method = request.method;
    plan.request.target = request.target;
    plan.request.host_header = lab_.topology.site.name;
    plan.request.body = request.body;
    plan.request.targets = request.targets;
    plan.rate = rate;
    plan.duration_s = seconds;
    plan.connections = static_cast<size_t>(scale_.connections);  // as many as wrk's
    OpenLoopResult result = RunInNamespace(to.host, [&] { return RunOpenLoop(plan, InterruptFlag()); });
    StopIfInterrupted();
    return result;
  }

  static void StopIfInterrupted() {
    if (Interrupted()) throw LabError("interrupted: the benchmark stopped; what it started is undone");
  }

  void Measure(const RequestSpec& request, const PathTarget& to) {
    StopIfInterrupted();
    PointResult point;
    point.endpoint = request.endpoint;
    point.path = to.path;
    point.request = request.method + " " + (request.endpoint == kReadById ? "/api/messages/ID" : request.target);
    WrkPlan wrk;
    wrk.host = to.host;
    wrk.url = to.url_base + request.target;
    wrk.connections = scale_.connections;
    wrk.duration_s = scale_.seconds;
    if (!request.body.empty()) wrk.script_file = post_script_.path.string();
    if (!request.targets.empty()) wrk.script_file = read_script_.path.string();
    const CpuByKind before = SampleCpu(lab_, reference_pids_);
    point.max = RunWrk(wrk);
    StopIfInterrupted();
    const CpuByKind used = CpuDelta(before, SampleCpu(lab_, reference_pids_));
    if (point.max.requests > 0)
      for (const auto& [kind, seconds] : used)
        point.cpu_per_1000[kind] = seconds / static_cast<double>(point.max.requests) * 1000;
    point.fixed_rate = std::min(std::max(1.0, std::floor(point.max.requests_per_s / 2)), scale_.open_loop_cap);
    point.fixed = OpenLoop(to, request, point.fixed_rate, scale_.seconds);
    Progress(fmt::format("{:<26} {:<15} max {:>8.0f} req/s ({} errors); at {:.0f} req/s p50 {:.2f} ms p99 {:.2f} ms "
                         "p99.9 {:.2f} ms ({} failed)",
                         point.request, to.path, point.max.requests_per_s, point.max.non_2xx + point.max.socket_errors,
                         point.fixed_rate, point.fixed.p50_ms, point.fixed.p99_ms, point.fixed.p999_ms,
                         point.fixed.failed));
    results_.points.push_back(std::move(point));
  }

  void MeasureSysbench() {
    StopIfInterrupted();
    SysbenchPlan plan;
    plan.from_host = app_host_;
    plan.threads = scale_.connections;
    plan.duration_s = scale_.seconds;
    results_.sysbench_threads = plan.threads;
    results_.sysbench = RunPointSelect(lab_, plan);
    Progress(fmt::format("sysbench oltp_point_select on {} with {} threads: {:.0f} queries/s",
                         results_.sysbench.server, plan.threads, results_.sysbench.queries_per_s));
  }

  void MeasureCurve(const RequestSpec& request) {
    const PointResult* stack = results_.Find(request.endpoint, kPathStack);
    if (!stack || stack->max.requests_per_s <= 0) return;
    for (double fraction : scale_.curve_fractions) {
      CurvePoint point;
      point.fraction_of_max = fraction;
      point.offered_rate = std::min(std::max(1.0, std::floor(stack->max.requests_per_s * fraction)), scale_.open_loop_cap);
      point.result = OpenLoop(stack_, request, point.offered_rate, scale_.seconds);
      Progress(fmt::format("curve: {:.0f} req/s offered ({:.0f} % of max): p50 {:.2f} ms p99 {:.2f} ms p99.9 {:.2f} ms "
                           "({} failed)",
                           point.offered_rate, fraction * 100, point.result.p50_ms, point.result.p99_ms,
                           point.result.p999_ms, point.result.failed));
      results_.curve.push_back(point);
    }
    // Each run halves the gap between the highest rate within the limit and the lowest over
    // it, down to 5 % of the maximum.
    const double max = stack->max.requests_per_s;
    for (int run = 0; run < scale_.narrowing_runs; ++run) {
      const auto rate = NextRateToTry(results_.curve, kStackP99LimitMs, max * 0.05);
      if (!rate || *rate < 1) break;
      CurvePoint point;
      point.offered_rate = *rate;
      point.fraction_of_max = *rate / max;
      point.narrowing = true;
      point.result = OpenLoop(stack_, request, point.offered_rate, scale_.seconds);
      Progress(fmt::format("narrowing: {:.0f} req/s: p99 {:.2f} ms ({} failed)", point.offered_rate,
                           point.result.p99_ms, point.result.failed));
      results_.curve.push_back(point);
    }
    std::stable_sort(results_.curve.begin(), results_.curve.end(),
                     [](const CurvePoint& a, const CurvePoint& b) { return a.offered_rate < b.offered_rate; });
    results_.rate_within_p99_limit = HighestRateWithin(results_.curve, kStackP99LimitMs);
    if (results_.rate_within_p99_limit > 0) {
      Progress(fmt::format("the whole stack kept p99 under {} ms up to {:.0f} req/s ({:.0f} % of its maximum)",
                           kStackP99LimitMs, results_.rate_within_p99_limit,
                           results_.rate_within_p99_limit / max * 100));
    } else {
      Progress(fmt::format("the whole stack's p99 was not under {} ms at any rate tried", kStackP99LimitMs));
    }
  }

  void MeasureMemory() {
    const Host& host = lab_.HostNamed(app_host_);
    const auto pid = RunningDaemonPid(DaemonFor(lab_, host, "app"));
    if (!pid) throw LabError("foobar-app is not running on " + app_host_);
    results_.rss_idle_mib = ResidentMiB(*pid).value_or(0);
    IdlePlan plan;
    plan.address = "127.0.0.1";
    plan.port = kAppPort;
    plan.host_header = lab_.topology.site.name;
    plan.connections = kIdleConnections;
    plan.hold = 60s;
    std::atomic<bool> ready{false}, stop{false};
    IdleResult held;
    std::exception_ptr error;
    std::thread holder([&] {
      try {
        EnterNamespace(app_host_);
        held = HoldIdleConnections(plan, [&](const IdleResult&) { ready = true; }, stop);
      } catch (...) {
        error = std::current_exception();
        ready = true;
      }
    });
    const auto until = Clock::now() + 60s;
    while (!ready && Clock::now() < until && !Interrupted()) std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(300ms);  // let the app settle every session's buffers
    results_.rss_connections_mib = ResidentMiB(*pid).value_or(0);
    stop = true;
    holder.join();
    if (error) std::rethrow_exception(error);
    StopIfInterrupted();
    results_.idle = held;
    Progress(fmt::format("foobar-app RSS: {:.1f} MiB idle, {:.1f} MiB with {} idle keep-alive connections ({} failed)",
                         results_.rss_idle_mib, results_.rss_connections_mib, held.opened, held.failed));
  }

  void Write() {
    std::error_code ec;
    fs::create_directories(settings_.out_dir, ec);
    if (ec) throw LabError("cannot create " + settings_.out_dir.string() + ": " + ec.message());
    results_.plots = Plot(results_, settings_.out_dir);
    std::ofstream(settings_.out_dir / "results.json") << ResultsJson(results_).dump(2) << "\n";
    std::ofstream(settings_.out_dir / "REPORT.md") << ReportMarkdown(results_);
    Progress("wrote " + (settings_.out_dir / "REPORT.md").string());
  }

  const LabContext& lab_;
  BenchSettings settings_;
  Scale scale_;
  std::string run_id_;
  std::string author_;
  std::string app_host_;
  PathTarget app_, nginx_, stack_, reference_;
  std::set<pid_t> reference_pids_;
  TempFile post_script_;
  TempFile read_script_;
  BenchResults results_;
};

}  // namespace

BenchResults RunBench(const LabContext& lab, const BenchSettings& settings) {
  BenchRun run(lab, settings);
  return run.Run();
}

}  // namespace foobar::ctl::bench
