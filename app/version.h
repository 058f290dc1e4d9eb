// The application's version, printed by --version and logged at start-up.
#pragma once

namespace foobar::app {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace foobar::app
