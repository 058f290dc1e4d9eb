// `foobar release [--out DIR] [--version V] [--fault "500 /api/messages"] [--no-build]`: builds
// the working tree and packs the app's release (binary, site/, schema/, release.toml,
// manifest.json with the sha256 of every file) into foobar-VERSION.tar.gz with its .sha256
// beside it. The last line of output is the artifact's path. --fault builds a deliberately
// broken release (the app answers that status on that path), to prove a canary deploy stops it.
#include <cstdio>
#include <memory>

#include "ctl/commands/commands.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/releases.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
namespace {

struct ReleaseOptions {
  std::string out_dir;
  std::string version;
  std::string fault;
  bool no_build = false;
};

int ReleaseCommand(const ReleaseOptions& options) {
  const StatePaths state = DefaultStatePaths();
  const fs::path out = options.out_dir.empty() ? ReleaseStore(state) : fs::path(options.out_dir);
  const fs::path app_binary = AppBinary();
  if (!options.no_build) {
    // The build tree the running foobar belongs to: build-X/foobar, build-X/foobar-app.
    const fs::path build_dir = app_binary.parent_path();
    std::printf("release: building foobar-app in %s\n", build_dir.c_str());
    std::fflush(stdout);
    CommandResult r = RunCommand({"cmake", "--build", build_dir.string(), "--target", "foobar-app", "-j2"});
    if (!r.ok()) throw LabError("the build failed: " + r.FirstErrorLine() + (r.err.empty() ? "" : "\n" + r.err));
  }
  fs::create_directories(out);
  const fs::path staging = out / ".staging";
  fs::remove_all(staging);
  fs::create_directories(staging);
  Release release = StageRelease(staging, ReleaseSource{app_binary, SourceDir(), options.version, options.fault});
  std::printf("release: %s staged%s\n", release.version.c_str(),
              options.fault.empty() ? "" : (" with fault \"" + options.fault + "\"").c_str());
  const fs::path artifact = PackRelease(release, out);
  fs::remove_all(staging);
  std::printf("release: packed with its checksum in %s.sha256\n", artifact.c_str());
  std::printf("%s\n", artifact.c_str());
  return 0;
}

}  // namespace

Subcommand AddReleaseCommand(CLI::App& cli) {
  auto options = std::make_shared<ReleaseOptions>();
  auto* sub = cli.add_subcommand("release", "Build and pack a versioned, checksummed release of the app; prints its path last");
  sub->add_option("--out", options->out_dir, "directory for the artifact (default STATE/releases)");
  sub->add_option("--version", options->version, "the release's version (default: UTC time + git describe)");
  sub->add_option("--fault", options->fault, "a broken release on purpose: \"STATUS /path\" (tests)");
  sub->add_flag("--no-build", options->no_build, "pack the binary as it is");
  return {sub, [options] { return ReleaseCommand(*options); }};
}

}  // namespace foobar::ctl
