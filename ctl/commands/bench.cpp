// `foobar bench [--scale full|tiny] [--out DIR] [--json]`: the benchmark suite against the lab
// that is up (ctl/bench/), writing REPORT.md, results.json and plots into DIR. Progress goes
// to stderr; stdout gets the targets with PASS/FAIL, or with --json the whole results object.
#include <cstdio>
#include <memory>

#include "ctl/bench/bench_report.h"
#include "ctl/bench/bench_run.h"
#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/lab_state.h"

namespace foobar::ctl {
namespace {

struct BenchOptions {
  std::string scale = "full";
  std::string out_dir;
  bool json = false;
};

int RunBenchCommand(const BenchOptions& options) {
  LabContext lab = RequireRecordedLab();
  bench::BenchSettings settings;
  settings.scale = options.scale;
  settings.out_dir = options.out_dir.empty() ? lab.source_dir / "bench" / "results" : std::filesystem::path(options.out_dir);
  const bench::BenchResults results = bench::RunBench(lab, settings);
  if (options.json) {
    std::printf("%s\n", bench::ResultsJson(results).dump().c_str());
    return 0;
  }
  for (const auto& t : results.targets)
    std::printf("%-4s %s: %.2f vs %.2f, ratio %.2f (%s)\n", t.pass ? "PASS" : "FAIL", t.name.c_str(), t.value,
                t.reference, t.ratio, t.rule.c_str());
  std::printf("report: %s\n", (settings.out_dir / "REPORT.md").c_str());
  return 0;
}

}  // namespace

Subcommand AddBenchCommand(CLI::App& cli) {
  auto options = std::make_shared<BenchOptions>();
  auto* sub = cli.add_subcommand("bench", "Run the benchmark suite against the lab that is up and write its report");
  sub->add_option("--scale", options->scale, "full (about 5 min) or tiny (seconds per point, for make test)")
      ->check(CLI::IsMember({"full", "tiny"}));
  sub->add_option("--out", options->out_dir, "directory for REPORT.md, results.json and plots (default bench/results)");
  sub->add_flag("--json", options->json, "the whole results object on stdout");
  return {sub, [options] { return RunBenchCommand(*options); }};
}

}  // namespace foobar::ctl
