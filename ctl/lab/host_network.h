// One host joining or leaving a lab that is up (`foobar scale`): its namespace, its links into
// the switch's bridges, addresses and sysctls, as CreateLabNetwork makes them for every host at
// `up`; and the reverse.
#pragma once

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

// Creates the host's namespace and plugs it into the existing bridges. Throws LabError.
void PlugInHost(const Topology& topology, const Host& host);

// Ends every process in the host's namespace (services first, in reverse start order), deletes
// the namespace (its links go with it), its /etc/netns files and its state directory.
void RemoveHost(const LabContext& lab, const Host& host);

}  // namespace foobar::ctl
