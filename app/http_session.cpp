// The per-connection coroutine. Timeouts use tcp_stream::expires_after (Asio 1.18 has no
// per-operation cancellation). The wait for a request's first byte is separate from
// reading it: an idle keep-alive connection may wait 60 s, but once a request has started
// its header and body must arrive within 10 s (slow-loris bound).
#include "app/http_session.h"

#include <array>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "app/http_response.h"
#include "app/json_log.h"
#include "app/log_batch.h"
#include "app/message_json.h"
#include "app/request_log.h"
#include "app/request_trace.h"
#include "app/router.h"
#include "app/target.h"

namespace foobar::app {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Parser = http::request_parser<http::string_body>;

constexpr std::size_t kReadChunk = 4096;
// Upper bound of buffered input: a full header plus a full body plus read slack.
constexpr std::size_t kMaxBuffered = 64 * 1024;
// After an error response, how long and how much to keep reading before closing, so the
// client sees the response rather than a reset (the "lingering close" of Nginx).
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 256 * 1024;

Method ToMethod(http::verb verb) {
  switch (verb) {
    case http::verb::get:
      return Method::kGet;
    case http::verb::head:
      return Method::kHead;
    case http::verb::post:
      return Method::kPost;
    default:
      return Method::kOther;
  }
}

// The response for a request that could not be read, or nullopt to just close (timeouts,
// resets: there is nobody to answer).
std::optional<ApiResponse> RejectionFor(const boost::system::error_code& ec) {
  const auto& http_category = http::make_error_code(http::error::end_of_stream).category();
  if (ec.category() != http_category) return std::nullopt;  // network error, timeout, drain
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return std::nullopt;  // the client went away mid-request
  }
  if (ec == http::error::header_limit) {
    return ErrorResponse(431, "request header fields too large");
  }
  if (ec == http::error::body_limit) return ErrorResponse(413, "request body too large");
  return ErrorResponse(400, "bad request");
}

std::string RemoteAddress(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

// The Cookie header; several Cookie fields (not sent by HTTP/1.1 clients, but allowed) are
// joined as one list.
std::string CookieOf(const http::request<http::string_body>& request) {
  std::string cookie;
  for (auto [it, end] = request.equal_range(http::field::cookie); it != end; ++it) {
    if (!cookie.empty()) cookie += "; ";
    cookie += std::string(it->value());
  }
  return cookie;
}

std::vector<std::string> IdempotencyKeysOf(const http::request<http::string_body>& request) {
  std::vector<std::string> keys;
  for (auto [it, end] = request.equal_range("Idempotency-Key"); it != end; ++it) {
    keys.emplace_back(it->value());
  }
  return keys;
}

// Facts about the request being answered, for the access log and the metrics.
struct RequestFacts {
  std::string method;
  std::string path;
  std::optional<std::string> request_id;
  Clock::time_point started;
  Method method_kind = Method::kOther;
  std::size_t route = kUnmatchedRoute;  // RouteMatch::pattern
};

RequestFacts FactsOf(const Parser& parser, Clock::time_point started) {
  RequestFacts facts;
  facts.started = started;
  if (!parser.is_header_done()) return facts;
  const auto& request = parser.get();
  facts.method = std::string(request.method_string());
  facts.path = std::string(SplitTarget(request.target()).path);
  facts.method_kind = ToMethod(request.method());
  // Routing again (the handler routes too): a few string compares, and the session stays
  // independent of how the handler is built.
  facts.route = MatchRoute(facts.method_kind, facts.path).pattern;
  if (auto it = request.find("X-Request-ID"); it != request.end()) {
    facts.request_id = std::string(it->value());
  }
  return facts;
}

// Counts the request and writes its access-log line.
// `executor`: the session's, where the line's batched write runs (log_batch.h).
void LogRequest(const SessionContext& context, const asio::any_io_executor& executor,
                const RequestFacts& facts, int status, std::size_t bytes_out,
                const std::string& remote, const RequestTrace* trace = nullptr) {
  const auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - facts.started);
  if (context.metrics != nullptr) {
    context.metrics->CountRequest(facts.route, facts.method_kind, status, elapsed.count() / 1000.0);
  }
  if (!context.access_log) return;
  RequestLogRecord record;
  record.time = std::chrono::system_clock::now();
  record.host = context.host_name;
  record.method = facts.method;
  record.path = facts.path;
  record.status = status;
  record.duration_ms = elapsed.count();
  record.bytes_out = bytes_out;
  record.remote = remote;
  if (facts.request_id) record.request_id = *facts.request_id;
  if (trace != nullptr) {
    record.db_target = trace->db_target;
    record.db_server = trace->db_server;
    record.db_fallback = trace->db_fallback;
  }
  LogBatch::ForThisThread().Add(FormatRequestLog(record), executor);
}

// Writes `response`; returns the bytes written, 0 on failure.
// The status line and header fields as one block. Written with the body in one gather write
// instead of through Beast's serializer, whose buffer-sequence machinery was ~6 % of the app's
// CPU per /healthz under perf. The fields are Beast's (set by BuildHttpResponse, with
// Content-Length and Connection from prepare_payload/keep_alive), so the bytes are the same.
std::string HeaderBlock(const HttpResponse& response) {
  std::string block;
  block.reserve(512);
  block += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  block += std::to_string(response.result_int());
  block += ' ';
  const auto reason = response.reason();
  block.append(reason.data(), reason.size());
  block += "\r\n";
  for (const auto& field : response) {
    const auto name = field.name_string();
    const auto value = field.value();
    block.append(name.data(), name.size());
    block += ": ";
    block.append(value.data(), value.size());
    block += "\r\n";
  }
  block += "\r\n";
  return block;
}

