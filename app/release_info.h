// What the installed release says about itself: release.toml beside the foobar-app binary,
// written by `foobar release`. It names the version the app reports (/healthz, logs,
// metrics) and may carry a fault to inject, which is how the lab builds a deliberately broken
// release to prove that a canary deploy stops it. A binary run from the build tree has no
// release.toml: its version is kVersion and it injects nothing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace foobar::app {

// `fault = "500 /api/messages"`: every GET or HEAD of that exact path answers that status.
struct InjectedFault {
  int status = 500;
  std::string path;
};

struct ReleaseInfo {
  std::string version;
  std::optional<InjectedFault> fault;
};

// Parses release.toml's text; `source` prefixes error messages.
Result<ReleaseInfo> ParseReleaseInfo(std::string_view toml_text, const std::string& source);

// Reads `file`; a missing file is the build tree's binary: version kVersion, no fault.
Result<ReleaseInfo> LoadReleaseInfo(const std::filesystem::path& file);

// release.toml beside the running executable.
std::filesystem::path ReleaseInfoPath();

}  // namespace foobar::app
