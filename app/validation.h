// Validation of a POST /api/messages request: the Content-Type and the JSON body.
// Everything a client can get wrong is reported as an Error whose message is safe to
// return in {"error": ...}; nothing here throws.
#pragma once

#include <cstddef>
#include <string_view>

#include "app/message.h"
#include "common/result.h"

namespace foobar::app {

inline constexpr std::size_t kMaxAuthorCodePoints = 64;
inline constexpr std::size_t kMaxBodyCodePoints = 2000;

// True for "application/json", case-insensitively, with or without parameters
// ("application/json; charset=utf-8").
bool IsJsonContentType(std::string_view content_type);

// Parses {"author": "...", "body": "..."}: an object with exactly those two string
// fields, no duplicates, well-formed UTF-8 without control characters (the body may hold
// tab, LF and CR; the author none), lengths counted in code points.
// The parser never descends below the top-level object: any nested array or object is a
// type error found at its first byte, so deep nesting costs nothing.
Result<NewMessage> ParseNewMessage(std::string_view json_text);

}  // namespace foobar::app
