// Config loading with toml++. Unknown keys are errors: a misspelt key silently falling back
// to a default is the kind of mistake that only shows in production.
#include "app/config.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace foobar::app {
namespace {

// Walks one TOML table, remembering which keys were consumed so that leftovers can be
// reported as unknown.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const std::string& source)
      : table_(table), prefix_(std::move(prefix)), source_(source) {}

  // Where a problem with `key` is: "FILE: database.pool_size".
  std::string Where(std::string_view key) const {
    return fmt::format("{}: {}{}", source_, prefix_, key);
  }

  // Reads an optional string; returns an error message if present with another type.
  std::optional<std::string> String(std::string_view key, std::string& out) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) return Where(key) + " must be a string";
    out = node->value<std::string>().value_or("");
    return std::nullopt;
  }

  std::optional<std::string> Integer(std::string_view key, int low, int high, int& out) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    const auto value = node->value_exact<std::int64_t>();
    if (!value || *value < low || *value > high) {
      return fmt::format("{} must be {}..{}", Where(key), low, high);
    }
    out = static_cast<int>(*value);
    return std::nullopt;
  }

  std::optional<std::string> StringArray(std::string_view key, std::vector<std::string>& out) {
    seen_.emplace_back(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    const toml::array* array = node->as_array();
    if (array == nullptr) return Where(key) + " must be an array of strings";
    for (const toml::node& element : *array) {
      if (!element.is_string()) return Where(key) + " must be an array of strings";
      out.push_back(element.value<std::string>().value_or(""));
    }
    return std::nullopt;
  }

  // For keys read by other means (sub-tables).
  void MarkKnown(std::string_view key) { seen_.emplace_back(key); }

  // The first key of the table that no reader call asked for.
  std::optional<std::string> Unknown() const {
    for (const auto& [key, node] : table_) {
      bool known = false;
      for (const auto& seen : seen_) known = known || seen == key.str();
      if (!known) {
        return fmt::format("{}:{}: unknown key '{}{}'", source_, node.source().begin.line, prefix_,
                           key.str());
      }
    }
    return std::nullopt;
  }

 private:
  const toml::table& table_;
  const std::string prefix_;
  const std::string& source_;
  std::vector<std::string> seen_;
};

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

// host_name goes into a response header: only characters that cannot break one.
bool IsValidHostName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (const char c : name) {
    if (!IsHostNameChar(c)) return false;
  }
  return true;
}

std::string SystemHostName() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return "unknown";
  return buffer;
}

// Splits "HOST:PORT" / "[V6]:PORT"; port is nullopt when absent.
Result<std::pair<std::string, std::optional<std::uint16_t>>> SplitHostPort(std::string_view text) {
  std::string_view host = text;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return Error{1, "unbalanced '['"};
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Error{1, "expected ':' after ']'"};
      port_text = rest.substr(1);
      has_port = true;
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return Error{1, "missing host"};
  if (!has_port) return std::pair{std::string(host), std::optional<std::uint16_t>{}};
  if (port_text.empty() || port_text.size() > 5) return Error{1, "bad port"};
  unsigned port = 0;
  for (const char c : port_text) {
    if (c < '0' || c > '9') return Error{1, "bad port"};
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port > 65535) return Error{1, "bad port"};
  return std::pair{std::string(host),
                   std::optional<std::uint16_t>(static_cast<std::uint16_t>(port))};
}

Status ApplyOverrides(Config& config, const ConfigOverrides& overrides) {
  if (overrides.listen) {
    auto listen = ParseListen(*overrides.listen);
    if (!listen.ok()) return Error{2, "--listen " + listen.error().message};
    config.listen_address = listen->first;
    config.listen_port = listen->second;
  }
  if (overrides.threads) {
    if (*overrides.threads < 1 || *overrides.threads > kMaxThreads) {
      return Error{2, fmt::format("--threads must be 1..{}", kMaxThreads)};
    }
    config.threads = *overrides.threads;
  }
  if (overrides.host_name) {
    if (!IsValidHostName(*overrides.host_name)) {
      return Error{2, "--host-name must be 1..253 characters of [A-Za-z0-9._-]"};
    }
    config.host_name = *overrides.host_name;
  }
  return OkStatus();
}

}  // namespace

