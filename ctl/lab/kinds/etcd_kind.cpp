// etcd: one member of the sentinels' coordination store. A member answers its client port
// only once a majority of members has formed the cluster, so "started" here means the
// process listens; the database set-up at `up` waits for the cluster itself.
#include <sys/stat.h>

#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/netns_socket.h"
#include "ctl/render/etcd_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

ServiceKind EtcdKind() {
  return {
      .name = "etcd",
      .argv = [](const LabContext&, const Host&, const fs::path& config) {
        return std::vector<std::string>{"etcd", "--config-file", config.string()};
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        // etcd refuses a data directory others can read.
        const fs::path data = EtcdDataDir(lab.state.Host(host.name));
        fs::create_directories(data);
        ::chmod(data.c_str(), 0700);
      },
      .answers = [](const LabContext&, const Host& host) {
        return TcpConnectsIn(host.name, *host.AddressOn("private"), kEtcdPeerPort, 500ms);
      },
  };
}

}  // namespace foobar::ctl
