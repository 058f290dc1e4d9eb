// `foobar deploy ARTIFACT [--canary-window S]` and `foobar rollback`: roll a release over the
// app servers one at a time, the first as a canary (ctl/lab/deploy.h). Exit 1 when the canary
// was rolled back or a server could not be rolled.
#include <chrono>
#include <cstdio>
#include <memory>

#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/deploy.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"

namespace foobar::ctl {
namespace {

struct DeployCliOptions {
  std::string artifact;
  double canary_window_s = 5;
};

DeploySay Printer() {
  const auto start = std::chrono::steady_clock::now();
  return [start](const std::string& line) {
    std::printf("[%5.1f s] %s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                line.c_str());
    std::fflush(stdout);
  };
}

int Deploy(const LabContext& lab, const Release& release, double canary_window_s, const char* verb) {
  const auto start = std::chrono::steady_clock::now();
  DeployOptions options;
  options.canary_window_s = canary_window_s;
  DeploySay say = Printer();
  say(std::string(verb) + " " + release.version);
  DeployRelease(lab, release, options, say);
  std::printf("%s %s on every app server in %.1f s\n", verb, release.version.c_str(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace

Subcommand AddDeployCommand(CLI::App& cli) {
  auto options = std::make_shared<DeployCliOptions>();
  auto* sub = cli.add_subcommand("deploy", "Roll a release over the app servers (canary first, drained, no failed request)");
  sub->add_option("artifact", options->artifact, "foobar-VERSION.tar.gz from `foobar release`")->required();
  sub->add_option("--canary-window", options->canary_window_s, "seconds the canary is watched before the rest (0: none)")
      ->check(CLI::Range(0.0, 600.0));
  return {sub, [options] {
            LabContext lab = RequireRecordedLab();
            Release release = UnpackRelease(lab.state, options->artifact);
            std::printf("deploy: %s verified (sha256 of the artifact and of every file)\n", options->artifact.c_str());
            return Deploy(lab, release, options->canary_window_s, "deploying");
          }};
}

Subcommand AddRollbackCommand(CLI::App& cli) {
  auto window = std::make_shared<double>(0);
  auto* sub = cli.add_subcommand("rollback", "Roll the app servers back to the release they ran before the last deploy");
  sub->add_option("--canary-window", *window, "seconds the first server is watched (default 0: the old release is known)")
      ->check(CLI::Range(0.0, 600.0));
  return {sub, [window] {
            LabContext lab = RequireRecordedLab();
            // The fleet's release before the last complete deploy (never a canary that was
            // rolled back: it never became the fleet's).
            const std::optional<std::string> target = PreviousFleetVersion(lab.state);
            if (!target) throw LabError("no previous release to roll back to");
            const int code = Deploy(lab, StoredRelease(lab.state, *target), *window, "rolling back to");
            RecordDeployEvent(lab, "rollback", *target);
            return code;
          }};
}

}  // namespace foobar::ctl
