// Taking a lab down: services in reverse start order (MariaDB gets its clean shutdown),
// then every other process left in a lab namespace, the namespaces, the resolver files,
// the blackhole routes and the state directory. Safe on a half-built lab and repeatable.
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

void TearDownLab(const LabContext& lab);

}  // namespace foobar::ctl
