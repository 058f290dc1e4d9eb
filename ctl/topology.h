// The topology model: what a file under topologies/ says, checked and typed.
// Everything else (configs, the lab, status) is derived from this and nothing else.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace foobar::ctl {

// An IPv4 network of the lab, e.g. public = 198.18.0.0/24.
struct Network {
  std::string name;     // "public", "private"
  std::string cidr;     // "198.18.0.0/24"
  std::string address;  // "198.18.0.0"
  int prefix_length = 0;
};

struct Host {
  std::string name;                              // "app-01"
  std::map<std::string, std::string> addresses;  // network name -> IPv4 address
  std::vector<std::string> services;             // "dns", "haproxy", "nginx", "app", "mariadb"

  bool Runs(const std::string& service) const;
  // The host's address on a network, or nullopt if it has none there.
  std::optional<std::string> AddressOn(const std::string& network) const;
};

// A virtual IP on the public network, held by one load balancer at a time (keepalived VRRP).
struct Vip {
  std::string name;     // "vip-1": also the VRRP instance name
  std::string address;  // "198.18.0.10"
  std::string master;   // the load balancer that holds it when all is well
  int vrid = 0;         // VRRP router id, 1..255, unique per VIP
};

struct Site {
  std::string name;                    // "www.foobar.com"
  std::vector<std::string> addresses;  // what DNS answers for the site
  // [site] tls_certificate: a PEM file holding the certificate chain and its private key that
  // HAProxy serves. Empty (the default): a certificate from the lab CA that `up` creates.
  std::string tls_certificate;
};

// [security]: the settings of issue 4 that are not per host.
struct Security {
  // Sources exempt from HAProxy's per-client rate and connection limits, so that load and
  // fault tests measure the stack rather than the limiter. Default: the `loadgen` host's
  // addresses.
  std::vector<std::string> rate_limit_exempt;
  // TLS from HAProxy to Nginx (certificates from the lab CA), and MariaDB serving TLS.
  bool end_to_end_tls = false;
};

struct Topology {
  std::string name;         // "seed"
  std::string description;
  std::string domain;       // "foobar.com"
  Site site;
  Security security;
  std::vector<Network> networks;  // sorted by name
  std::vector<Host> hosts;        // in file order
  std::vector<Vip> vips;          // empty: DNS points at the load balancers' own addresses

  const Host* FindHost(const std::string& name) const;
  const Network* FindNetwork(const std::string& name) const;
  std::vector<const Host*> HostsRunning(const std::string& service) const;
};

// The host operators log in from: every server's sshd accepts it alone (see AddSshDaemons).
inline constexpr const char* kAdminHostName = "admin";

// Known service names, in the order `up` starts them.
const std::vector<std::string>& KnownServices();

// Parses and validates a topology. Throws TopologyError with a message naming the
// file and the offending entry (this is start-up/CLI code, where exceptions are used).
struct TopologyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
Topology ParseTopology(const std::string& toml_text, const std::string& origin);
Topology LoadTopologyFile(const std::filesystem::path& path);

}  // namespace foobar::ctl
