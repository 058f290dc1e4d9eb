// foobar-sentinel: ready once it has written its status file (it does so every round,
// whether or not etcd answers yet).
#include <fstream>
#include <nlohmann/json.hpp>

#include "ctl/lab/kinds/service_kind.h"
#include "ctl/lab/lab_error.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path SentinelBinary(const LabContext& lab) { return lab.app_binary.parent_path() / "foobar-sentinel"; }

ServiceKind SentinelKind() {
  return {
      .name = "sentinel",
      .argv = [](const LabContext& lab, const Host&, const fs::path& config) {
        return std::vector<std::string>{SentinelBinary(lab).string(), "--config", config.string()};
      },
      .prepare = [](const LabContext& lab, const Host& host, const fs::path&) {
        if (!fs::exists(SentinelBinary(lab)))
          throw LabError(SentinelBinary(lab).string() + " does not exist: run `make build` first");
        std::error_code ec;
        fs::remove(SentinelStatusPath(lab.state.Host(host.name)), ec);  // a new one means "running"
      },
      .answers = [](const LabContext& lab, const Host& host) {
        std::ifstream in(SentinelStatusPath(lab.state.Host(host.name)));
        return in && nlohmann::json::parse(in, nullptr, false).is_object();
      },
      .stop_grace = 5s,
  };
}

}  // namespace foobar::ctl
