// `foobar up`: from a topology file to a running, answering site.
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "ctl/commands/commands.h"
#include "ctl/commands/progress.h"
#include "ctl/lab/admin_ssh.h"
#include "ctl/lab/command.h"
#include "ctl/lab/database_setup.h"
#include "ctl/lab/db_accounts.h"
#include "ctl/lab/firewall.h"
#include "ctl/lab/replication.h"
#include "ctl/lab/haproxy_admin.h"
#include "ctl/lab/lab_ca.h"
#include "ctl/render/haproxy_config.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/monitoring_setup.h"
#include "ctl/lab/network.h"
#include "ctl/lab/secrets.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
using namespace std::chrono_literals;
namespace {

// Every backend server of every load balancer is UP (health checks passed).
bool AllBackendsUp(const LabContext& lab) {
  for (const Host* lb : lab.topology.HostsRunning("haproxy")) {
    auto servers = BackendServers(HaproxyStatsSocketPath(lab.state.Host(lb->name)));
    if (!servers.ok() || servers->empty()) return false;
    for (const auto& s : *servers)
      if (!s.status.starts_with("UP")) return false;
  }
  return true;
}

// The site answers a user on the public network, through DNS, the load balancer, Nginx,
// the app and the database.
void WaitForSite(const LabContext& lab) {
  const Host* user = lab.topology.FindHost("client");
  auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string last;
  for (;;) {
    bool backends = AllBackendsUp(lab);
    if (backends && user) {
      auto r = RunCommand({"ip", "netns", "exec", NamespaceName(user->name), "curl", "-fsS", "--max-time", "2",
                           "-o", "/dev/null", "https://" + lab.topology.site.name + "/readyz"});
      if (r.ok()) return;
      last = r.FirstErrorLine();
    } else if (backends) {
      return;
    } else {
      last = "not every app server passes the load balancer's health check yet";
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw LabError("the site did not answer within 30 s: " + last);
    std::this_thread::sleep_for(100ms);
  }
}

void PrintWhereThingsAre(const LabContext& lab, double seconds) {
  const Topology& t = lab.topology;
  std::printf("\nLab '%s' is up in %.1f s: %s\n\n", t.name.c_str(), seconds, t.description.c_str());
  std::string site_addrs;
  for (const auto& a : t.site.addresses) site_addrs += (site_addrs.empty() ? "" : ", ") + a;
  std::printf("  site      https://%s/  (%s)\n", t.site.name.c_str(), site_addrs.c_str());
  for (const auto& h : t.hosts) {
    std::string addrs, services;
    for (const auto& [net, addr] : h.addresses) addrs += (addrs.empty() ? "" : "  ") + net + " " + addr;
    for (const auto& s : h.services) services += (services.empty() ? "" : ", ") + s;
    std::printf("  %-9s %-40s %s\n", h.name.c_str(), addrs.c_str(), services.c_str());
  }
  std::printf("\n  try it    build/foobar exec client -- curl -s https://%s/api/messages\n", t.site.name.c_str());
  std::printf("  browser   build/foobar forward   then open https://127.0.0.1:8080/ on this machine (trust STATE/secrets/tls/ca.crt)\n");
  for (const Host* mon : t.HostsRunning("prometheus"))
    std::printf("  dashboard build/foobar forward --port 9090 --from %s --to 127.0.0.1:9090   then open "
                "http://127.0.0.1:9090/user/\n",
                mon->name.c_str());
  std::printf("  status    build/foobar status\n");
  std::printf("  files     %s/hosts/HOST/{etc,data,log}\n", lab.state.root.c_str());
  std::printf("  stop      build/foobar down\n");
}

void BringUp(const LabContext& lab, const std::filesystem::path& topology_file);

}  // namespace

int UpCommand(const std::string& topology_name) {
  if (::geteuid() != 0) throw LabError("`foobar up` needs root (it creates network namespaces)");
  const auto topology_file = TopologyFileFor(topology_name);
  LabContext lab = NewLab(topology_file);  // parse and validate before touching anything

  if (auto existing = RecordedLab()) {
    if (existing->topology.name != lab.topology.name)
      throw LabError("lab '" + existing->topology.name + "' is up; run `foobar down` before bringing up '" +
                     lab.topology.name + "'");
    lab = std::move(*existing);
    std::printf("Lab '%s' exists already; starting whatever is not running.\n", lab.topology.name.c_str());
  }

  auto started = std::chrono::steady_clock::now();

  try {
    BringUp(lab, topology_file);
  } catch (const std::exception& e) {
    throw LabError(std::string(e.what()) + " -- the lab is left as it is for a look at its logs; `foobar down` removes it");
  }
  PrintWhereThingsAre(lab, Progress::Seconds(started));
  return 0;
}

namespace {

void BringUp(const LabContext& lab, const std::filesystem::path& topology_file) {
  int service_steps = 0;
  for (const auto& host : lab.topology.hosts) service_steps += static_cast<int>(host.services.size());
  Progress progress(6 + service_steps + 1);
  // The record goes first: from here on, `foobar down` can undo whatever follows.
  RecordLab(lab, topology_file);
  progress.Step("Creating the lab network (" + std::to_string(lab.topology.hosts.size()) + " hosts)", [&] {
    AddBlackholeRoutes(lab.topology);
    bool fresh = !NamespaceExists(kSwitchNamespace);
    if (fresh) CreateLabNetwork(lab.topology);
    WriteHostResolverFiles(lab.topology);
  });
  // Before any daemon starts: no service is ever reachable without its host's rules.
  progress.Step("Loading each host's firewall", [&] { ApplyFirewalls(lab); });
  progress.Step("Generating secrets", [&] {
    EnsureDatabaseSecrets(lab);
    if (lab.topology.FindHost(kAdminHostName)) EnsureAdminKey(lab);
  });
  // The lab CA is kept across ups; client and loadgen trust it (their /etc/netns/NS/ssl).
  progress.Step("Lab CA and TLS certificates", [&] {
    EnsureLabCertificates(lab.topology, lab.state.Secrets());
    InstallLabCaTrust(lab.topology, lab.state.Secrets());
  });
  progress.Step("Rendering configs", [&] {
    for (const auto& host : lab.topology.hosts)
      for (const auto& service : host.services) PrepareService(lab, host, service);
    WriteAdminKnownHosts(lab);  // every sshd's host key exists now
  });
  for (const auto& service : KnownServices()) {
    for (const Host* host : lab.topology.HostsRunning(service)) {
      progress.Step("Starting " + service + " on " + host->name, [&] { StartService(lab, *host, service); });
      // Once every database server runs: schema, users, migrations and replication.
      if (service == "mariadb" && host == lab.topology.HostsRunning("mariadb").back())
        progress.Step(lab.topology.HostsRunning("mariadb").size() > 1 ? "Creating schema, users, migrations and replication"
                                                                       : "Creating schema, users and migrations",
                      [&] { SetUpDatabaseTier(lab); });
      if (service == "mariadb" && host->Runs("mysqld_exporter")) SetUpMonitoringAccount(lab, *host);
    }
  }
  progress.Step("Waiting for https://" + lab.topology.site.name + "/ to answer from the client",
                [&] { WaitForSite(lab); });
}

}  // namespace
}  // namespace foobar::ctl
