// The monitoring daemons: Prometheus and Alertmanager on the monitoring host, and the exporters
// beside what they watch (Debian's packages). Each runs as the `prometheus` system user, listens on
// its host's scrape address or loopback (never on every address), and keeps its data, pid and
// state in its host's tree: several hosts' exporters share this machine's filesystem.
#include <pwd.h>
#include <unistd.h>

#include <fstream>

#include "ctl/lab/dashboard_install.h"
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/render/alert_rules.h"
#include "ctl/render/alertmanager_config.h"
#include "ctl/render/monitoring.h"
#include "ctl/render/monitoring_endpoints.h"
#include "ctl/render/prometheus_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

// `setpriv` drops root before the daemon starts (the lab starts every daemon as root).
std::vector<std::string> AsMonitoringUser(std::vector<std::string> argv) {
  std::vector<std::string> out = {"setpriv", std::string("--reuid=") + kMonitoringUser,
                                  std::string("--regid=") + kMonitoringUser, "--init-groups", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// A directory the monitoring user writes to (its database, its state).
void MakeOwnedDirectory(const fs::path& dir) {
  fs::create_directories(dir);
  const passwd* pw = ::getpwnam(kMonitoringUser);
  if (!pw) throw LabError(std::string("system user '") + kMonitoringUser + "' is missing (run `make deps`)");
  if (::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw LabError("cannot chown " + dir.string());
}

void WriteFile(const fs::path& path, const std::string& content, fs::perms perms) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::trunc);
  out << content;
  if (!out) throw LabError("cannot write " + path.string());
  out.close();
  fs::permissions(path, perms);
}

std::string Listen(const std::string& address, int port) { return address + ":" + std::to_string(port); }

auto AnswersOn(int port) {
  return [port](const LabContext&, const Host& host) {
    return TcpConnectsIn(host.name, ScrapeAddress(host), port, 500ms);
  };
}

auto AnswersOnLoopback(int port) {
  return [port](const LabContext&, const Host& host) { return TcpConnectsIn(host.name, "127.0.0.1", port, 500ms); };
}

}  // namespace

ServiceKind NodeExporterKind() {
  return {
      .name = "node_exporter",
      .argv = [](const LabContext& lab, const Host& host, const fs::path&) {
        const HostPaths paths = lab.state.Host(host.name);
        return AsMonitoringUser({"prometheus-node-exporter",
                                 "--web.listen-address=" + Listen(ScrapeAddress(host), kNodeExporterPort),
                                 // This host's own *.prom files (the VRRP state on a load balancer).
                                 "--collector.textfile.directory=" + TextfileCollectorPath(paths).string()});
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        const HostPaths paths = lab.state.Host(host.name);
        fs::create_directories(TextfileCollectorPath(paths));
        // keepalived's notify script: written now, before keepalived starts and runs it. keepalived
        // runs it as root only if no other user can change it or its directories.
        if (host.Runs("keepalived"))
          WriteFile(VrrpNotifyScriptPath(paths), RenderVrrpNotifyScript(lab.ForHost(host)),
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec);
      },
      .answers = AnswersOn(kNodeExporterPort),
      .ready_timeout = 10s,
      .stop_grace = 5s,
  };
}

ServiceKind NginxExporterKind() {
  return {
      .name = "nginx_exporter",
      .argv = [](const LabContext&, const Host& host, const fs::path&) {
        return AsMonitoringUser({"prometheus-nginx-exporter",
                                 "-nginx.scrape-uri=http://127.0.0.1:" + std::to_string(kNginxStubStatusPort) +
                                     "/stub_status",
                                 "-web.listen-address=" + Listen(ScrapeAddress(host), kNginxExporterPort),
                                 // It reads stub_status once before serving: give a restarting Nginx a moment.
                                 "-nginx.retries=5", "-nginx.retry-interval=1s", "-nginx.timeout=2s"});
      },
      .prepare = nullptr,
      .answers = AnswersOn(kNginxExporterPort),
      .ready_timeout = 15s,
      .stop_grace = 5s,
  };
}

