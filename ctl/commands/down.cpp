// `foobar down`: remove everything `up` made; a no-op when nothing is up.
#include <unistd.h>

#include <cstdio>

#include "ctl/commands/commands.h"
#include "ctl/commands/progress.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/teardown.h"

namespace foobar::ctl {

int DownCommand() {
  if (::geteuid() != 0) throw LabError("`foobar down` needs root (it removes network namespaces)");
  auto lab = RecordedLab();
  if (!lab) {
    std::printf("No lab is up; nothing to do.\n");
    return 0;
  }
  auto started = std::chrono::steady_clock::now();
  std::printf("Taking lab '%s' down ...\n", lab->topology.name.c_str());
  TearDownLab(*lab);
  std::printf("Lab '%s' is down (%.1f s): no namespace, process, route or file of it is left.\n",
              lab->topology.name.c_str(), Progress::Seconds(started));
  return 0;
}

}  // namespace foobar::ctl
