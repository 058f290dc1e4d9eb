// The URL given to `foobar load --url`: scheme, host, port and request target (pure).
#pragma once

#include <optional>
#include <string>

namespace foobar::ctl::bench {

struct TargetUrl {
  bool tls = false;
  std::string host;    // a name or an IPv4 address
  int port = 80;
  std::string target;  // path and query, "/" at least
};

// http://HOST[:PORT][/PATH[?QUERY]] or https://...; nullopt for anything else.
std::optional<TargetUrl> ParseTargetUrl(const std::string& url);

}  // namespace foobar::ctl::bench
