// Loading and validating topology files (TOML, parsed by toml++).
#include "ctl/topology.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace foobar::ctl {
namespace {

[[noreturn]] void Fail(const std::string& origin, const std::string& what) {
  throw TopologyError(origin + ": " + what);
}

std::optional<uint32_t> ParseIpv4(const std::string& text) {
  in_addr addr{};
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

bool IsLabAddress(uint32_t ip) {
  // 198.18.0.0/15: the range set aside for network test labs (RFC 2544).
  return (ip & 0xFFFE0000u) == ((198u << 24) | (18u << 16));
}

Network ParseNetwork(const std::string& origin, const std::string& name, const toml::node& node) {
  const auto* table = node.as_table();
  if (!table) Fail(origin, "networks." + name + " must be a table");
  auto cidr = (*table)["cidr"].value<std::string>();
  if (!cidr) Fail(origin, "networks." + name + ".cidr is missing");
  static const std::regex kCidr(R"(^(\d+\.\d+\.\d+\.\d+)/(\d+)$)");
  std::smatch m;
  if (!std::regex_match(*cidr, m, kCidr)) Fail(origin, "networks." + name + ".cidr '" + *cidr + "' is not A.B.C.D/N");
  Network net{name, *cidr, m[1], std::stoi(m[2])};
  auto ip = ParseIpv4(net.address);
  if (!ip || net.prefix_length < 16 || net.prefix_length > 30)
    Fail(origin, "networks." + name + ".cidr '" + *cidr + "' must be an IPv4 network from /16 to /30");
  if (!IsLabAddress(*ip))
    Fail(origin, "networks." + name + ".cidr '" + *cidr + "' is outside 198.18.0.0/15, the only range the lab may use");
  uint32_t mask = net.prefix_length == 0 ? 0 : ~0u << (32 - net.prefix_length);
  if ((*ip & mask) != *ip) Fail(origin, "networks." + name + ".cidr '" + *cidr + "' has host bits set");
  return net;
}

bool InNetwork(const Network& net, uint32_t ip) {
  uint32_t base = *ParseIpv4(net.address);
  uint32_t mask = ~0u << (32 - net.prefix_length);
  return (ip & mask) == base && ip != base && ip != (base | ~mask);
}

std::vector<std::string> StringArray(const std::string& origin, const std::string& where,
                                     const toml::node* node) {
  std::vector<std::string> out;
  if (!node) return out;
  const auto* array = node->as_array();
  if (!array) Fail(origin, where + " must be an array of strings");
  for (const auto& item : *array) {
    auto s = item.value<std::string>();
    if (!s) Fail(origin, where + " must contain only strings");
    out.push_back(*s);
  }
  return out;
}

Host ParseHost(const std::string& origin, size_t index, const toml::table& table,
               const std::vector<Network>& networks) {
  const std::string where = "hosts[" + std::to_string(index) + "]";
  Host host;
  auto name = table["name"].value<std::string>();
  if (!name) Fail(origin, where + ".name is missing");
  // Interface names in the switch namespace are "<host>-<net>" and must fit IFNAMSIZ (15).
  static const std::regex kHostName("^[a-z][a-z0-9-]{0,10}$");
  if (!std::regex_match(*name, kHostName))
    Fail(origin, where + ".name '" + *name + "' must be 1-11 characters of a-z, 0-9 and '-', starting with a letter");
  host.name = *name;
  const std::string hw = "host '" + host.name + "'";

  if (const auto* addrs = table["addresses"].as_table()) {
    for (const auto& [key, value] : *addrs) {
      std::string net_name(key.str());
      auto it = std::find_if(networks.begin(), networks.end(),
                             [&](const Network& n) { return n.name == net_name; });
      if (it == networks.end()) Fail(origin, hw + " has an address on unknown network '" + net_name + "'");
      auto text = value.value<std::string>();
      if (!text) Fail(origin, hw + ": addresses." + net_name + " must be a string");
      auto ip = ParseIpv4(*text);
      if (!ip || !InNetwork(*it, *ip))
        Fail(origin, hw + ": address '" + *text + "' is not a host address in " + it->cidr);
      host.addresses[net_name] = *text;
    }
  } else if (table.contains("addresses")) {
    Fail(origin, hw + ": addresses must be a table like { public = \"198.18.0.10\" }");
  }
  if (host.addresses.empty()) Fail(origin, hw + " has no address on any network");

  host.services = StringArray(origin, hw + ".services", table["services"].node());
  std::set<std::string> seen;
  for (const auto& s : host.services) {
    const auto& known = KnownServices();
    if (std::find(known.begin(), known.end(), s) == known.end())
      Fail(origin, hw + " runs unknown service '" + s + "'");
    if (!seen.insert(s).second) Fail(origin, hw + " lists service '" + s + "' twice");
  }
  return host;
}

std::vector<Vip> ParseVips(const std::string& origin, const toml::table& root, const Topology& t) {
  std::vector<Vip> vips;
  const auto* array = root["vips"].as_array();
  if (!array) {
    if (root.contains("vips")) Fail(origin, "vips must be an array of tables ([[vips]])");
    return vips;
  }
  const Network* pub = t.FindNetwork("public");
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string where = "vips[" + std::to_string(i) + "]";
    const auto* table = (*array)[i].as_table();
    if (!table) Fail(origin, where + " must be a table");
    Vip vip;
    vip.name = "vip-" + std::to_string(i + 1);
    vip.vrid = static_cast<int>(i) + 1;
    auto address = (*table)["address"].value<std::string>();
    auto master = (*table)["master"].value<std::string>();
    if (!address || !master) Fail(origin, where + " needs address and master");
    auto ip = ParseIpv4(*address);
    if (!ip || !InNetwork(*pub, *ip)) Fail(origin, where + ": '" + *address + "' is not an address on the public network");
    const Host* lb = t.FindHost(*master);
    if (!lb || !lb->Runs("keepalived") || !lb->Runs("haproxy"))
      Fail(origin, where + ": master '" + *master + "' must be a host running haproxy and keepalived");
    vip.address = *address;
    vip.master = *master;
    vips.push_back(vip);
  }
  return vips;
}

void CheckWholeTopology(const std::string& origin, const Topology& t) {
  std::set<std::string> names, addresses;
  for (const auto& h : t.hosts) {
    if (!names.insert(h.name).second) Fail(origin, "host name '" + h.name + "' is used twice");
    for (const auto& [net, addr] : h.addresses)
      if (!addresses.insert(addr).second) Fail(origin, "address " + addr + " is used twice");
  }
  for (const auto& v : t.vips)
    if (!addresses.insert(v.address).second) Fail(origin, "address " + v.address + " is used twice");
  for (const auto* h : t.HostsRunning("keepalived"))
    if (!h->Runs("haproxy")) Fail(origin, "host '" + h->name + "' runs keepalived without haproxy");
  if (!t.HostsRunning("keepalived").empty() && t.vips.empty())
    Fail(origin, "keepalived runs but the topology has no [[vips]]");
  auto need_one = [&](const std::string& service) {
    if (t.HostsRunning(service).empty()) Fail(origin, "no host runs '" + service + "'");
  };
  for (const auto* h : t.HostsRunning("app"))
    if (!h->Runs("nginx")) Fail(origin, "host '" + h->name + "' runs app without nginx in front of it");
  for (const auto* s : {"dns", "haproxy", "nginx", "app", "mariadb"}) need_one(s);
  for (const auto* h : t.HostsRunning("dns"))
    if (!h->AddressOn("public")) Fail(origin, "dns host '" + h->name + "' needs a public address");
  for (const auto* h : t.HostsRunning("haproxy"))
    if (!h->AddressOn("public") || !h->AddressOn("private"))
      Fail(origin, "load balancer '" + h->name + "' needs both a public and a private address");
  for (const auto* service : {"nginx", "mariadb"})
    for (const auto* h : t.HostsRunning(service))
      if (!h->AddressOn("private")) Fail(origin, "host '" + h->name + "' runs " + service + " but has no private address");
  if (t.site.addresses.empty()) Fail(origin, "site.addresses is empty: DNS would have nothing to answer");
  for (const auto& a : t.site.addresses) {
    auto ip = ParseIpv4(a);
    const Network* pub = t.FindNetwork("public");
    if (!ip || !pub || !InNetwork(*pub, *ip)) Fail(origin, "site address '" + a + "' is not on the public network");
  }
}

// [security]: needs the hosts (the rate-limit allowlist defaults to the loadgen host's addresses).
void ParseSecurity(const std::string& origin, const toml::table& root, Topology& t) {
  const auto* security = root["security"].as_table();
  if (security && security->contains("rate_limit_exempt")) {
    t.security.rate_limit_exempt =
        StringArray(origin, "security.rate_limit_exempt", root["security"]["rate_limit_exempt"].node());
    for (const auto& a : t.security.rate_limit_exempt)
      if (!ParseIpv4(a)) Fail(origin, "security.rate_limit_exempt: '" + a + "' is not an IPv4 address");
  } else if (const Host* loadgen = t.FindHost("loadgen")) {
    for (const auto& [net, addr] : loadgen->addresses) t.security.rate_limit_exempt.push_back(addr);
  }
  if (security) {
    const auto* e2e = security->get("end_to_end_tls");
    if (e2e && !e2e->is_boolean()) Fail(origin, "security.end_to_end_tls must be true or false");
    t.security.end_to_end_tls = root["security"]["end_to_end_tls"].value_or(false);
  }
}

// A topology with an `admin` host gives every server (a host that runs anything) a real sshd that
// only the admin host may reach, derived rather than listed so that no server is left without it.
// Each sshd listens on its host's private address, or its public one on a public-only host (dns):
// the admin host needs an address on each of those networks.
void AddSshDaemons(const std::string& origin, Topology& t) {
  const Host* admin = t.FindHost(kAdminHostName);
  if (!admin) {
    if (!t.HostsRunning("sshd").empty()) Fail(origin, "sshd runs but no host is called 'admin' to log in from");
    return;
  }
  if (!admin->services.empty()) Fail(origin, "the admin host is where operators log in from: it runs no services");
  for (Host& h : t.hosts)
    if (!h.services.empty() && !h.Runs("sshd")) h.services.push_back("sshd");
  for (const Host* h : t.HostsRunning("sshd")) {
    const std::string network = h->AddressOn("private") ? "private" : "public";
    if (!admin->AddressOn(network))
      Fail(origin, "the admin host needs a " + network + " address to reach the sshd of '" + h->name + "'");
  }
}

// A monitored topology (a host runs prometheus) gets its exporters derived rather than listed, so
// that no server can be left unwatched: node_exporter on every server (a host running anything),
// the nginx and mysqld exporters beside each Nginx and MariaDB, and the blackbox exporter on the
// client, which probes the site from outside as a user would. Listing one by hand is allowed.
void AddMonitoringExporters(const std::string& origin, Topology& t) {
  const auto monitors = t.HostsRunning("prometheus");
  for (const Host* h : t.HostsRunning("alertmanager"))
    if (!h->Runs("prometheus")) Fail(origin, "host '" + h->name + "' runs alertmanager without prometheus");
  if (monitors.empty()) return;
  if (monitors.size() > 1) Fail(origin, "only one host may run prometheus");
  if (!monitors.front()->AddressOn("private"))
    Fail(origin, "prometheus host '" + monitors.front()->name + "' needs a private address");
  auto add = [](Host& h, const char* service) {
    if (!h.Runs(service)) h.services.push_back(service);
  };
  for (Host& h : t.hosts) {
    if (!h.services.empty()) add(h, "node_exporter");
    if (h.Runs("nginx")) add(h, "nginx_exporter");
    if (h.Runs("mariadb")) add(h, "mysqld_exporter");
    if (h.name == "client") add(h, "blackbox_exporter");
  }
}

}  // namespace

