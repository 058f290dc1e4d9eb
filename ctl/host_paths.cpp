#include "ctl/host_paths.h"

#include <cstdlib>

namespace foobar::ctl {

StatePaths DefaultStatePaths() {
  const char* env = std::getenv("FOOBAR_STATE_DIR");
  return {env && *env ? std::filesystem::path(env) : std::filesystem::path("/var/lib/foobar")};
}

}  // namespace foobar::ctl
