#include "ctl/chaos/load_generator.h"

#include <utility>  // must precede Asio headers (Asio 1.18's awaitable.hpp uses std::exchange)


#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "ctl/chaos/client_errors.h"
#include "ctl/chaos/write_audit.h"

namespace foobar::ctl::chaos {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using boost::system::error_code;

// A read asks only for writes acknowledged at least this long ago: one client's write is
// not promised to be visible to another at once (replicas may lag a little).
constexpr double kReadAfterAckS = 1.0;
constexpr size_t kMaxInFlightCap = 1000;

// One client connection: TLS over TCP, or the TCP stream alone for a plain-HTTP plan.
struct Connection {
  Connection(asio::io_context& io, asio::ssl::context& tls_context, bool use_tls)
      : stream(io, tls_context), tls(use_tls) {}
  beast::tcp_stream& Tcp() { return stream.next_layer(); }
  beast::ssl_stream<beast::tcp_stream> stream;
  bool tls;
};

// The TLS settings of every connection: verify the peer against the plan's CA.
asio::ssl::context MakeTlsContext(const LoadPlan& plan) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  if (!plan.ca_file.empty()) {
    context.set_verify_mode(asio::ssl::verify_peer);
    context.load_verify_file(plan.ca_file);
  }
  return context;
}

class LoadRun {
 public:
  LoadRun(const LoadPlan& plan, std::chrono::steady_clock::time_point start, const std::atomic<bool>& stop)
      : plan_(plan), start_(start), stop_(stop), planner_(plan.mix, plan.seed), tls_context_(MakeTlsContext(plan)),
        records_(RequestCount(plan.rate, plan.duration_s)), idle_(plan.addresses.size()) {
    for (const auto& address : plan.addresses)
      endpoints_.emplace_back(asio::ip::make_address_v4(address), static_cast<unsigned short>(plan.port));
    max_in_flight_ = plan.max_in_flight;
    if (max_in_flight_ == 0)
      max_in_flight_ = std::min(kMaxInFlightCap, static_cast<size_t>(plan.rate * static_cast<double>(plan.timeout.count()) / 1000.0 * 2) + 16);
  }

  std::vector<RequestRecord> Run() {
    asio::co_spawn(io_, Schedule(), asio::detached);
    io_.run();
    for (auto& pool : idle_) pool.clear();
    records_.resize(sent_);
    return std::move(records_);
  }

