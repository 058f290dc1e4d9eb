// /api/messages handlers. Validation happens before any storage call so that a bad
// request never touches the database.
#include "app/messages_api.h"

#include "app/json_log.h"
#include "app/message_json.h"
#include "app/target.h"
#include "app/validation.h"

namespace foobar::app {
namespace {

constexpr int kServiceUnavailable = 503;

ApiResponse StorageFailure(const Error& error) {
  // The detail goes to the log only (at most once a second); clients get a fixed text.
  static LogThrottle throttle(std::chrono::seconds(1));
  if (long suppressed = 0; throttle.Allow(suppressed)) {
    LogEvent(LogLevel::kWarn, "database request failed",
             {{"code", error.code}, {"detail", error.message}, {"suppressed", suppressed}});
  }
  return ErrorResponse(kServiceUnavailable, "database unavailable");
}

}  // namespace

asio::awaitable<ApiResponse> MessagesApi::List(std::string query) {
  auto limit_text = QueryParam(query, "limit");
  if (!limit_text.ok()) co_return ErrorResponse(400, limit_text.error().message);
  const auto limit = ParseLimit(*limit_text);
  if (!limit.ok()) co_return ErrorResponse(400, limit.error().message);

  auto messages = co_await store_.ListNewest(*limit);
  if (!messages.ok()) co_return StorageFailure(messages.error());
  co_return ApiResponse{200, MessageListJson(*messages), {}};
}

asio::awaitable<ApiResponse> MessagesApi::Get(std::string id_segment) {
  const auto id = ParseMessageId(id_segment);
  if (!id.ok()) co_return ErrorResponse(400, id.error().message);

  auto message = co_await store_.Get(*id);
  if (!message.ok()) co_return StorageFailure(message.error());
  if (!message->has_value()) co_return ErrorResponse(404, "message not found");
  co_return ApiResponse{200, MessageJson(**message), {}};
}

asio::awaitable<ApiResponse> MessagesApi::Create(std::string content_type, std::string body) {
  if (!IsJsonContentType(content_type)) {
    co_return ErrorResponse(415, "Content-Type must be application/json");
  }
  auto parsed = ParseNewMessage(body);
  if (!parsed.ok()) co_return ErrorResponse(400, parsed.error().message);

  auto stored = co_await store_.Insert(std::move(*parsed));
  if (!stored.ok()) co_return StorageFailure(stored.error());
  ApiResponse response{201, MessageJson(*stored), {}};
  response.headers.emplace_back("Location", "/api/messages/" + std::to_string(stored->id));
  co_return response;
}

}  // namespace foobar::app
