#include <vector>

#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"

namespace foobar::ctl {

const ServiceKind& FindServiceKind(const std::string& service) {
  static const std::vector<ServiceKind> kKinds = {DnsKind(), EtcdKind(), MariadbKind(), SentinelKind(), AppKind(), NginxKind(),
                                                  HaproxyKind(), KeepalivedKind(), SshdKind(),
                                                  NodeExporterKind(), NginxExporterKind(), MysqldExporterKind(),
                                                  BlackboxExporterKind(), AlertmanagerKind(), PrometheusKind()};
  for (const auto& kind : kKinds)
    if (kind.name == service) return kind;
  std::string names;
  for (const auto& kind : kKinds) names += (names.empty() ? "" : ", ") + kind.name;
  throw LabError("unknown service '" + service + "' (services: " + names + ")");
}

}  // namespace foobar::ctl
