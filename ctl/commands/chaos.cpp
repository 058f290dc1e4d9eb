// `foobar chaos FAULT TARGET`.
#include "ctl/commands/commands.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {

int ChaosCommand(const ChaosOptions&) { throw LabError("chaos is not built yet"); }

}  // namespace foobar::ctl
