// foobar-app's configuration: the TOML file, command-line overrides and the database
// password (environment or file). Start-up code; errors are values whose message says
// what is wrong and where ("FILE: database.pool_size must be 1..256").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace foobar::app {

struct DbEndpoint {
  std::string host;  // an address: Connector/C would resolve a name with a blocking lookup
  std::uint16_t port = 3306;

  std::string ToString() const;  // "host:port", IPv6 in brackets
  bool operator==(const DbEndpoint&) const = default;
};

struct DatabaseConfig {
  std::vector<DbEndpoint> servers;  // every server; the app finds the writable one
  std::string name = "foobar";
  std::string user;
  std::string password_file;
  std::string password;  // resolved by ResolvePassword, never logged
  // Instead of user + password_file: a file "USER\nPASSWORD\n" that every new connection
  // reads again, so a rotated credential (`foobar secrets rotate`) takes effect without a
  // restart (see DbConnection::LooksAlive).
  std::string credentials_file;
  // When set (the topology's [security] end_to_end_tls), every connection is TLS and the
  // server's certificate must verify against this CA file for the address dialled.
  std::string ssl_ca;
  int pool_size = 8;
  // Reads skip a replica further behind its primary than this (Seconds_Behind_Master).
  int replica_max_lag_s = 5;
  // How long a read carrying the fb_rw cookie waits on a replica for the client's last
  // write (MASTER_GTID_WAIT) before the primary serves it instead.
  int read_your_writes_timeout_ms = 500;
};

struct Config {
  std::string host_name;  // default: the system host name
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  int threads = 2;
  // Where GET /metrics is served (metrics_handler.h); empty address: not served.
  std::string metrics_listen_address;
  std::uint16_t metrics_listen_port = 0;
  DatabaseConfig database;
};

// Command-line values that replace the file's.
struct ConfigOverrides {
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<std::string> host_name;
};

inline constexpr int kMaxThreads = 64;
inline constexpr int kMaxPoolSize = 256;
inline constexpr int kMaxDatabaseServers = 64;  // server sets are 64-bit masks
inline constexpr int kMaxReplicaLagS = 3600;
// Below the connections' 3 s read timeout, so a wait never looks like a lost connection.
inline constexpr int kMaxReadYourWritesTimeoutMs = 2000;
inline constexpr std::string_view kPasswordEnv = "FOOBAR_DB_PASSWORD";

// Parses "HOST:PORT" or "[V6]:PORT"; a missing port means 3306.
Result<DbEndpoint> ParseDbEndpoint(std::string_view text);

// Parses "ADDR:PORT" for the listener: ADDR must be a numeric IPv4 or [IPv6] address.
Result<std::pair<std::string, std::uint16_t>> ParseListen(std::string_view text);

// Parses TOML text; `source` (the file name) prefixes error messages. Does not read the
// password: see ResolvePassword.
Result<Config> ParseConfig(std::string_view toml_text, const std::string& source,
                           const ConfigOverrides& overrides);

// Sets database.password from `env_password` if it is set, else from the file named by
// database.password_file (one trailing newline trimmed). With database.credentials_file, sets
// user and password from that file instead (and ignores `env_password`).
Status ResolvePassword(DatabaseConfig& database, const char* env_password,
                       const std::string& source);

struct UserAndPassword {
  std::string user;
  std::string password;
};

// Reads a credentials file: the user on the first line, the password on the second (a
// trailing "\r" is trimmed). The error names the file, never its content.
Result<UserAndPassword> ReadCredentialsFile(const std::string& path);

// Reads and parses `path`, applies `overrides`, resolves the password from the
// environment variable kPasswordEnv or the password file.
Result<Config> LoadConfig(const std::string& path, const ConfigOverrides& overrides);

}  // namespace foobar::app
