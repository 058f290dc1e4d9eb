// `foobar secrets list [--json]`: every file of the lab's secrets store with its age, mode
// and who reads it, never its content. `foobar secrets rotate`: new passwords for every
// database account of the running lab, with no failed request (ctl/lab/secret_rotation.h).
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "ctl/commands/commands.h"
#include "ctl/commands/progress.h"
#include "ctl/commands/subcommand.h"
#include "ctl/lab/db_accounts.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/secret_rotation.h"
#include "ctl/lab/secrets.h"
#include "ctl/render/sentinel_config.h"

namespace foobar::ctl {
namespace {

std::string HostList(const Topology& topology, const std::string& service) {
  std::string out;
  for (const Host* h : topology.HostsRunning(service)) out += (out.empty() ? "" : ", ") + h->name;
  return out;
}

// Who reads a secret, for the operator; "" when the store holds something we do not know.
std::string UsedBy(const LabContext& lab, const std::string& name) {
  if (name == kAppDbCredentialsFile) {
    std::string account;
    try {
      account = ", account in use " + ReadAppCredentials(lab.state.Secrets()).user;
    } catch (const LabError&) {
    }
    return "foobar-app on " + HostList(lab.topology, "app") + account;
  }
  if (name == kReplicationDbPasswordFile)
    return "replicas (CHANGE MASTER), foobar-sentinel on " + HostList(lab.topology, "sentinel");
  for (const Host* h : lab.topology.HostsRunning("sentinel"))
    if (name == SentinelDbPasswordFile(h->name)) return "foobar-sentinel on " + h->name;
  if (name.rfind("tls/", 0) == 0) return "TLS (lab CA, certificates and their keys)";
  if (name.find("ssh") != std::string::npos || name.find("admin") != std::string::npos) return "ssh from the admin host";
  if (name == ".rotate.lock") return "foobar secrets rotate (a lock, empty)";
  return "";
}

std::string Age(std::chrono::seconds age) {
  const long long s = age.count();
  if (s < 120) return fmt::format("{}s", s);
  if (s < 7200) return fmt::format("{}m", s / 60);
  if (s < 172800) return fmt::format("{}h", s / 3600);
  return fmt::format("{}d", s / 86400);
}

int ListSecrets(bool json) {
  const LabContext lab = RequireRecordedLab();
  const auto files = ListSecretFiles(lab.state.Secrets());
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : files)
      out.push_back({{"name", f.name}, {"path", f.path.string()}, {"age_s", f.age.count()},
                     {"mode", fmt::format("{:04o}", f.mode)}, {"owner_uid", f.owner_uid},
                     {"used_by", UsedBy(lab, f.name)}});
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("secrets store %s (values are never shown)\n\n", lab.state.Secrets().c_str());
  std::printf("%-32s %5s  %-5s %s\n", "NAME", "AGE", "MODE", "USED BY");
  for (const auto& f : files)
    std::printf("%-32s %5s  %04o  %s\n", f.name.c_str(), Age(f.age).c_str(), f.mode, UsedBy(lab, f.name).c_str());
  return 0;
}

int RotateSecrets() {
  const LabContext lab = RequireRecordedLab();
  const auto started = std::chrono::steady_clock::now();
  RotateDatabaseSecrets(lab, [&](const std::string& line) {
    std::printf("[%5.1f s] %s\n", Progress::Seconds(started), line.c_str());
    std::fflush(stdout);
  });
  std::printf("Every database password is new (%.1f s). `foobar secrets list` shows their ages.\n",
              Progress::Seconds(started));
  return 0;
}

}  // namespace

Subcommand AddSecretsCommand(CLI::App& cli) {
  CLI::App* secrets = cli.add_subcommand("secrets", "the lab's secrets store: list it (never the values), rotate passwords");
  secrets->require_subcommand(1);
  CLI::App* list = secrets->add_subcommand("list", "every secret file: name, age, mode, who reads it");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "one JSON array on stdout");
  CLI::App* rotate = secrets->add_subcommand(
      "rotate", "new passwords for every database account of the running lab, with no failed request");
  return {secrets, [list, rotate, json] {
            if (list->parsed()) return ListSecrets(*json);
            if (rotate->parsed()) return RotateSecrets();
            throw LabError("secrets: say `list` or `rotate`");
          }};
}

}  // namespace foobar::ctl
