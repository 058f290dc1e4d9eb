// /api/messages handlers. Validation happens before any storage call so that a bad
// request never touches the database.
#include "app/messages_api.h"

#include "app/db_errors.h"
#include "app/idempotency_key.h"
#include "app/json_log.h"
#include "app/message_json.h"
#include "app/rw_cookie.h"
#include "app/target.h"
#include "app/validation.h"

namespace foobar::app {
namespace {

constexpr int kServiceUnavailable = 503;
constexpr int kUnprocessable = 422;

ApiResponse StorageFailure(const Error& error) {
  // The detail goes to the log only (at most once a second); clients get a fixed text.
  static LogThrottle throttle(std::chrono::seconds(1));
  if (long suppressed = 0; throttle.Allow(suppressed)) {
    LogEvent(LogLevel::kWarn, "database request failed",
             {{"code", error.code}, {"detail", error.message}, {"suppressed", suppressed}});
  }
  return ErrorResponse(kServiceUnavailable, "database unavailable");
}

ApiResponse WriteFailureResponse(const Error& error) {
  switch (error.code) {
    case kDbErrIdempotencyConflict:
      return ErrorResponse(kUnprocessable, "Idempotency-Key was used for a different message");
    case kDbErrOutcomeUnknown:
      LogEvent(LogLevel::kWarn, "write outcome unknown", {{"detail", error.message}});
      return ErrorResponse(kServiceUnavailable,
                           "database unavailable; the message may or may not have been stored");
    case kDbErrNoPrimary:
      (void)StorageFailure(error);  // for the log line
      return ErrorResponse(kServiceUnavailable, "no writable database");
    default:
      return StorageFailure(error);
  }
}

}  // namespace

asio::awaitable<ApiResponse> MessagesApi::List(std::string query, std::string cookie) {
  auto limit_text = QueryParam(query, "limit");
  if (!limit_text.ok()) co_return ErrorResponse(400, limit_text.error().message);
  const auto limit = ParseLimit(*limit_text);
  if (!limit.ok()) co_return ErrorResponse(400, limit.error().message);

  auto messages = co_await store_.ListNewest(*limit, ReadYourWritesGtid(cookie));
  if (!messages.ok()) co_return StorageFailure(messages.error());
  co_return ApiResponse{200, MessageListJson(*messages), {}};
}

asio::awaitable<ApiResponse> MessagesApi::Get(std::string id_segment, std::string cookie) {
  const auto id = ParseMessageId(id_segment);
  if (!id.ok()) co_return ErrorResponse(400, id.error().message);

  auto message = co_await store_.Get(*id, ReadYourWritesGtid(cookie));
  if (!message.ok()) co_return StorageFailure(message.error());
  if (!message->has_value()) co_return ErrorResponse(404, "message not found");
  co_return ApiResponse{200, MessageJson(**message), {}};
}

asio::awaitable<ApiResponse> MessagesApi::Create(std::string content_type, std::string body,
                                                 std::vector<std::string> idempotency_keys) {
  if (!IsJsonContentType(content_type)) {
    co_return ErrorResponse(415, "Content-Type must be application/json");
  }
  auto parsed = ParseNewMessage(body);
  if (!parsed.ok()) co_return ErrorResponse(400, parsed.error().message);
  auto key = ParseIdempotencyKey(idempotency_keys);
  if (!key.ok()) co_return ErrorResponse(400, key.error().message);

  auto stored = co_await store_.Insert(std::move(*parsed), std::move(*key));
  if (!stored.ok()) co_return WriteFailureResponse(stored.error());
  ApiResponse response{201, MessageJson(stored->message), {}};
  response.headers.emplace_back("Location", "/api/messages/" + std::to_string(stored->message.id));
  if (stored->gtid)
    response.headers.emplace_back("Set-Cookie", ReadYourWritesSetCookie(*stored->gtid));
  if (stored->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
  co_return response;
}

}  // namespace foobar::app
