// The application's version, in one place: the release's (release.toml beside the binary,
// see release_info.h) or, for a binary run from the build tree, kVersion. It is what
// --version prints, what /healthz and the start-up log report, and what metrics should
// label (foobar_build_info{version}): read it through Version().
#pragma once

#include <string>

namespace foobar::app {

// The build tree's version, when no release names one.
inline constexpr const char* kVersion = "0.1.0";

// The running release's version; set once at start-up (SetVersion), kVersion until then.
const std::string& Version();
void SetVersion(std::string version);

}  // namespace foobar::app