ServiceKind MysqldExporterKind() {
  return {
      .name = "mysqld_exporter",
      .argv = [](const LabContext& lab, const Host& host, const fs::path&) {
        // The host's own MariaDB over its unix socket, as the `prometheus` account that
        // unix_socket authentication matches to this process's user: no password anywhere.
        std::vector<std::string> argv = {"env", std::string("DATA_SOURCE_NAME=") + kMonitoringUser + "@unix(" +
                                                    MariadbAdminSocket(lab, host).string() + ")/"};
        for (auto& arg : AsMonitoringUser({"prometheus-mysqld-exporter",
                                           "--web.listen-address=" + Listen(ScrapeAddress(host), kMysqldExporterPort),
                                           // read_only, replication threads and lag: who is primary, who follows.
                                           "--collect.global_status", "--collect.global_variables",
                                           "--collect.slave_status"}))
          argv.push_back(std::move(arg));
        return argv;
      },
      .prepare = nullptr,
      .answers = AnswersOn(kMysqldExporterPort),
      .ready_timeout = 10s,
      .stop_grace = 5s,
  };
}

ServiceKind BlackboxExporterKind() {
  return {
      .name = "blackbox_exporter",
      .argv = [](const LabContext&, const Host& host, const fs::path& config) {
        return AsMonitoringUser({"prometheus-blackbox-exporter", "--config.file=" + config.string(),
                                 "--web.listen-address=" + Listen(ScrapeAddress(host), kBlackboxExporterPort)});
      },
      .prepare = nullptr,
      .answers = AnswersOn(kBlackboxExporterPort),
      .ready_timeout = 10s,
      .stop_grace = 5s,
  };
}

ServiceKind AlertmanagerKind() {
  return {
      .name = "alertmanager",
      .argv = [](const LabContext& lab, const Host& host, const fs::path& config) {
        const HostPaths paths = lab.state.Host(host.name);
        return AsMonitoringUser({"prometheus-alertmanager", "--config.file=" + config.string(),
                                 "--storage.path=" + AlertmanagerDataPath(paths).string(),
                                 "--web.listen-address=" + Listen("127.0.0.1", kAlertmanagerPort),
                                 // One Alertmanager: no cluster gossip port at all.
                                 "--cluster.listen-address="});
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        MakeOwnedDirectory(AlertmanagerDataPath(lab.state.Host(host.name)));
      },
      .answers = AnswersOnLoopback(kAlertmanagerPort),
      .ready_timeout = 15s,
      .stop_grace = 5s,
  };
}

ServiceKind PrometheusKind() {
  return {
      .name = "prometheus",
      .argv = [](const LabContext& lab, const Host& host, const fs::path& config) {
        const HostPaths paths = lab.state.Host(host.name);
        return AsMonitoringUser({"prometheus", "--config.file=" + config.string(),
                                 "--storage.tsdb.path=" + PrometheusDataPath(paths).string(),
                                 // A lab lives for hours; two days of 5 s samples is plenty.
                                 "--storage.tsdb.retention.time=2d",
                                 "--web.listen-address=" + Listen("127.0.0.1", kPrometheusPort),
                                 // The dashboard, at /user/ on the same origin as the query API.
                                 "--web.user-assets=" + DashboardPath(paths).string()});
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        const HostPaths paths = lab.state.Host(host.name);
        MakeOwnedDirectory(PrometheusDataPath(paths));
        WriteFile(PrometheusRulesPath(paths), RenderAlertRules(lab.ForHost(host)),
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
        InstallDashboard(lab, host);
      },
      .answers = AnswersOnLoopback(kPrometheusPort),
      .ready_timeout = 30s,
      .stop_grace = 10s,
  };
}

}  // namespace foobar::ctl
