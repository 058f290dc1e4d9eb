// The per-host firewalls seen from outside, the way an attacker or an auditor would: from the
// client, a SYN scan of every TCP port of every address it can reach finds the site's two ports
// on the VIPs (and DNS on the name server) and nothing else; the private network has no route
// from there at all. From an app server, the other servers show only what an app server uses.
// The database is out of reach of the client and of the load balancers' HAProxy. SSH works from
// the admin host with the admin's key, and from nowhere else, and never with a password.
// Nothing here changes the lab. About 40 s, most of it the two scans.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "ctl/host_paths.h"
#include "ctl/render/firewall_config.h"
#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using Ports = std::set<int>;
using namespace std::chrono_literals;

// SYN scan, fast: lab links are local and lossless enough; a filtered port costs one retry.
std::vector<std::string> Nmap(const std::string& ports, const std::vector<std::string>& targets) {
  std::vector<std::string> argv = {"nmap", "-n", "-Pn", "-sS", "-p", ports, "-T5", "--min-rate", "20000",
                                   "--max-retries", "1", "-oX", "-"};
  argv.insert(argv.end(), targets.begin(), targets.end());
  return argv;
}

// The open TCP ports per address in nmap's XML report (every scanned address has an entry).
std::map<std::string, Ports> OpenPorts(const std::string& xml) {
  std::map<std::string, Ports> open;
  static const std::regex kAddress(R"re(<address addr="([0-9.]+)" addrtype="ipv4"/>)re");
  static const std::regex kOpen(R"re(<port protocol="tcp" portid="(\d+)"><state state="open")re");
  // A host's element only: nmap also writes <hosthint> (whose end tag "</hosthint>" would make
  // the block swallow the next host) and <hosts> in its run statistics.
  static const std::regex kHostStart(R"re(<host[ >])re");
  size_t at = 0;
  std::smatch start;
  while (std::regex_search(xml.begin() + static_cast<std::ptrdiff_t>(at), xml.end(), start, kHostStart)) {
    at += static_cast<size_t>(start.position(0));
    const size_t end = xml.find("</host>", at);
    const std::string block = xml.substr(at, end == std::string::npos ? std::string::npos : end - at);
    std::smatch m;
    if (std::regex_search(block, m, kAddress)) {
      Ports& ports = open[m[1]];
      for (auto it = std::sregex_iterator(block.begin(), block.end(), kOpen); it != std::sregex_iterator(); ++it)
        ports.insert(std::stoi((*it)[1]));
    }
    at = end == std::string::npos ? xml.size() : end;
  }
  return open;
}

std::string Describe(const Ports& ports) {
  std::string out;
  for (int p : ports) out += (out.empty() ? "" : ",") + std::to_string(p);
  return "{" + out + "}";
}

const ctl::Host& HostNamed(const std::string& name) {
  const ctl::Host* host = LabTopology().FindHost(name);
  if (!host) throw std::runtime_error("no host " + name);
  return *host;
}

std::string PrivateAddress(const std::string& host) { return HostNamed(host).AddressOn("private").value_or(""); }

// Whether a TCP connection to ADDRESS:PORT opens from `host` within 2 s, as `user`.
bool ConnectsFrom(const std::string& host, const std::string& address, int port, const std::string& user = "root") {
  const std::string script = "exec 3<>/dev/tcp/" + address + "/" + std::to_string(port);
  std::vector<std::string> argv = {"timeout", "2", "bash", "-c", script};
  if (user != "root")
    argv.insert(argv.begin(), {"setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--"});
  return ExecOn(host, argv).ok();
}

std::string AdminKey() { return (ctl::DefaultStatePaths().Secrets() / "admin-ssh-ed25519.key").string(); }

