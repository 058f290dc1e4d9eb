// Cookie header parsing per RFC 6265 section 4.2.1: pairs separated by ';', optional
// whitespace around them. Values are taken literally (a quoted value is malformed here).
#include "app/rw_cookie.h"

#include <fmt/format.h>

namespace foobar::app {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<Gtid> ReadYourWritesGtid(std::string_view cookie_header) {
  while (!cookie_header.empty()) {
    const auto end = cookie_header.find(';');
    const std::string_view pair = Trim(cookie_header.substr(0, end));
    cookie_header =
        end == std::string_view::npos ? std::string_view() : cookie_header.substr(end + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != kReadYourWritesCookie) {
      continue;
    }
    if (auto gtid = ParseGtid(pair.substr(equals + 1))) return gtid;
  }
  return std::nullopt;
}

std::string ReadYourWritesSetCookie(const Gtid& gtid) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax", kReadYourWritesCookie,
                     FormatGtid(gtid), kReadYourWritesCookieMaxAgeS);
}

}  // namespace foobar::app
