// Turns an ApiResponse into the Beast response actually sent, adding the headers every
// response carries (Content-Type, Cache-Control, X-Served-By and the security headers:
// Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options).
#pragma once

#include <string_view>

#include <utility>  // must precede Asio/Beast headers (Asio 1.18 bug)

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "app/api_types.h"

namespace foobar::app {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// `head_only`: a HEAD request, which gets the headers of the GET (Content-Length
// included) and no body.
HttpResponse BuildHttpResponse(ApiResponse response, unsigned version, bool keep_alive,
                               bool head_only, std::string_view host_name);

}  // namespace foobar::app