std::string DbEndpoint::ToString() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Result<DbEndpoint> ParseDbEndpoint(std::string_view text) {
  auto split = SplitHostPort(text);
  if (!split.ok()) return split.error();
  const auto& [host, port] = *split;
  if (port && *port == 0) return Error{1, "bad port"};
  return DbEndpoint{host, port.value_or(3306)};
}

Result<std::pair<std::string, std::uint16_t>> ParseListen(std::string_view text) {
  auto split = SplitHostPort(text);
  if (!split.ok() || !split->second) return Error{1, "must be ADDR:PORT"};
  const std::string& address = split->first;
  unsigned char raw[16];
  if (inet_pton(AF_INET, address.c_str(), raw) != 1 &&
      inet_pton(AF_INET6, address.c_str(), raw) != 1) {
    return Error{1, "must be ADDR:PORT with a numeric IP address"};
  }
  return std::pair{address, *split->second};
}

Result<Config> ParseConfig(std::string_view toml_text, const std::string& source,
                           const ConfigOverrides& overrides) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Error{2, fmt::format("{}:{}:{}: {}", source, e.source().begin.line,
                                e.source().begin.column, e.description())};
  }
  Config config;
  TableReader top(root, "", source);
  std::string listen;
  std::string metrics_listen;
  std::optional<std::string> problem;
  if ((problem = top.String("host_name", config.host_name))) return Error{2, *problem};
  if ((problem = top.String("listen", listen))) return Error{2, *problem};
  if ((problem = top.String("metrics_listen", metrics_listen))) return Error{2, *problem};
  if ((problem = top.Integer("threads", 1, kMaxThreads, config.threads))) {
    return Error{2, *problem};
  }
  if (!config.host_name.empty() && !IsValidHostName(config.host_name)) {
    return Error{2, top.Where("host_name") + " must be 1..253 characters of [A-Za-z0-9._-]"};
  }
  if (root.contains("host_name") && config.host_name.empty()) {
    return Error{2, top.Where("host_name") + " must not be empty"};
  }
  if (!listen.empty() || root.contains("listen")) {
    auto parsed = ParseListen(listen);
    if (!parsed.ok()) return Error{2, top.Where("listen") + " " + parsed.error().message};
    config.listen_address = parsed->first;
    config.listen_port = parsed->second;
  }
  if (root.contains("metrics_listen")) {
    auto parsed = ParseListen(metrics_listen);
    if (!parsed.ok()) return Error{2, top.Where("metrics_listen") + " " + parsed.error().message};
    config.metrics_listen_address = parsed->first;
    config.metrics_listen_port = parsed->second;
  }

  top.MarkKnown("database");
  const toml::table* db_table = root["database"].as_table();
  if (db_table == nullptr) return Error{2, source + ": missing [database] table"};
  if (auto unknown = top.Unknown()) return Error{2, *unknown};

  DatabaseConfig& db = config.database;
  TableReader dbr(*db_table, "database.", source);
  std::vector<std::string> servers;
  if ((problem = dbr.StringArray("servers", servers))) return Error{2, *problem};
  if ((problem = dbr.String("name", db.name))) return Error{2, *problem};
  if ((problem = dbr.String("user", db.user))) return Error{2, *problem};
  if ((problem = dbr.String("password_file", db.password_file))) return Error{2, *problem};
  if ((problem = dbr.String("credentials_file", db.credentials_file))) return Error{2, *problem};
  if ((problem = dbr.String("ssl_ca", db.ssl_ca))) return Error{2, *problem};
  if ((problem = dbr.Integer("pool_size", 1, kMaxPoolSize, db.pool_size))) {
    return Error{2, *problem};
  }
  if ((problem = dbr.Integer("replica_max_lag_s", 0, kMaxReplicaLagS, db.replica_max_lag_s))) {
    return Error{2, *problem};
  }
  if ((problem = dbr.Integer("read_your_writes_timeout_ms", 0, kMaxReadYourWritesTimeoutMs,
                             db.read_your_writes_timeout_ms))) {
    return Error{2, *problem};
  }
  if (auto unknown = dbr.Unknown()) return Error{2, *unknown};
  if (servers.empty()) return Error{2, dbr.Where("servers") + " must list at least one server"};
  if (servers.size() > static_cast<std::size_t>(kMaxDatabaseServers)) {
    return Error{2, fmt::format("{} must list at most {} servers", dbr.Where("servers"),
                                kMaxDatabaseServers)};
  }
  for (const auto& text : servers) {
    auto endpoint = ParseDbEndpoint(text);
    if (!endpoint.ok()) {
      return Error{2, fmt::format("{}: '{}' must be HOST:PORT", dbr.Where("servers"), text)};
    }
    db.servers.push_back(std::move(*endpoint));
  }
  if (db.name.empty()) return Error{2, dbr.Where("name") + " must not be empty"};
  if (!db.credentials_file.empty() && (!db.user.empty() || !db.password_file.empty())) {
    return Error{2, dbr.Where("credentials_file") + " replaces user and password_file: set one or the other"};
  }
  if (db.user.empty() && db.credentials_file.empty()) {
    return Error{2, dbr.Where("user") + " is required"};
  }

  if (auto status = ApplyOverrides(config, overrides); !status.ok()) return status.error();
  if (config.host_name.empty()) config.host_name = SystemHostName();
  if (!IsValidHostName(config.host_name)) config.host_name = "unknown";
  return config;
}

