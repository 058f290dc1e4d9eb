// Alertmanager on the monitoring host: where Prometheus's alerts go. The lab's receiver is the
// operator at the console: Alertmanager keeps the firing alerts, grouped and deduplicated, and
// `foobar alerts` lists them from its API. A pager or e-mail integration would be one more
// receiver here.
#pragma once

#include <filesystem>
#include <string>

#include "ctl/host_paths.h"
#include "ctl/render/render_context.h"

namespace foobar::ctl {

// Etc()/alertmanager/alertmanager.yml.
std::filesystem::path AlertmanagerConfigPath(const HostPaths& paths);
// Data()/alertmanager: silences and the notification log.
std::filesystem::path AlertmanagerDataPath(const HostPaths& paths);

std::string RenderAlertmanagerConfig(const RenderContext& ctx);

}  // namespace foobar::ctl
