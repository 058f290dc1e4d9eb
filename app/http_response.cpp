// Common response headers, set in one place so no path can forget them.
#include "app/http_response.h"

namespace foobar::app {

namespace http = boost::beast::http;

HttpResponse BuildHttpResponse(ApiResponse response, unsigned version, bool keep_alive,
                               bool head_only, std::string_view host_name) {
  HttpResponse out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  out.set(http::field::content_type, "application/json");
  out.set(http::field::cache_control, "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Served-By", host_name);
  for (const auto& [name, value] : response.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  out.prepare_payload();
  if (head_only) out.body().clear();  // Content-Length stays that of the GET
  return out;
}

}  // namespace foobar::app
