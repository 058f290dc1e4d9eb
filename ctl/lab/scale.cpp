#include "ctl/lab/scale.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "ctl/lab/database_setup.h"
#include "ctl/lab/firewall.h"
#include "ctl/lab/host_network.h"
#include "ctl/lab/lab_ca.h"
#include "ctl/lab/lab_error.h"
#include "ctl/lab/lab_state.h"
#include "ctl/lab/lb_servers.h"
#include "ctl/lab/network.h"
#include "ctl/lab/release_migrations.h"
#include "ctl/lab/reload.h"
#include "ctl/lab/services.h"

namespace foobar::ctl {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace {

constexpr const char* kBegin = "# foobar scale: begin ";
constexpr const char* kEnd = "# foobar scale: end ";
// What an added app server runs besides the derived exporters: never etcd, sentinels or data.
const std::vector<std::string> kNotCopied = {"etcd", "sentinel", "mariadb"};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".new";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out) throw LabError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

uint32_t Ip(const std::string& text) {
  in_addr a{};
  inet_pton(AF_INET, text.c_str(), &a);
  return ntohl(a.s_addr);
}

std::string IpText(uint32_t ip) {
  in_addr a{htonl(ip)};
  char buffer[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buffer, sizeof buffer);
  return buffer;
}

// The new host's block for the record: like the last app server, with the next name and address.
std::pair<std::string, std::string> NextAppServer(const Topology& t) {
  const auto apps = t.HostsRunning("app");
  if (apps.empty()) throw LabError("the lab has no app server to copy");
  int number = 0;
  uint32_t highest = 0;
  for (const Host* h : apps) {
    std::smatch m;
    if (std::regex_match(h->name, m, std::regex(R"(app-(\d+))"))) number = std::max(number, std::stoi(m[1]));
    if (auto a = h->AddressOn("private")) highest = std::max(highest, Ip(*a));
  }
  const std::string name = fmt::format("app-{:02}", number + 1);
  uint32_t ip = highest + 1;
  auto used = [&](uint32_t candidate) {
    for (const auto& h : t.hosts)
      for (const auto& [net, a] : h.addresses)
        if (Ip(a) == candidate) return true;
    return false;
  };
  while (used(ip)) ++ip;
  std::string services;
  for (const auto& s : apps.back()->services)
    if (std::find(kNotCopied.begin(), kNotCopied.end(), s) == kNotCopied.end())
      services += (services.empty() ? "\"" : ", \"") + s + "\"";
  const std::string block = fmt::format(
      "\n{}{}\n[[hosts]]\nname = \"{}\"\naddresses = {{ private = \"{}\" }}\nservices = [{}]\n{}{}\n", kBegin, name,
      name, IpText(ip), services, kEnd, name);
  return {name, block};
}

void ReloadBalancersAndMonitoring(const LabContext& lab, const ScaleSay& say) {
  for (const Host* lb : lab.topology.HostsRunning("haproxy")) say(ReloadService(lab, *lb, "haproxy"));
  for (const Host* mon : lab.topology.HostsRunning("prometheus")) say(ReloadService(lab, *mon, "prometheus"));
}

}  // namespace

std::string ScaleAppUp(const ScaleSay& say) {
  const LabContext before = RequireRecordedLab();
  const auto [name, block] = NextAppServer(before.topology);
  const fs::path record = before.state.Record();
  const std::string old_text = ReadText(record);
  WriteText(record, old_text + block);
  LabContext lab = RequireRecordedLab();  // parsed and checked like any topology
  const Host& host = lab.HostNamed(name);
  say(fmt::format("{} ({}) added to the lab's topology", name, *host.AddressOn("private")));
  try {
    PlugInHost(lab.topology, host);
    WriteHostResolverFiles(lab.topology);
    ApplyFirewalls(lab);  // every host: the databases and balancers must let the new one in
    EnsureLabCertificates(lab.topology, lab.state.Secrets());
    SetUpDatabase(lab, CurrentPrimary(lab));  // its database accounts (bound to its address)
    say(name + ": network, firewall, certificate and database account ready");
    for (const auto& service : KnownServices())
      if (host.Runs(service)) {
        StartService(lab, host, service);
        say(name + ": " + service + " started");
      }
  } catch (const std::exception& e) {
    throw LabError(std::string(e.what()) + " -- " + name + " is half made; `foobar scale app -1` removes it");
  }
  ReloadBalancersAndMonitoring(lab, say);
  if (!WaitForServerUp(lab, name, 10s)) throw LabError(name + " is not UP in every load balancer after the reload");
  say(name + ": UP in every load balancer");
  return name;
}

std::string ScaleAppDown(const ScaleSay& say) {
  const LabContext lab = RequireRecordedLab();
  const fs::path record = lab.state.Record();
  const std::string text = ReadText(record);
  const auto begin = text.rfind(kBegin);
  if (begin == std::string::npos) throw LabError("no app server was added by `foobar scale app +1`");
  const auto name_end = text.find('\n', begin);
  const std::string name = text.substr(begin + std::string(kBegin).size(), name_end - begin - std::string(kBegin).size());
  const std::string end_marker = kEnd + name + "\n";
  const auto end = text.find(end_marker, begin);
  if (end == std::string::npos) throw LabError("the lab's record has no end marker for " + name);
  const Host host = lab.HostNamed(name);

  // No new requests for it anywhere, in-flight ones finish; then it leaves the configs.
  SetAppServerState(lab, name, "drain");
  if (!WaitForNoSessions(lab, name, 15s)) say(name + ": still busy after 15 s of drain; removing it anyway");
  else say(name + ": drained in every load balancer");
  std::string trimmed = text.substr(0, begin) + text.substr(end + end_marker.size());
  while (trimmed.size() >= 2 && trimmed.ends_with("\n\n")) trimmed.pop_back();
  WriteText(record, trimmed);
  const LabContext after = RequireRecordedLab();
  ReloadBalancersAndMonitoring(after, say);
  RemoveHost(lab, host);
  ApplyFirewalls(after);
  say(name + ": stopped and removed");
  return name;
}

}  // namespace foobar::ctl
