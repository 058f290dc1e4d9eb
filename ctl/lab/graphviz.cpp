#include "ctl/lab/graphviz.h"

#include "ctl/lab/command.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {

std::string DotToSvg(const std::string& dot_text) {
  const CommandResult r = RunCommand({"dot", "-Tsvg"}, dot_text);
  if (r.exit_code == 127) throw LabError("Graphviz's `dot` is not installed (run `make deps`)");
  if (!r.ok()) throw LabError("dot -Tsvg failed: " + r.FirstErrorLine());
  return r.out;
}

}  // namespace foobar::ctl
