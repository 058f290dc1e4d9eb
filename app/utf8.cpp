// UTF-8 decoding by the table in RFC 3629 section 4: each lead byte admits a narrower
// range for its first continuation byte, which rules out overlongs and surrogates.
#include "app/utf8.h"

namespace foobar::app {
namespace {

bool InRange(unsigned char c, unsigned char low, unsigned char high) {
  return c >= low && c <= high;
}

}  // namespace

std::optional<std::size_t> CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c < 0x80) {
      extra = 0;
    } else if (InRange(c, 0xC2, 0xDF)) {
      extra = 1;
    } else if (c == 0xE0) {
      extra = 2, low = 0xA0;  // below A0 would be overlong
    } else if (InRange(c, 0xE1, 0xEC) || InRange(c, 0xEE, 0xEF)) {
      extra = 2;
    } else if (c == 0xED) {
      extra = 2, high = 0x9F;  // A0..BF would encode UTF-16 surrogates
    } else if (c == 0xF0) {
      extra = 3, low = 0x90;  // below 90 would be overlong
    } else if (InRange(c, 0xF1, 0xF3)) {
      extra = 3;
    } else if (c == 0xF4) {
      extra = 3, high = 0x8F;  // above 8F would exceed U+10FFFF
    } else {
      return std::nullopt;  // 80..C1 and F5..FF never start a sequence
    }
    if (n - i - 1 < extra) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      const unsigned char lo = k == 1 ? low : 0x80;
      const unsigned char hi = k == 1 ? high : 0xBF;
      if (!InRange(cc, lo, hi)) return std::nullopt;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

}  // namespace foobar::app
