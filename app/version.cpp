#include "app/version.h"

namespace foobar::app {
namespace {
std::string& Stored() {
  static std::string version = kVersion;
  return version;
}
}  // namespace

// Written once by main() before any thread starts, read afterwards: no lock needed.
const std::string& Version() { return Stored(); }
void SetVersion(std::string version) { Stored() = std::move(version); }

}  // namespace foobar::app