bool Host::Runs(const std::string& service) const {
  return std::find(services.begin(), services.end(), service) != services.end();
}

std::optional<std::string> Host::AddressOn(const std::string& network) const {
  auto it = addresses.find(network);
  if (it == addresses.end()) return std::nullopt;
  return it->second;
}

const Host* Topology::FindHost(const std::string& host_name) const {
  for (const auto& h : hosts)
    if (h.name == host_name) return &h;
  return nullptr;
}

const Network* Topology::FindNetwork(const std::string& network_name) const {
  for (const auto& n : networks)
    if (n.name == network_name) return &n;
  return nullptr;
}

std::vector<const Host*> Topology::HostsRunning(const std::string& service) const {
  std::vector<const Host*> out;
  for (const auto& h : hosts)
    if (h.Runs(service)) out.push_back(&h);
  return out;
}

const std::vector<std::string>& KnownServices() {
  // Start order: DNS first (names resolve), sshd (an operator can log in even if a later daemon
  // fails to start), the coordination store, the databases and their
  // sentinels, then the app, Nginx, HAProxy, so that the load balancer's first health checks
  // already find ready backends, and keepalived last: a VIP goes only to a serving HAProxy.
  // Monitoring last: each exporter after the daemon it watches, and Prometheus after everything
  // it scrapes (Alertmanager first, so that the first alert has somewhere to go).
  static const std::vector<std::string> kServices = {
      "dns",           "sshd",           "etcd",           "mariadb",         "sentinel",          "app",
      "nginx",         "haproxy",        "keepalived",      "node_exporter",     "nginx_exporter",
      "mysqld_exporter", "blackbox_exporter", "alertmanager", "prometheus"};
  return kServices;
}