// ssh as root from `from` to `address` with the admin's key but none of `foobar ssh`'s pinning.
CommandResult RawSsh(const std::string& from, const std::string& address, const std::vector<std::string>& options) {
  std::vector<std::string> argv = {"ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3",
                                   "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                   "-o", "LogLevel=ERROR"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), {"-l", "root", address, "true"});
  return ExecOn(from, argv, "", 20);
}

TEST(ProductionFirewall, EveryHostHasItsRuleSetLoadedAndTheMachineNone) {
  for (const auto& host : LabTopology().hosts) {
    const CommandResult r = ExecOn(host.name, {"nft", "list", "table", "inet", ctl::kFirewallTable});
    ASSERT_TRUE(r.ok()) << host.name << ": " << lab_test::Describe(r);
    EXPECT_NE(r.out.find("hook input priority filter; policy drop;"), std::string::npos) << host.name << r.out;
    EXPECT_NE(r.out.find("hook forward priority filter; policy drop;"), std::string::npos) << host.name << r.out;
  }
  // The machine's own namespace gets no lab rule (the lab touches it only with blackhole routes).
  const CommandResult root = ctl::RunCommand({"nft", "list", "table", "inet", ctl::kFirewallTable});
  EXPECT_FALSE(root.ok()) << "a foobar table in the root namespace: " << root.out;
  // `foobar config HOST firewall` shows what is loaded.
  const CommandResult config = Foobar({"config", "db-01", "firewall"});
  EXPECT_TRUE(config.ok() && config.out.find("policy drop") != std::string::npos) << lab_test::Describe(config);
}

TEST(ProductionFirewall, FromTheClientOnlyTheSiteAndTheNameServerAnswer) {
  const ctl::Topology& t = LabTopology();
  const ctl::Host& client = HostNamed("client");
  std::map<std::string, Ports> expected;
  for (const auto& host : t.hosts)
    if (auto address = host.AddressOn("public"); address && host.name != client.name)
      expected[*address] = host.Runs("dns") ? Ports{53} : Ports{};
  // The site: the VIPs, or the balancer's own address where there are none (the seed).
  for (const auto& address : t.site.addresses) expected[address] = {80, 443};
  std::vector<std::string> targets;
  for (const auto& [address, ports] : expected) targets.push_back(address);

  const auto started = std::chrono::steady_clock::now();
  const CommandResult scan = ExecOn(client.name, Nmap("1-65535", targets), "", 120);
  ASSERT_TRUE(scan.ok()) << lab_test::Describe(scan);
  std::printf("client scanned %zu addresses x 65535 ports in %.1f s\n", targets.size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  const auto open = OpenPorts(scan.out);
  for (const auto& [address, ports] : expected) {
    ASSERT_TRUE(open.count(address)) << address << " missing from the scan:\n" << scan.out.substr(0, 2000);
    EXPECT_EQ(open.at(address), ports) << address << " has open " << Describe(open.at(address));
  }
  // DNS keeps working for the client (UDP, which the TCP scan does not see).
  const CommandResult lookup = ExecOn(client.name, {"getent", "hosts", t.site.name});
  EXPECT_TRUE(lookup.ok()) << lab_test::Describe(lookup);
}

TEST(ProductionFirewall, ThePrivateNetworkHasNoRouteFromTheClient) {
  for (const auto& host : LabTopology().hosts)
    if (auto address = host.AddressOn("private")) {
      const CommandResult route = ExecOn("client", {"ip", "route", "get", *address});
      EXPECT_FALSE(route.ok()) << host.name << " " << *address << " is routable: " << route.out;
    }
}

TEST(ProductionFirewall, FromAnAppServerTheOtherServersShowOnlyWhatItUses) {
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  const ctl::Host& me = HostNamed(app);
  const ctl::Host* lb = LabTopology().HostsRunning("haproxy").front();
  const ctl::Host* db = LabTopology().HostsRunning("mariadb").front();
  const ctl::Host* mon = LabTopology().HostsRunning("prometheus").front();
  ASSERT_TRUE(lb && db && mon);
  std::map<std::string, Ports> expected = {{PrivateAddress(db->name), {3306}}, {PrivateAddress(mon->name), {}}};
  // An etcd member or a sentinel itself, the app server reaches the balancer's etcd member.
  Ports lb_ports;
  if (lb->Runs("etcd") && (me.Runs("etcd") || me.Runs("sentinel"))) lb_ports.insert(2379);
  if (lb->Runs("etcd") && me.Runs("etcd")) lb_ports.insert(2380);
  expected[PrivateAddress(lb->name)] = lb_ports;
  std::vector<std::string> targets;
  for (const auto& [address, ports] : expected) targets.push_back(address);

  // Every port a daemon of the stack uses is below 10000.
  const CommandResult scan = ExecOn(app, Nmap("1-10000", targets), "", 60);
  ASSERT_TRUE(scan.ok()) << lab_test::Describe(scan);
  const auto open = OpenPorts(scan.out);
  for (const auto& [address, ports] : expected) {
    ASSERT_TRUE(open.count(address)) << address << " missing from the scan";
    EXPECT_EQ(open.at(address), ports) << "from " << app << ", " << address << " has open "
                                       << Describe(open.at(address));
  }
}

TEST(ProductionFirewall, TheDatabaseIsOutOfReachOfTheClientAndOfHaproxy) {
  const std::string db = PrivateAddress(LabTopology().HostsRunning("mariadb").front()->name);
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  EXPECT_TRUE(ConnectsFrom(app, db, 3306)) << "control: an app server reaches the database";
  EXPECT_FALSE(ConnectsFrom("client", db, 3306));
  for (const ctl::Host* lb : LabTopology().HostsRunning("haproxy")) {
    // HAProxy's workers run as `haproxy`: that user reaches no database from a balancer.
    EXPECT_FALSE(ConnectsFrom(lb->name, db, 3306, "haproxy")) << lb->name;
    // Only a balancer that doubles as a sentinel host reaches it, as root (the sentinel's probe).
    EXPECT_EQ(ConnectsFrom(lb->name, db, 3306), lb->Runs("sentinel")) << lb->name;
  }
}

TEST(ProductionFirewall, SshFromTheAdminHostWithTheKeyOnly) {
  // Every server, through `foobar ssh` (the admin's key, known_hosts pinned at `up`): the
  // session runs in that server's network namespace.
  for (const ctl::Host* host : LabTopology().HostsRunning("sshd")) {
    const CommandResult r = Foobar({"ssh", host->name, "--", "ip", "-4", "-o", "addr", "show"}, "", 30);
    EXPECT_TRUE(r.ok()) << host->name << ": " << lab_test::Describe(r);
    for (const auto& [net, address] : host->addresses)
      EXPECT_NE(r.out.find(" " + address + "/"), std::string::npos) << host->name << " " << r.out;
  }
  const std::string db = PrivateAddress(LabTopology().HostsRunning("mariadb").front()->name);
  // A password is never asked for: the server offers public keys alone.
  const CommandResult password = RawSsh(ctl::kAdminHostName, db,
                                        {"-o", "PubkeyAuthentication=no", "-o",
                                         "PreferredAuthentications=password,keyboard-interactive"});
  EXPECT_FALSE(password.ok());
  EXPECT_NE(password.err.find("Permission denied (publickey)"), std::string::npos) << lab_test::Describe(password);
  // The right key from the wrong host: the firewall drops it (timeout, not a refusal).
  const std::string app = LabTopology().HostsRunning("app").front()->name;
  const CommandResult from_app = RawSsh(app, db, {"-i", AdminKey(), "-o", "IdentitiesOnly=yes"});
  EXPECT_FALSE(from_app.ok());
  EXPECT_NE(from_app.err.find("timed out"), std::string::npos) << lab_test::Describe(from_app);
  // The client reaches no sshd at all: the one on its network (the name server's) is dropped.
  const std::string dns = *LabTopology().HostsRunning("dns").front()->AddressOn("public");
  const CommandResult from_client = RawSsh("client", dns, {"-i", AdminKey(), "-o", "IdentitiesOnly=yes"});
  EXPECT_FALSE(from_client.ok());
  EXPECT_NE(from_client.err.find("timed out"), std::string::npos) << lab_test::Describe(from_client);
}

}  // namespace
}  // namespace foobar::lab_test
