#include "ctl/bench/bench_targets.h"

#include <fmt/format.h>

namespace foobar::ctl::bench {
namespace {

double Rps(const BenchResults& r, const char* endpoint, const char* path) {
  const PointResult* p = r.Find(endpoint, path);
  return p ? p->max.requests_per_s : 0;
}

Target AtLeast(std::string name, std::string figure, double value, double reference, double min) {
  Target t;
  t.name = std::move(name);
  t.figure = std::move(figure);
  t.value = value;
  t.reference = reference;
  t.ratio = reference > 0 ? value / reference : 0;
  t.rule = fmt::format(">= {}", min);
  t.pass = reference > 0 && value > 0 && t.ratio >= min;
  return t;
}

Target Below(std::string name, std::string figure, double value, double limit, const char* unit, bool measured) {
  Target t;
  t.name = std::move(name);
  t.figure = std::move(figure);
  t.value = value;
  t.reference = limit;
  t.ratio = value / limit;
  t.rule = fmt::format("< {} {}", limit, unit);
  t.pass = measured && value < limit;
  return t;
}

}  // namespace

std::vector<Target> EvaluateTargets(const BenchResults& r) {
  std::vector<Target> targets;
  targets.push_back(AtLeast("App /healthz direct vs Nginx fixed response (same workers)",
                            "req/s, closed loop", Rps(r, kHealthz, kPathApp), Rps(r, kFixed, kPathReference),
                            kHealthzVsNginxMin));
  targets.push_back(AtLeast("App GET /api/messages/ID direct vs sysbench oltp_point_select (same concurrency)",
                            "req/s vs queries/s", Rps(r, kReadById, kPathApp), r.sysbench.queries_per_s,
                            kReadVsSysbenchMin));
  targets.push_back(AtLeast("Whole stack GET /api/messages/ID from loadgen vs app direct", "req/s, closed loop",
                            Rps(r, kReadById, kPathStack), Rps(r, kReadById, kPathApp), kStackVsAppMin));
  const PointResult* stack = r.Find(kReadById, kPathStack);
  const bool p99_measured = stack && stack->fixed.sent > 0;
  targets.push_back(Below("Whole stack GET /api/messages/ID p99 at half its maximum rate",
                          p99_measured ? fmt::format("ms at {:.0f} req/s, open loop", stack->fixed_rate) : "not measured",
                          p99_measured ? stack->fixed.p99_ms : 0, kStackP99LimitMs, "ms", p99_measured));
  const bool rss_measured = r.rss_connections_mib > 0 && r.idle.opened >= kIdleConnections;
  targets.push_back(Below(fmt::format("App resident memory with {} idle keep-alive connections", kIdleConnections),
                          fmt::format("MiB RSS ({} open)", r.idle.opened), r.rss_connections_mib, kIdleRssLimitMiB,
                          "MiB", rss_measured));
  return targets;
}

}  // namespace foobar::ctl::bench
