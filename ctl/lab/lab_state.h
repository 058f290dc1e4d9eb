// The record of which lab is up: a copy of its topology file in the state directory,
// written before anything else is created so that `down` can always undo a crashed or
// half-finished `up`.
#pragma once

#include <filesystem>
#include <optional>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// The topology file for a name given to --topology (a name under topologies/ or a path).
std::filesystem::path TopologyFileFor(const std::string& name_or_path);

// A lab context for a topology that is not (necessarily) up.
LabContext NewLab(const std::filesystem::path& topology_file);

// The lab that is up, if any (throws TopologyError if its record is corrupt).
std::optional<LabContext> RecordedLab();

// The lab that is up; throws LabError saying to run `foobar up` if there is none.
LabContext RequireRecordedLab();

// Writes the record (the topology copy) for `lab`.
void RecordLab(const LabContext& lab, const std::filesystem::path& topology_file);

// Removes the whole state directory (configs, data, logs, secrets, the record).
void ForgetLab(const StatePaths& state);

}  // namespace foobar::ctl
