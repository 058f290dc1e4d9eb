// `foobar db switchover`, `foobar db rejoin HOST`.
#include "ctl/commands/commands.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {

int DbSwitchoverCommand() { throw LabError("db switchover is not built yet"); }
int DbRejoinCommand(const std::string&) { throw LabError("db rejoin is not built yet"); }

}  // namespace foobar::ctl
