// JSON shapes of the API. error_handler_t::replace: a stray invalid byte (for instance a row
// written by another tool) must not turn into an exception on the request path.
#include "app/message_json.h"

#include <nlohmann/json.hpp>

#include "app/version.h"

namespace foobar::app {
namespace {

// ordered_json: keys in the order the contract lists them, for human readers.
using Json = nlohmann::ordered_json;

Json ToJson(const Message& m) {
  return Json{{"id", m.id}, {"author", m.author}, {"body", m.body}, {"created_at", m.created_at}};
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace

std::string MessageJson(const Message& message) { return Dump(ToJson(message)); }

std::string MessageListJson(const std::vector<Message>& messages) {
  Json list = Json::array();
  for (const auto& m : messages) list.push_back(ToJson(m));
  return Dump(Json{{"messages", std::move(list)}});
}

std::string ErrorJson(std::string_view message) { return Dump(Json{{"error", message}}); }

std::string StatusJson(std::string_view host_name) {
  return Dump(Json{{"status", "ok"}, {"host", host_name}, {"version", Version()}});
}

ApiResponse ErrorResponse(int status, std::string_view message) {
  return ApiResponse{status, ErrorJson(message), {}};
}

}  // namespace foobar::app
