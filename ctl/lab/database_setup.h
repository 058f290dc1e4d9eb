// First-time database set-up at `up`, on the primary (it replicates from there): the
// application's schema, the least-privilege accounts (the app's, one per app server address;
// with several database servers also the replicas' and the sentinels'), and the schema
// migrations under schema/.
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// The database host that takes writes when the lab starts (the first mariadb host).
const Host& InitialPrimary(const Topology& topology);

// Idempotent: safe to run on every `up`. Throws LabError.
void SetUpDatabase(const LabContext& lab, const Host& primary);

}  // namespace foobar::ctl