Topology ParseTopology(const std::string& toml_text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    Fail(origin, std::string(e.description()) + " at " + where.str());
  }
  Topology t;
  auto name = root["name"].value<std::string>();
  if (!name || name->empty()) Fail(origin, "'name' is missing");
  t.name = *name;
  t.description = root["description"].value_or(std::string{});
  t.domain = root["domain"].value_or(std::string{"foobar.com"});
  t.site.name = root["site"]["name"].value_or("www." + t.domain);
  t.site.addresses = StringArray(origin, "site.addresses", root["site"]["addresses"].node());
  t.site.tls_certificate = root["site"]["tls_certificate"].value_or(std::string{});

  const auto* nets = root["networks"].as_table();
  if (!nets || nets->empty()) Fail(origin, "[networks] is missing");
  for (const auto& [key, node] : *nets) t.networks.push_back(ParseNetwork(origin, std::string(key.str()), node));
  if (!t.FindNetwork("public") || !t.FindNetwork("private"))
    Fail(origin, "the lab needs two networks, 'public' and 'private'");

  const auto* hosts = root["hosts"].as_array();
  if (!hosts || hosts->empty()) Fail(origin, "[[hosts]] is missing");
  size_t index = 0;
  for (const auto& node : *hosts) {
    const auto* table = node.as_table();
    if (!table) Fail(origin, "hosts[" + std::to_string(index) + "] must be a table");
    t.hosts.push_back(ParseHost(origin, index++, *table, t.networks));
  }
  t.vips = ParseVips(origin, root, t);
  ParseSecurity(origin, root, t);
  CheckWholeTopology(origin, t);
  AddSshDaemons(origin, t);
  AddMonitoringExporters(origin, t);
  return t;
}

Topology LoadTopologyFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw TopologyError(path.string() + ": cannot read the topology file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseTopology(buffer.str(), path.string());
}

}  // namespace foobar::ctl