asio::awaitable<std::size_t> Send(beast::tcp_stream& stream, HttpResponse& response,
                                  std::chrono::milliseconds timeout) {
  boost::system::error_code ec;
  stream.expires_after(timeout);
  const std::string header = HeaderBlock(response);
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(header), asio::buffer(response.body())};
  const std::size_t bytes =
      co_await asio::async_write(stream, buffers, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec ? 0 : bytes;
}

// Half-closes, then discards input for a bounded time so the peer can read our response.
asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  char scratch[kReadChunk];
  std::size_t total = 0;
  stream.expires_after(kLingerTime);
  while (!ec && total < kLingerBytes) {
    total += co_await stream.async_read_some(asio::buffer(scratch),
                                             asio::redirect_error(asio::use_awaitable, ec));
  }
}

// Sends `100 Continue` when asked: curl, for one, waits a second for it before sending
// bodies over 1 KiB.
asio::awaitable<bool> MaybeContinue(beast::tcp_stream& stream, const Parser& parser,
                                    std::chrono::milliseconds timeout) {
  const auto& request = parser.get();
  const auto expect = request[http::field::expect];
  if (parser.is_done() || !beast::iequals(expect, "100-continue")) co_return true;
  http::response<http::empty_body> interim{http::status::continue_, request.version()};
  boost::system::error_code ec;
  stream.expires_after(timeout);
  co_await http::async_write(stream, interim, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

}  // namespace

asio::awaitable<void> RunSession(tcp::socket socket, const SessionContext* context) {
  const SessionContext& ctx = *context;
  const std::string remote = RemoteAddress(socket);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer(kMaxBuffered);
  boost::system::error_code ec;

  ConnectionRegistry::Slot slot;
  slot.stop = [&stream] { stream.cancel(); };
  ctx.registry->Add(&slot);
  struct Unregister {
    ConnectionRegistry* registry;
    ConnectionRegistry::Slot* slot;
    ~Unregister() { registry->Remove(slot); }
  } unregister{ctx.registry, &slot};

  bool first = true;
  bool linger = false;
  for (;;) {
    // Wait for the first byte of the next request. Only here is the session idle, and
    // only here may a drain close it.
    if (buffer.size() == 0) {
      if (ctx.registry->draining()) break;
      slot.idle = true;
      stream.expires_after(first ? ctx.limits.header_timeout : ctx.limits.idle_timeout);
      const std::size_t n = co_await stream.async_read_some(
          buffer.prepare(kReadChunk), asio::redirect_error(asio::use_awaitable, ec));
      slot.idle = false;
      if (ec) break;
      buffer.commit(n);
    }
    first = false;
    const auto started = Clock::now();

    Parser parser;
    parser.header_limit(static_cast<std::uint32_t>(ctx.limits.header_bytes));
    parser.body_limit(ctx.limits.body_bytes);
    stream.expires_after(ctx.limits.header_timeout);  // covers header and body together
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !co_await MaybeContinue(stream, parser, ctx.limits.write_timeout)) break;
    if (!ec && !parser.is_done()) {
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      auto rejection = RejectionFor(ec);
      if (!rejection) break;
      HttpResponse response =
          BuildHttpResponse(std::move(*rejection), 11, false, false, ctx.host_name);
      const std::size_t bytes = co_await Send(stream, response, ctx.limits.write_timeout);
      LogRequest(ctx, stream.get_executor(), FactsOf(parser, started), response.result_int(), bytes, remote);
      linger = true;
      break;
    }

    const RequestFacts facts = FactsOf(parser, started);
    auto request = parser.release();
    const Method method = ToMethod(request.method());
    ApiRequest api_request{method,
                           std::string(request.target()),
                           std::string(request[http::field::content_type]),
                           std::move(request.body()),
                           CookieOf(request),
                           IdempotencyKeysOf(request)};
    if (ctx.metrics != nullptr) ctx.metrics->RequestStarted();
    RequestTrace trace;
    ApiResponse api_response;
    {
      const RequestTraceScope trace_scope(&trace);  // see request_trace.h
      api_response = co_await ctx.handler->Handle(std::move(api_request));
    }

    // Checked after handling: a drain that began meanwhile still closes this connection.
    const bool keep_alive = request.keep_alive() && !ctx.registry->draining();
    HttpResponse response = BuildHttpResponse(std::move(api_response), request.version(),
                                              keep_alive, method == Method::kHead, ctx.host_name);
    const std::size_t bytes = co_await Send(stream, response, ctx.limits.write_timeout);
    if (ctx.metrics != nullptr) ctx.metrics->RequestEnded();
    LogRequest(ctx, stream.get_executor(), facts, response.result_int(), bytes, remote, &trace);
    if (bytes == 0) co_return;  // write failed: the socket is gone or timed out
    if (!keep_alive) {
      linger = buffer.size() > 0;  // unread pipelined input would turn close into a reset
      break;
    }
  }

  if (linger) {
    co_await LingeringClose(stream);
  } else {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  stream.socket().close(ec);
}

}  // namespace foobar::app
