// The read-your-writes cookie. After a stored POST the client gets
//   Set-Cookie: fb_rw=<gtid>; Path=/; Max-Age=60; HttpOnly; SameSite=Lax
// naming the GTID of its write; a later read carrying it is served by a replica only once
// that replica has applied the GTID (else by the primary). Any app server can honour it:
// the state lives in the client, not in a session store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/gtid.h"

namespace foobar::app {

inline constexpr std::string_view kReadYourWritesCookie = "fb_rw";
// Long enough for any replica we would still read from (its lag is capped far lower), short
// enough that a client does not carry it around.
inline constexpr int kReadYourWritesCookieMaxAgeS = 60;

// The GTID of the first well-formed fb_rw cookie in a Cookie header value
// ("a=1; fb_rw=0-287-19"), or nullopt. A malformed value is ignored, never an error: the
// cookie is only a hint for where to read.
std::optional<Gtid> ReadYourWritesGtid(std::string_view cookie_header);

// The Set-Cookie value that hands `gtid` to the client.
std::string ReadYourWritesSetCookie(const Gtid& gtid);

}  // namespace foobar::app
