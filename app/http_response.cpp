// Common response headers, set in one place so no path can forget them.
#include "app/http_response.h"

namespace foobar::app {

namespace http = boost::beast::http;

namespace {

// The browser-facing security headers. Behind Nginx the client gets Nginx's copies (which
// hides these); they are here for every response that bypasses it. A JSON answer loads
// nothing, so its policy allows nothing.
constexpr std::pair<const char*, const char*> kSecurityHeaders[] = {
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

}  // namespace

HttpResponse BuildHttpResponse(ApiResponse response, unsigned version, bool keep_alive,
                               bool head_only, std::string_view host_name) {
  HttpResponse out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  out.set(http::field::content_type, "application/json");
  out.set(http::field::cache_control, "no-store");
  for (const auto& [name, value] : kSecurityHeaders) out.set(name, value);
  out.set("X-Served-By", host_name);
  for (const auto& [name, value] : response.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  out.prepare_payload();
  if (head_only) out.body().clear();  // Content-Length stays that of the GET
  return out;
}

}  // namespace foobar::app
