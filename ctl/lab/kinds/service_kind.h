// ServiceKind: everything the lab knows about one kind of daemon — how to run it in the
// foreground, what to prepare before its first start, how to tell that it answers, and how
// long it may take. One file per kind under kinds/, listed in kinds/registry.cpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

struct ServiceKind {
  std::string name;
  // The command line, given the path of the rendered config.
  std::function<std::vector<std::string>(const LabContext&, const Host&, const std::filesystem::path& config)> argv;
  // Extra preparation after the config is written (first-time data, directories); optional.
  std::function<void(const LabContext&, const Host&, const std::filesystem::path& config)> prepare;
  // A quick probe: does the service answer right now?
  std::function<bool(const LabContext&, const Host&)> answers;
  std::chrono::milliseconds ready_timeout{std::chrono::seconds(20)};
  std::chrono::milliseconds stop_grace{std::chrono::seconds(10)};
};

// The kind named `service`; throws LabError listing the known ones.
const ServiceKind& FindServiceKind(const std::string& service);

// One factory per kind (kinds/*.cpp).
ServiceKind DnsKind();
ServiceKind EtcdKind();
ServiceKind MariadbKind();
ServiceKind SentinelKind();
ServiceKind AppKind();
ServiceKind NginxKind();
ServiceKind HaproxyKind();
ServiceKind KeepalivedKind();
ServiceKind SshdKind();  // kinds/sshd_kind.cpp
// Monitoring (kinds/monitoring_kinds.cpp).
ServiceKind NodeExporterKind();
ServiceKind NginxExporterKind();
ServiceKind MysqldExporterKind();
ServiceKind BlackboxExporterKind();
ServiceKind AlertmanagerKind();
ServiceKind PrometheusKind();

}  // namespace foobar::ctl

namespace foobar::ctl {
// The admin unix socket of a host's MariaDB (root via unix_socket authentication).
std::filesystem::path MariadbAdminSocket(const LabContext& lab, const Host& host);
}  // namespace foobar::ctl
