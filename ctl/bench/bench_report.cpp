#include "ctl/bench/bench_report.h"

#include <fmt/format.h>

#include <iterator>
#include <optional>
#include <set>

#include "ctl/bench/bench_targets.h"

namespace foobar::ctl::bench {
namespace {

nlohmann::json OpenLoopJson(const OpenLoopResult& r) {
  return {{"sent", r.sent},     {"ok", r.ok},         {"failed", r.failed},   {"p50_ms", r.p50_ms},
          {"p90_ms", r.p90_ms}, {"p99_ms", r.p99_ms}, {"p999_ms", r.p999_ms}, {"max_ms", r.max_ms},
          {"errors", r.errors}};
}

std::string Num(double v, int digits = 0) { return fmt::format("{:.{}f}", v, digits); }

std::string Ms(double v) { return v < 10 ? fmt::format("{:.2f}", v) : fmt::format("{:.1f}", v); }

// "0", or "7 (timeout 5, HTTP 503 2)": how many failed and why.
std::string FailedText(const OpenLoopResult& r) {
  if (r.failed == 0) return "0";
  std::string reasons;
  for (const auto& [error, count] : r.errors) reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", error, count);
  return fmt::format("{} ({})", r.failed, reasons);
}

const char* PathLabel(const std::string& path) {
  if (path == kPathApp) return "app direct";
  if (path == kPathNginx) return "through Nginx";
  if (path == kPathStack) return "whole stack";
  return "reference Nginx";
}

// The rate within the p99 limit as a share of the whole stack's closed-loop maximum.
double StackShareOfMax(const BenchResults& r) {
  const PointResult* stack = r.Find(kReadById, kPathStack);
  return stack && stack->max.requests_per_s > 0 ? r.rate_within_p99_limit / stack->max.requests_per_s : 0;
}

// CPU of every server process per request (the load generator left out).
double ServerCpuPerRequest(const PointResult& p) {
  double total = 0;
  for (const auto& [kind, seconds] : p.cpu_per_1000)
    if (kind != "wrk") total += seconds;
  return total;
}

}  // namespace

std::optional<double> SharedCoresBound(const BenchResults& r) {
  const PointResult* app = r.Find(kReadById, kPathApp);
  const PointResult* stack = r.Find(kReadById, kPathStack);
  if (!app || !stack || ServerCpuPerRequest(*stack) <= 0 || ServerCpuPerRequest(*app) <= 0) return std::nullopt;
  return ServerCpuPerRequest(*app) / ServerCpuPerRequest(*stack);
}

nlohmann::json ResultsJson(const BenchResults& r) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : r.points) {
    points.push_back({{"endpoint", p.endpoint},
                      {"path", p.path},
                      {"request", p.request},
                      {"max_rps", p.max.requests_per_s},
                      {"max_requests", p.max.requests},
                      {"max_non_2xx", p.max.non_2xx},
                      {"max_socket_errors", p.max.socket_errors},
                      {"cpu_s_per_1000", p.cpu_per_1000},
                      {"fixed_rate", p.fixed_rate},
                      {"fixed", OpenLoopJson(p.fixed)}});
  }
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& c : r.curve)
    curve.push_back({{"offered_rate", c.offered_rate}, {"fraction_of_max", c.fraction_of_max},
                     {"narrowing", c.narrowing}, {"result", OpenLoopJson(c.result)}});
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : r.targets)
    targets.push_back({{"name", t.name}, {"figure", t.figure}, {"value", t.value}, {"reference", t.reference},
                       {"ratio", t.ratio}, {"rule", t.rule}, {"pass", t.pass}});
  return {{"started_at", r.started_at},
          {"scale", r.scale},
          {"machine", r.machine},
          {"cores", r.cores},
          {"connections", r.connections},
          {"read_messages", r.read_messages},
          {"app_threads", r.app_threads},
          {"seconds_per_point", r.seconds_per_point},
          {"stack_url", r.stack_url},
          {"points", points},
          {"sysbench", {{"server", r.sysbench.server}, {"threads", r.sysbench_threads},
                        {"queries_per_s", r.sysbench.queries_per_s}, {"p95_ms", r.sysbench.p95_ms}}},
          {"memory", {{"rss_idle_mib", r.rss_idle_mib}, {"rss_connections_mib", r.rss_connections_mib},
                      {"connections_opened", r.idle.opened}, {"connections_failed", r.idle.failed},
                      {"connections_still_open", r.idle.still_open}}},
          {"curve", curve},
          {"rate_within_p99_limit", r.rate_within_p99_limit},
          {"targets", targets},
          {"plots", r.plots},
          {"took_s", r.took_s},
          {"load_average", {{"start", r.load_at_start}, {"end", r.load_at_end}}}};
}

