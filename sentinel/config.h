// foobar-sentinel's configuration (the TOML file `foobar` renders from the topology) and the
// passwords it points at. Start-up code: errors are values naming the file and the entry.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace foobar::sentinel {

struct DbServer {
  std::string name;     // the lab host, "db-01": how the cluster record names it
  std::string address;  // private address: probes and CHANGE MASTER use it
  uint16_t port = 3306;
  // [security] end_to_end_tls ([database] ssl_ca): the CA file this sentinel verifies the
  // server's certificate with; set means every connection to it is TLS. Empty: plain TCP.
  std::string ssl_ca = {};
  // The server's own copy of the CA (per server master_ssl_ca): what it verifies its primary
  // with when this sentinel points it at one (CHANGE MASTER ... MASTER_SSL_CA).
  std::string master_ssl_ca = {};
};

struct DbAccount {
  std::string user;
  std::string password;
};

struct Timing {
  std::chrono::milliseconds probe_interval{250};
  unsigned probe_timeout_s = 1;
  std::chrono::milliseconds confirm{1000};
  std::chrono::milliseconds opinion_max_age{2500};
  int lease_ttl_s = 3;
};

struct Config {
  std::string name;                    // this sentinel
  std::vector<std::string> sentinels;  // every sentinel, this one included
  std::string status_file;
  Timing timing;
  std::vector<std::string> etcd_endpoints;  // "http://ADDR:PORT"
  std::vector<DbServer> servers;
  DbAccount monitor;      // the sentinels' own account
  DbAccount replication;  // what replicas use to connect to their primary

  const DbServer* FindServer(std::string_view server_name) const;
  // How many sentinels make a majority.
  int Majority() const { return static_cast<int>(sentinels.size()) / 2 + 1; }
};

// Parses the TOML text and reads both password files. `source` prefixes error messages.
Result<Config> ParseConfig(std::string_view toml_text, const std::string& source);
Result<Config> LoadConfig(const std::string& path);

}  // namespace foobar::sentinel
