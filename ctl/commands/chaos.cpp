// `foobar chaos FAULT TARGET [--duration S] [--rate R] [--timeout S] [--json] [--out DIR]`: a fault under
// load, measured (the run itself lives in ctl/chaos/). Progress goes to stderr; stdout gets
// the summary, or with --json one JSON object.
#include <cstdio>

#include "ctl/chaos/chaos_run.h"
#include "ctl/commands/commands.h"
#include "ctl/lab/lab_state.h"

namespace foobar::ctl {

int ChaosCommand(const ChaosOptions& options) {
  LabContext lab = RequireRecordedLab();
  chaos::ChaosSettings settings;
  settings.fault = chaos::ParseFaultSpec(options.fault, options.target, lab.topology);
  settings.rate = options.rate;
  settings.duration_s = options.duration_s;
  settings.timeout = std::chrono::milliseconds(static_cast<long>(options.timeout_s * 1000));
  settings.out_dir = options.out_dir;
  const chaos::ChaosResult result = chaos::RunChaos(lab, settings);
  if (options.json) {
    std::printf("%s\n", chaos::ResultJson(result).dump().c_str());
  } else {
    std::printf("%s", chaos::ResultText(result).c_str());
  }
  // Stopped early by SIGINT/SIGTERM (healed all the same): the shell's code for an interrupt.
  return result.interrupted ? 130 : 0;
}

}  // namespace foobar::ctl
