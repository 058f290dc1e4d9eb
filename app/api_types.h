// Transport-neutral request and response types shared by the router, the handlers and the
// HTTP session. Keeping Beast out of them lets handlers be tested without sockets.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace foobar::app {

enum class Method { kGet, kHead, kPost, kOther };

struct ApiRequest {
  Method method = Method::kGet;
  std::string target;        // as received: path plus optional "?query"
  std::string content_type;  // raw Content-Type header value, empty if absent
  std::string body;
  std::string cookie;  // the Cookie header value ("; "-joined if sent more than once)
  std::vector<std::string> idempotency_keys;  // every Idempotency-Key field, normally 0 or 1
};

struct ApiResponse {
  int status = 200;
  std::string body;  // always a JSON document
  // Extra: Allow, Location, Set-Cookie, Idempotent-Replayed.
  std::vector<std::pair<std::string, std::string>> headers;

  // The value of an extra header, or nullptr (used by tests and the session).
  const std::string* Header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return &value;
    }
    return nullptr;
  }
};

}  // namespace foobar::app
