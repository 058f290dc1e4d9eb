#include "ctl/bench/target_url.h"

namespace foobar::ctl::bench {

std::optional<TargetUrl> ParseTargetUrl(const std::string& url) {
  TargetUrl parsed;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    parsed.tls = true;
    parsed.port = 443;
    rest = url.substr(8);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  parsed.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (parsed.target[0] == '?') parsed.target = "/" + parsed.target;
  if (const auto colon = authority.find(':'); colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    parsed.port = std::stoi(port);
    if (parsed.port < 1 || parsed.port > 65535) return std::nullopt;
    authority.resize(colon);
  }
  if (authority.empty()) return std::nullopt;
  parsed.host = authority;
  return parsed;
}

}  // namespace foobar::ctl::bench
