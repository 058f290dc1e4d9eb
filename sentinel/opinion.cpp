#include "sentinel/opinion.h"

#include <algorithm>

namespace foobar::sentinel {

Opinion MakeOpinion(const std::string& sentinel, const std::map<std::string, ServerSnapshot>& snapshots,
                    int64_t now_ms) {
  Opinion opinion{sentinel, now_ms, {}};
  for (const auto& [name, s] : snapshots) {
    if (!s.probed) continue;
    ServerOpinion o;
    o.up = s.reachable;
    o.writable = s.Writable();
    o.down_ms = s.down_since_ms == 0 ? 0 : std::max<int64_t>(0, now_ms - s.down_since_ms);
    o.not_writable_ms = s.not_writable_since_ms == 0 ? 0 : std::max<int64_t>(0, now_ms - s.not_writable_since_ms);
    opinion.servers[name] = o;
  }
  return opinion;
}

nlohmann::json ToJson(const Opinion& opinion) {
  nlohmann::json servers = nlohmann::json::object();
  for (const auto& [name, o] : opinion.servers)
    servers[name] = {{"up", o.up}, {"writable", o.writable}, {"down_ms", o.down_ms}, {"not_writable_ms", o.not_writable_ms}};
  return {{"sentinel", opinion.sentinel}, {"at_ms", opinion.at_ms}, {"servers", servers}};
}

std::optional<Opinion> ParseOpinion(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("servers") || !json["servers"].is_object()) return std::nullopt;
  try {
    Opinion opinion;
    opinion.sentinel = json.at("sentinel").get<std::string>();
    opinion.at_ms = json.at("at_ms").get<int64_t>();
    for (const auto& [name, o] : json["servers"].items())
      opinion.servers[name] = ServerOpinion{o.at("up").get<bool>(), o.at("writable").get<bool>(),
                                            o.at("down_ms").get<int64_t>(), o.at("not_writable_ms").get<int64_t>()};
    return opinion;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

bool ChangedMaterially(const Opinion& before, const Opinion& after) {
  if (before.servers.size() != after.servers.size()) return true;
  for (const auto& [name, o] : after.servers) {
    const auto it = before.servers.find(name);
    if (it == before.servers.end() || it->second.up != o.up || it->second.writable != o.writable) return true;
  }
  return false;
}

}  // namespace foobar::sentinel