std::string ReportMarkdown(const BenchResults& r) {
  fmt::memory_buffer out;
  auto line = [&](const std::string& text) { fmt::format_to(std::back_inserter(out), "{}\n", text); };

  line("# foobar benchmark report");
  line("");
  line(fmt::format("Run {} UTC, scale `{}`, {} s per point; machine: {} ({} cores, shared by every lab host and "
                   "the load generators). Took {:.0f} s. Load average (1 min) {:.1f} at the start, {:.1f} at the "
                   "end: above {} the lab's processes waited for a core and every figure is lower than the "
                   "machine can do.",
                   r.started_at, r.scale, r.seconds_per_point, r.machine, r.cores, r.took_s, r.load_at_start,
                   r.load_at_end, r.cores));
  line("");
  line(fmt::format("Closed loop: `wrk -t1 -c{}` (maximum throughput). Open loop: `foobar load` (fixed rate, latency "
                   "from each request's scheduled time, so no coordinated omission; its {} keep-alive connections "
                   "opened before the first request) at half of each point's maximum, capped at {:.0f} req/s. "
                   "`GET /api/messages/ID` reads a random one of {} messages per request, as sysbench reads a "
                   "random row. Whole stack: `{}` from `loadgen`. The app has {} threads; the reference Nginx has "
                   "as many workers. Figures drift on a shared machine: compare ratios within this report.",
                   r.connections, r.connections, r.open_loop_cap, r.read_messages, r.stack_url, r.app_threads));
  line("");
  line("## Targets");
  line("");
  line("| target | measured | reference | ratio | rule | result |");
  line("|---|---|---|---|---|---|");
  for (const auto& t : r.targets) {
    line(fmt::format("| {} | {} ({}) | {} | {:.2f} | {} | **{}** |", t.name, Num(t.value, t.value < 100 ? 2 : 0),
                     t.figure, Num(t.reference, t.reference < 100 ? 2 : 0), t.ratio, t.rule,
                     t.pass ? "PASS" : "FAIL"));
  }
  line("");
  if (const auto bound = SharedCoresBound(r)) {
    line(fmt::format("Where every tier shares the same cores, rates go as the inverse of the CPU a request takes: "
                     "from the server CPU per `GET /api/messages/ID` directly and through the whole stack (table "
                     "below), the stack can be expected at about **{:.2f}** of the app's direct rate. The {} target "
                     "needs HAProxy and Nginx together to cost less than the app and its database; on hosts of their "
                     "own, each tier has its cores and the slowest one sets the rate.",
                     *bound, kStackVsAppMin));
    line("");
  }
  line("## Maximum throughput (closed loop) and latency at a fixed rate (open loop)");
  line("");
  line("| request | path | max req/s | errors | fixed rate | p50 ms | p90 ms | p99 ms | p99.9 ms | failed (why) |");
  line("|---|---|---|---|---|---|---|---|---|---|");
  for (const auto& p : r.points) {
    line(fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |", p.request, PathLabel(p.path),
                     Num(p.max.requests_per_s), p.max.non_2xx + p.max.socket_errors,
                     p.fixed_rate > 0 ? Num(p.fixed_rate) : "–", Ms(p.fixed.p50_ms), Ms(p.fixed.p90_ms),
                     Ms(p.fixed.p99_ms), Ms(p.fixed.p999_ms), FailedText(p.fixed)));
  }
  line("");
  line(fmt::format("Database ceiling: `sysbench oltp_point_select` on {} from app-01, {} threads: **{:.0f} queries/s** "
                   "(p95 {:.2f} ms).",
                   r.sysbench.server, r.sysbench_threads, r.sysbench.queries_per_s, r.sysbench.p95_ms));
  line("");
  line("## CPU seconds per 1,000 requests (closed-loop runs, by process kind, every host)");
  line("");
  std::set<std::string> kinds;
  for (const auto& p : r.points)
    for (const auto& [kind, s] : p.cpu_per_1000) kinds.insert(kind);
  std::string header = "| request | path |";
  std::string rule = "|---|---|";
  for (const auto& k : kinds) {
    header += " " + k + " |";
    rule += "---|";
  }
  line(header + " total (servers) |");
  line(rule + "---|");
  for (const auto& p : r.points) {
    std::string row = fmt::format("| `{}` | {} |", p.request, PathLabel(p.path));
    for (const auto& k : kinds) {
      auto it = p.cpu_per_1000.find(k);
      const double v = it == p.cpu_per_1000.end() ? 0 : it->second;
      row += " " + fmt::format("{:.3f}", v) + " |";
    }
    line(row + fmt::format(" {:.3f} |", ServerCpuPerRequest(p)));
  }
  line("");
  line("CPU seconds per 1,000 requests = milliseconds of CPU per request. `wrk` is the load generator itself.");
  line("");
  line("## Memory");
  line("");
  line(fmt::format("foobar-app on app-01: **{:.1f} MiB** resident idle, **{:.1f} MiB** with {} idle keep-alive "
                   "connections open ({} failed to open, {} still open when released).",
                   r.rss_idle_mib, r.rss_connections_mib, r.idle.opened, r.idle.failed, r.idle.still_open));
  line("");
  line("## Latency versus offered rate: GET /api/messages/ID through the whole stack");
  line("");
  line("| offered req/s | of max | sent | failed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
  line("|---|---|---|---|---|---|---|---|---|");
  for (const auto& c : r.curve)
    line(fmt::format("| {}{} | {:.0f} % | {} | {} | {} | {} | {} | {} | {} |", Num(c.offered_rate),
                     c.narrowing ? " (narrowing)" : "", c.fraction_of_max * 100, c.result.sent, FailedText(c.result),
                     Ms(c.result.p50_ms), Ms(c.result.p90_ms), Ms(c.result.p99_ms), Ms(c.result.p999_ms),
                     Ms(c.result.max_ms)));
  line("");
  if (!r.curve.empty() && r.rate_within_p99_limit > 0) {
    line(fmt::format("The whole stack kept p99 under {} ms with no request failed up to **{} req/s** ({:.0f} % of its "
                     "maximum): the highest rate within the limit below every rate over it. Rates marked "
                     "\"narrowing\" were run to halve the gap between the two.",
                     kStackP99LimitMs, Num(r.rate_within_p99_limit), StackShareOfMax(r) * 100));
    line("");
  } else if (!r.curve.empty()) {
    line(fmt::format("The whole stack's p99 was not under {} ms with every request served at any rate tried, down "
                     "to {} req/s.",
                     kStackP99LimitMs, Num(r.curve.front().offered_rate)));
    line("");
  }
  for (const auto& plot : r.plots) line(fmt::format("![{}]({})", plot, plot));
  return fmt::to_string(out);
}

}  // namespace foobar::ctl::bench
