// Message validation with a SAX handler rather than a DOM: it stops at the first problem,
// sees duplicate keys (a DOM keeps only the last one) and bounds nesting to one level.
#include "app/validation.h"

#include <cctype>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/utf8.h"

namespace foobar::app {
namespace {

using Json = nlohmann::json;

constexpr int kBadRequest = 400;

class NewMessageSax {
 public:
  // The first problem found; once set, parsing has been stopped.
  const std::optional<std::string>& problem() const { return problem_; }
  std::optional<std::string>& author() { return author_; }
  std::optional<std::string>& body() { return body_; }

  bool null() { return WrongType(); }
  bool boolean(bool) { return WrongType(); }
  bool number_integer(Json::number_integer_t) { return WrongType(); }
  bool number_unsigned(Json::number_unsigned_t) { return WrongType(); }
  bool number_float(Json::number_float_t, const Json::string_t&) { return WrongType(); }
  bool binary(Json::binary_t&) { return WrongType(); }
  bool start_array(std::size_t) { return WrongType(); }
  bool end_array() { return Fail("invalid JSON"); }  // unreachable: arrays are refused

  bool string(Json::string_t& value) {
    if (depth_ == 0) return WrongType();
    *current_ = std::move(value);
    current_ = nullptr;
    return true;
  }

  bool start_object(std::size_t) {
    if (depth_ > 0) return WrongType();
    depth_ = 1;
    return true;
  }

  bool end_object() {
    depth_ = 0;
    return true;
  }

  bool key(Json::string_t& name) {
    std::optional<std::string>* slot = nullptr;
    if (name == "author") {
      slot = &author_;
    } else if (name == "body") {
      slot = &body_;
    } else {
      // Echo short names only: the error text goes back to the client.
      return Fail(name.size() <= 32 ? "unknown field \"" + name + "\"" : "unknown field");
    }
    if (slot->has_value()) return Fail("duplicate field \"" + name + "\"");
    current_ = slot;
    current_name_ = name;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return Fail("invalid JSON");
  }

 private:
  bool WrongType() {
    if (depth_ == 0) return Fail("request body must be a JSON object");
    return Fail(current_name_ + " must be a string");
  }

  bool Fail(std::string problem) {
    if (!problem_) problem_ = std::move(problem);
    return false;
  }

  int depth_ = 0;
  std::optional<std::string> author_;
  std::optional<std::string> body_;
  std::optional<std::string>* current_ = nullptr;
  std::string current_name_;
  std::optional<std::string> problem_;
};

// True if well-formed UTF-8 `text` holds a control character: C0 (NUL included), DEL or C1
// (U+0080..U+009F, encoded C2 80..C2 9F). Tab, LF and CR count only when `multiline` is false.
// Control characters have no business in a guestbook and confuse whatever displays or logs
// them (terminal escapes, truncation at NUL in C tools).
bool HasControlCharacter(std::string_view text, bool multiline) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (multiline && (c == '\t' || c == '\n' || c == '\r')) continue;
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return true;
  }
  return false;
}

// Checks one string field's encoding, characters and length in code points.
Status CheckText(const std::string& name, const std::string& value, std::size_t max,
                 bool multiline) {
  const auto count = CountCodePoints(value);
  if (!count) return Error{kBadRequest, name + " must be valid UTF-8"};
  if (HasControlCharacter(value, multiline)) {
    return Error{kBadRequest, name + " must not contain control characters"};
  }
  if (*count == 0) return Error{kBadRequest, name + " must not be empty"};
  if (*count > max) {
    return Error{kBadRequest, name + " must be at most " + std::to_string(max) + " characters"};
  }
  return OkStatus();
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  constexpr std::string_view kJson = "application/json";
  if (media.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < media.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[i])) != kJson[i]) return false;
  }
  return true;
}

Result<NewMessage> ParseNewMessage(std::string_view json_text) {
  NewMessageSax sax;
  // strict=true: trailing bytes after the object are an error. sax_parse reports errors
  // through the handler and does not throw.
  const bool parsed = Json::sax_parse(json_text.begin(), json_text.end(), &sax,
                                      Json::input_format_t::json, /*strict=*/true);
  if (!parsed || sax.problem()) {
    return Error{kBadRequest, sax.problem().value_or("invalid JSON")};
  }
  if (!sax.author()) return Error{kBadRequest, "author is required"};
  if (!sax.body()) return Error{kBadRequest, "body is required"};
  if (auto status = CheckText("author", *sax.author(), kMaxAuthorCodePoints, /*multiline=*/false); !status.ok()) {
    return status.error();
  }
  if (auto status = CheckText("body", *sax.body(), kMaxBodyCodePoints, /*multiline=*/true); !status.ok()) {
    return status.error();
  }
  return NewMessage{std::move(*sax.author()), std::move(*sax.body())};
}

}  // namespace foobar::app
