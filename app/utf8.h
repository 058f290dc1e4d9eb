// UTF-8 validation and code point counting (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF). Lengths in the API contract are in code points, not bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace foobar::app {

// Number of code points in `text`, or nullopt if it is not well-formed UTF-8.
std::optional<std::size_t> CountCodePoints(std::string_view text);

}  // namespace foobar::app
