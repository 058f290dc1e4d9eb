// The stateless daemons: DNS, the app, Nginx and HAProxy.
#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/render/haproxy_config.h"

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
      .argv = [](const LabContext& lab, const Host&, const fs::path& config) {
        return std::vector<std::string>{lab.app_binary.string(), "--config", config.string()};
      },
      .prepare = [](const LabContext& lab, const Host&, const fs::path&) {
        if (!fs::exists(lab.app_binary))
          throw LabError(lab.app_binary.string() + " does not exist: run `make build` first");
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
        // The site as deployed on this host: its own copy, like a real server's.
        fs::remove_all(paths.Www());
        fs::create_directories(paths.Www());
        fs::copy(lab.source_dir / "site", paths.Www(), fs::copy_options::recursive);
      },
      .answers = [](const LabContext&, const Host& host) {
        return TcpConnectsIn(host.name, *host.AddressOn("private"), kHttpPort, 500ms);
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
