// The stateless daemons: DNS, the app, Nginx and HAProxy.
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/lab/releases.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/render/modsecurity_config.h"

#include <pwd.h>
#include <unistd.h>

#include <fstream>

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

ServiceKind DnsKind() {
  return {
      .name = "dns",
      .argv = [](const LabContext&, const Host&, const fs::path& config) {
        return std::vector<std::string>{"dnsmasq", "--conf-file=" + config.string()};
      },
      .prepare = nullptr,
      .answers = [](const LabContext&, const Host& host) {
        return TcpConnectsIn(host.name, *host.AddressOn("public"), kDnsPort, 500ms);
      },
  };
}

ServiceKind AppKind() {
  return {
      .name = "app",
      // The host's installed release (releases/current), not the build tree: see releases.h.
      .argv = [](const LabContext& lab, const Host& host, const fs::path& config) {
        return std::vector<std::string>{CurrentAppBinary(lab.state.Host(host.name)).string(), "--config",
                                        config.string()};
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        if (!fs::exists(lab.app_binary))
          throw LabError(lab.app_binary.string() + " does not exist: run `make build` first");
        EnsureHostRelease(lab, host);
      },
      .answers = [](const LabContext&, const Host& host) {
        return TcpConnectsIn(host.name, "127.0.0.1", kAppPort, 500ms);
      },
  };
}

ServiceKind NginxKind() {
  return {
      .name = "nginx",
      .argv = [](const LabContext& lab, const Host& host, const fs::path& config) {
        HostPaths paths = lab.state.Host(host.name);
        // -e: nginx opens its error log before reading the config; keep it in the host's tree.
        return std::vector<std::string>{"nginx", "-c", config.string(), "-p", (paths.Run() / "nginx").string() + "/",
                                        "-e", (paths.Log() / "nginx-error.log").string()};
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        HostPaths paths = lab.state.Host(host.name);
        fs::create_directories(paths.Run() / "nginx");
        // The WAF's rules, which nginx.conf names (modsecurity_rules_file).
        std::ofstream(ModsecurityConfigPath(paths), std::ios::trunc) << RenderModsecurityConfig(lab.ForHost(host));
        // Nginx's workers (www-data) write the WAF's audit log, which the master (root) creates 0644.
        const fs::path audit = paths.Log() / "modsec_audit.log";
        std::ofstream(audit, std::ios::app).close();
        if (const passwd* www = getpwnam("www-data"); www && chown(audit.c_str(), www->pw_uid, www->pw_gid) != 0)
          throw LabError("cannot chown " + audit.string());
        fs::permissions(audit, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
        // The site as deployed on this host: its own copy, like a real server's.
        fs::remove_all(paths.Www());
        fs::create_directories(paths.Www());
        // The site of the release the host runs (releases.h), else the source tree's.
        const fs::path release_site = CurrentAppBinary(paths).parent_path() / "site";
        fs::copy(fs::exists(release_site) ? release_site : lab.source_dir / "site", paths.Www(),
                 fs::copy_options::recursive);
      },
      .answers = [](const LabContext& lab, const Host& host) {
        // [security] end_to_end_tls: Nginx listens on 443 (TLS) instead of 80.
        const int port = lab.topology.security.end_to_end_tls ? kHttpsPort : kHttpPort;
        return TcpConnectsIn(host.name, *host.AddressOn("private"), port, 500ms);
      },
  };
}

ServiceKind HaproxyKind() {
  return {
      .name = "haproxy",
      .argv = [](const LabContext& lab, const Host& host, const fs::path&) {
        return HaproxyArgv(lab.state.Host(host.name));  // keepalived tracks this command line
      },
      .prepare = nullptr,
      .answers = [](const LabContext&, const Host& host) {
        return TcpConnectsIn(host.name, *host.AddressOn("public"), kHttpPort, 500ms);
      },
  };
}

}  // namespace foobar::ctl
