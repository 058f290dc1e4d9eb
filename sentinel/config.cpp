#include "sentinel/config.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace foobar::sentinel {
namespace {

Error Problem(const std::string& source, const std::string& what) { return Error{1, source + ": " + what}; }

Result<std::string> ReadPassword(const std::string& source, const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty())
    return Problem(source, "cannot read a password from " + path);
  return line;
}

}  // namespace

const DbServer* Config::FindServer(std::string_view server_name) const {
  for (const auto& s : servers)
    if (s.name == server_name) return &s;
  return nullptr;
}

Result<Config> ParseConfig(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return Problem(source, std::string(e.description()) + " at " + where.str());
  }
  Config config;
  config.name = root["name"].value_or(std::string{});
  if (config.name.empty()) return Problem(source, "name is missing");
  if (const auto* list = root["sentinels"].as_array())
    for (const auto& item : *list)
      if (auto s = item.value<std::string>()) config.sentinels.push_back(*s);
  if (std::find(config.sentinels.begin(), config.sentinels.end(), config.name) == config.sentinels.end())
    return Problem(source, "sentinels must list every sentinel, '" + config.name + "' included");
  config.status_file = root["status_file"].value_or(std::string{});

  const auto& t = root["timing"];
  config.timing.probe_interval = std::chrono::milliseconds(t["probe_interval_ms"].value_or(250));
  config.timing.probe_timeout_s = static_cast<unsigned>(t["probe_timeout_s"].value_or(1));
  config.timing.confirm = std::chrono::milliseconds(t["confirm_ms"].value_or(1000));
  config.timing.opinion_max_age = std::chrono::milliseconds(t["opinion_max_age_ms"].value_or(2500));
  config.timing.lease_ttl_s = t["lease_ttl_s"].value_or(3);
  if (config.timing.probe_interval.count() < 50 || config.timing.probe_timeout_s < 1 ||
      config.timing.confirm.count() < 0 || config.timing.lease_ttl_s < 2)
    return Problem(source, "timing: probe_interval_ms >= 50, probe_timeout_s >= 1, lease_ttl_s >= 2");

  if (const auto* list = root["etcd"]["endpoints"].as_array())
    for (const auto& item : *list)
      if (auto s = item.value<std::string>()) config.etcd_endpoints.push_back(*s);
  if (config.etcd_endpoints.empty()) return Problem(source, "etcd.endpoints is empty");

  const auto& db = root["database"];
  config.monitor.user = db["user"].value_or(std::string{});
  config.replication.user = db["replication_user"].value_or(std::string{});
  if (config.monitor.user.empty() || config.replication.user.empty())
    return Problem(source, "database.user and database.replication_user are required");
  if (const auto* list = db["servers"].as_array()) {
    for (const auto& item : *list) {
      const auto* table = item.as_table();
      if (!table) return Problem(source, "database.servers must be tables");
      DbServer server;
      server.name = (*table)["name"].value_or(std::string{});
      server.address = (*table)["address"].value_or(std::string{});
      const int port = (*table)["port"].value_or(3306);
      if (server.name.empty() || server.address.empty() || port < 1 || port > 65535)
        return Problem(source, "every database server needs a name, an address and a port 1-65535");
      server.port = static_cast<uint16_t>(port);
      server.ssl_ca = db["ssl_ca"].value_or(std::string{});
      server.master_ssl_ca = (*table)["master_ssl_ca"].value_or(std::string{});
      if (server.ssl_ca.empty() != server.master_ssl_ca.empty())
        return Problem(source, "database.ssl_ca and every server's master_ssl_ca go together (end-to-end TLS)");
      config.servers.push_back(server);
    }
  }
  if (config.servers.size() < 2) return Problem(source, "a sentinel needs at least two database servers");

  auto monitor_password = ReadPassword(source, db["password_file"].value_or(std::string{}));
  if (!monitor_password.ok()) return monitor_password.error();
  config.monitor.password = *monitor_password;
  auto replication_password = ReadPassword(source, db["replication_password_file"].value_or(std::string{}));
  if (!replication_password.ok()) return replication_password.error();
  config.replication.password = *replication_password;
  return config;
}

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Problem(path, "cannot read the file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseConfig(buffer.str(), path);
}

}  // namespace foobar::sentinel
