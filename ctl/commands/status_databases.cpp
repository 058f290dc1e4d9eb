// The database section of `foobar status`.
#include "ctl/commands/status_sections.h"

namespace foobar::ctl {

void AddDatabaseStatus(const LabContext&, nlohmann::json&) {}
void PrintDatabaseStatus(const nlohmann::json&) {}

}  // namespace foobar::ctl