Result<UserAndPassword> ReadCredentialsFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{2, fmt::format("credentials file {}: {}", path, std::strerror(errno))};
  UserAndPassword out;
  std::getline(file, out.user);
  std::getline(file, out.password);
  for (std::string* line : {&out.user, &out.password}) {
    if (!line->empty() && line->back() == '\r') line->pop_back();
  }
  if (out.user.empty() || out.password.empty()) {
    return Error{2, fmt::format("credentials file {}: want the user on line 1, the password on line 2",
                                path)};
  }
  return out;
}

Status ResolvePassword(DatabaseConfig& database, const char* env_password,
                       const std::string& source) {
  if (!database.credentials_file.empty()) {
    auto credentials = ReadCredentialsFile(database.credentials_file);
    if (!credentials.ok()) {
      return Error{2, fmt::format("{}: database.{}", source, credentials.error().message)};
    }
    database.user = std::move(credentials->user);
    database.password = std::move(credentials->password);
    return OkStatus();
  }
  if (env_password != nullptr) {
    database.password = env_password;
    return OkStatus();
  }
  if (database.password_file.empty()) {
    return Error{2, fmt::format("{}: database.password_file is not set and {} is not in the "
                                "environment",
                                source, kPasswordEnv)};
  }
  std::ifstream file(database.password_file, std::ios::binary);
  if (!file) {
    return Error{2, fmt::format("{}: database.password_file {}: {}", source, database.password_file,
                                std::strerror(errno))};
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  std::string password = contents.str();
  if (!password.empty() && password.back() == '\n') password.pop_back();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  database.password = std::move(password);
  return OkStatus();
}

Result<Config> LoadConfig(const std::string& path, const ConfigOverrides& overrides) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{2, fmt::format("{}: cannot read: {}", path, std::strerror(errno))};
  std::ostringstream contents;
  contents << file.rdbuf();
  auto config = ParseConfig(contents.str(), path, overrides);
  if (!config.ok()) return config;
  const std::string env_name(kPasswordEnv);
  if (auto status = ResolvePassword(config->database, std::getenv(env_name.c_str()), path);
      !status.ok()) {
    return status.error();
  }
  return config;
}

}  // namespace foobar::app
