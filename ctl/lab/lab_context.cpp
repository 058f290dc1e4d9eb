#include "ctl/lab/lab_context.h"

#include <unistd.h>

#include "ctl/lab/lab_error.h"

namespace foobar::ctl {
namespace fs = std::filesystem;

const Host& LabContext::HostNamed(const std::string& name) const {
  if (const Host* h = topology.FindHost(name)) return *h;
  std::string names;
  for (const auto& h : topology.hosts) names += (names.empty() ? "" : ", ") + h.name;
  throw LabError("no host '" + name + "' in topology '" + topology.name + "' (hosts: " + names + ")");
}

fs::path SourceDir() {
  if (const char* env = std::getenv("FOOBAR_SOURCE_DIR"); env && *env) return env;
  return FOOBAR_SOURCE_DIR;
}

fs::path AppBinary() {
  if (const char* env = std::getenv("FOOBAR_APP_BINARY"); env && *env) return env;
  return fs::read_symlink("/proc/self/exe").parent_path() / "foobar-app";
}

}  // namespace foobar::ctl
