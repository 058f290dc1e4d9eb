// First-time database set-up at `up`: the application's schema, its least-privilege user
// (one account per app server address), and the schema migrations under schema/.
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// The database host that takes writes when the lab starts (the first mariadb host).
const Host& InitialPrimary(const Topology& topology);

// Idempotent: safe to run on every `up`. Throws LabError.
void SetUpDatabase(const LabContext& lab);

}  // namespace foobar::ctl
