// The VIP section of `foobar status`.
#include "ctl/commands/status_sections.h"

namespace foobar::ctl {

void AddVipStatus(const LabContext&, nlohmann::json&) {}
void PrintVipStatus(const nlohmann::json&) {}

}  // namespace foobar::ctl