 private:
  double Now() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  std::chrono::steady_clock::time_point At(double offset_s) const {
    return start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(offset_s));
  }

  awaitable<void> Schedule() {
    asio::steady_timer timer(io_);
    for (uint64_t seq = 0; seq < records_.size(); ++seq) {
      const double due = ScheduledOffset(seq, plan_.rate);
      timer.expires_at(At(due));
      error_code ec;
      co_await timer.async_wait(redirect_error(use_awaitable, ec));
      if (stop_) break;
      RequestRecord& record = records_[seq];
      record.seq = seq;
      record.scheduled_s = due;
      record.address_index = AddressFor(seq, static_cast<int>(endpoints_.size()));
      record.kind = planner_.Next();
      sent_ = seq + 1;
      if (in_flight_ >= max_in_flight_) {
        record.error = "overloaded";
        record.latency_ms = (Now() - due) * 1000;
        continue;
      }
      ++in_flight_;
      asio::co_spawn(io_, Request(seq), asio::detached);
    }
  }

  http::request<http::string_body> BuildRequest(RequestRecord& record) {
    http::request<http::string_body> request;
    request.version(11);
    request.set(http::field::host, plan_.host_header);
    request.set(http::field::user_agent, "foobar-chaos");
    request.keep_alive(true);
    if (record.kind == RequestKind::kReadById) {
      // Writes acknowledged long enough ago: acked_ is in acknowledgement order.
      const double newest = Now() - kReadAfterAckS;
      auto end = std::upper_bound(acked_.begin(), acked_.end(), newest,
                                  [](double t, const std::pair<double, int64_t>& a) { return t < a.first; });
      const size_t eligible = static_cast<size_t>(end - acked_.begin());
      if (eligible == 0) {
        record.kind = RequestKind::kReadList;
      } else {
        record.message_id = acked_[planner_.Pick(eligible)].second;
      }
    }
    switch (record.kind) {
      case RequestKind::kWrite: {
        record.idempotency_key = IdempotencyKey(plan_.run_id, record.seq);
        request.method(http::verb::post);
        request.target("/api/messages");
        request.set(http::field::content_type, "application/json");
        request.set("Idempotency-Key", record.idempotency_key);
        request.body() = nlohmann::json{{"author", "chaos"}, {"body", WriteBody(record.idempotency_key)}}.dump();
        break;
      }
      case RequestKind::kReadById:
        request.method(http::verb::get);
        request.target("/api/messages/" + std::to_string(record.message_id));
        break;
      case RequestKind::kReadList:
        request.method(http::verb::get);
        request.target("/api/messages?limit=5");
        break;
    }
    request.prepare_payload();
    return request;
  }

  void TakeResponse(RequestRecord& record, const http::response<http::string_body>& response) {
    record.status = response.result_int();
    if (auto it = response.find("X-Served-By"); it != response.end()) record.served_by = std::string(it->value());
    const int expected = IsWrite(record.kind) ? 201 : 200;
    record.ok = record.status == expected;
    if (!record.ok) {
      record.error = "HTTP " + std::to_string(record.status);
      return;
    }
    if (!IsWrite(record.kind)) return;
    auto body = nlohmann::json::parse(response.body(), nullptr, false);
    if (body.is_object() && body.contains("id") && body["id"].is_number_integer())
      record.message_id = body["id"].get<int64_t>();
    if (record.message_id >= 0) acked_.emplace_back(Now(), record.message_id);
  }

  awaitable<void> Request(uint64_t seq) {
    RequestRecord& record = records_[seq];  // records_ is not resized while requests run
    const auto deadline = At(record.scheduled_s) + plan_.timeout;
    http::request<http::string_body> request = BuildRequest(record);
    co_await Exchange(record, request, deadline);
    record.latency_ms = (Now() - record.scheduled_s) * 1000;
    --in_flight_;
  }

  awaitable<void> Exchange(RequestRecord& record, http::request<http::string_body>& request,
                           std::chrono::steady_clock::time_point deadline) {
    auto& pool = idle_[static_cast<size_t>(record.address_index)];
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<Connection> connection;
      const bool reused = attempt == 0 && !pool.empty();
      if (reused) {
        connection = std::move(pool.back());
        pool.pop_back();
      } else {
        connection = std::make_unique<Connection>(io_, tls_context_, !plan_.ca_file.empty());
        connection->Tcp().expires_at(deadline);
        error_code ec;
        co_await connection->Tcp().async_connect(endpoints_[static_cast<size_t>(record.address_index)],
                                                 redirect_error(use_awaitable, ec));
        if (!ec && connection->tls) co_await Handshake(*connection, ec);
        if (ec) {
          record.error = ClientErrorName(ec);
          co_return;
        }
      }
      connection->Tcp().expires_at(deadline);
      error_code ec;
      if (connection->tls)
        co_await http::async_write(connection->stream, request, redirect_error(use_awaitable, ec));
      else
        co_await http::async_write(connection->Tcp(), request, redirect_error(use_awaitable, ec));
      bool got_some = false;
      if (!ec) {
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(1 << 20);
        if (connection->tls)
          co_await http::async_read(connection->stream, buffer, parser, redirect_error(use_awaitable, ec));
        else
          co_await http::async_read(connection->Tcp(), buffer, parser, redirect_error(use_awaitable, ec));
        got_some = parser.got_some();
        if (!ec) {
          const bool keep = parser.get().keep_alive();
          TakeResponse(record, parser.get());
          if (keep) {
            connection->Tcp().expires_never();
            pool.push_back(std::move(connection));
          }
          co_return;
        }
      }
      if (reused && !got_some && ec != beast::error::timeout) {
        record.retried = true;
        continue;
      }
      record.error = ClientErrorName(ec);
      co_return;
    }
  }

  // SNI and the name the certificate must carry: the site's, as a browser would check it.
  awaitable<void> Handshake(Connection& connection, error_code& ec) {
    if (!SSL_set_tlsext_host_name(connection.stream.native_handle(), plan_.host_header.c_str())) {
      ec = asio::error::invalid_argument;
      co_return;
    }
    connection.stream.set_verify_callback(asio::ssl::host_name_verification(plan_.host_header));
    co_await connection.stream.async_handshake(asio::ssl::stream_base::client, redirect_error(use_awaitable, ec));
  }

  const LoadPlan& plan_;
  std::chrono::steady_clock::time_point start_;
  const std::atomic<bool>& stop_;
  RequestPlanner planner_;
  asio::ssl::context tls_context_;
  asio::io_context io_{1};
  std::vector<tcp::endpoint> endpoints_;
  std::vector<RequestRecord> records_;
  std::vector<std::vector<std::unique_ptr<Connection>>> idle_;  // per address
  std::vector<std::pair<double, int64_t>> acked_;  // (acknowledged at, id), in that order
  size_t sent_ = 0;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
};

}  // namespace

std::vector<RequestRecord> RunLoad(const LoadPlan& plan, std::chrono::steady_clock::time_point start,
                                   const std::atomic<bool>& stop) {
  RaiseDescriptorLimit();
  LoadRun run(plan, start, stop);
  return run.Run();
}

}  // namespace foobar::ctl::chaos
