#include "ctl/bench/open_loop_client.h"

#include <utility>  // must precede Asio headers (Asio 1.18's awaitable.hpp uses std::exchange)


#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <type_traits>
#include <vector>

#include "ctl/chaos/client_errors.h"
#include "ctl/chaos/load_schedule.h"
#include "ctl/chaos/load_stats.h"

namespace foobar::ctl::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxInFlightCap = 4000;

struct Outcome {
  double latency_ms = 0;
  bool ok = false;
  std::string error;
};

// One run over connections of type Stream: beast::tcp_stream, or an ssl_stream over one.
template <class Stream>
class OpenLoopRun {
 public:
  explicit OpenLoopRun(const OpenLoopPlan& plan, const std::atomic<bool>& stop)
      : plan_(plan), stop_(stop), endpoint_(asio::ip::make_address_v4(plan.address), static_cast<unsigned short>(plan.port)),
        outcomes_(chaos::RequestCount(plan.rate, plan.duration_s)) {
    ssl_.set_verify_mode(ssl::verify_none);
    max_in_flight_ = plan.max_in_flight;
    if (max_in_flight_ == 0)
      max_in_flight_ = std::min(kMaxInFlightCap, static_cast<size_t>(plan.rate * static_cast<double>(plan.timeout.count()) / 1000.0) + 64);
    request_.version(11);
    request_.method(http::string_to_verb(plan.request.method));
    request_.target(plan.request.target);
    request_.set(http::field::host, plan.request.host_header);
    request_.set(http::field::user_agent, "foobar-load");
    request_.keep_alive(true);
    if (!plan.request.body.empty()) {
      request_.set(http::field::content_type, "application/json");
      request_.body() = plan.request.body;
    }
    request_.prepare_payload();
  }

  std::vector<Outcome> Run() {
    start_ = Clock::now() + std::chrono::milliseconds(50);
    asio::co_spawn(io_, Schedule(), asio::detached);
    io_.run();
    idle_.clear();
    outcomes_.resize(sent_);
    return std::move(outcomes_);
  }

 private:
  double Now() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  Clock::time_point At(double offset_s) const {
    return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(offset_s));
  }

  awaitable<void> Schedule() {
    asio::steady_timer timer(io_);
    for (uint64_t seq = 0; seq < outcomes_.size(); ++seq) {
      const double due = chaos::ScheduledOffset(seq, plan_.rate);
      timer.expires_at(At(due));
      error_code ec;
      co_await timer.async_wait(redirect_error(use_awaitable, ec));
      if (stop_) break;
      sent_ = seq + 1;
      if (in_flight_ >= max_in_flight_) {
        outcomes_[seq].error = "overloaded";
        outcomes_[seq].latency_ms = (Now() - due) * 1000;
        continue;
      }
      ++in_flight_;
      asio::co_spawn(io_, Request(seq, due), asio::detached);
    }
  }

  std::unique_ptr<Stream> NewStream() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      return std::make_unique<Stream>(io_);
    } else {
      auto stream = std::make_unique<Stream>(io_, ssl_);
      ::SSL_set_tlsext_host_name(stream->native_handle(), plan_.request.host_header.c_str());
      return stream;
    }
  }

  awaitable<error_code> Open(Stream& stream, Clock::time_point deadline) {
    auto& layer = beast::get_lowest_layer(stream);
    layer.expires_at(deadline);
    error_code ec;
    co_await layer.async_connect(endpoint_, redirect_error(use_awaitable, ec));
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      if (!ec) co_await stream.async_handshake(ssl::stream_base::client, redirect_error(use_awaitable, ec));
    }
    co_return ec;
  }

  awaitable<void> Request(uint64_t seq, double due) {
    Outcome& outcome = outcomes_[seq];  // outcomes_ is not resized while requests run
    const auto deadline = At(due) + plan_.timeout;
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::unique_ptr<Stream> stream;
      const bool reused = attempt == 0 && !idle_.empty();
      error_code ec;
      if (reused) {
        stream = std::move(idle_.back());
        idle_.pop_back();
      } else {
        stream = NewStream();
        ec = co_await Open(*stream, deadline);
        if (ec) break;
      }
      beast::get_lowest_layer(*stream).expires_at(deadline);
      co_await http::async_write(*stream, request_, redirect_error(use_awaitable, ec));
      bool got_some = false;
      if (!ec) {
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(1 << 22);
        co_await http::async_read(*stream, buffer, parser, redirect_error(use_awaitable, ec));
        got_some = parser.got_some();
        if (!ec) {
          const int status = parser.get().result_int();
          outcome.ok = status >= 200 && status < 300;
          if (!outcome.ok) outcome.error = "HTTP " + std::to_string(status);
          if (parser.get().keep_alive()) {
            beast::get_lowest_layer(*stream).expires_never();
            idle_.push_back(std::move(stream));
          }
          break;
        }
      }
      // A reused connection the server had closed: once more on a fresh one.
      if (reused && !got_some && ec != beast::error::timeout) continue;
      outcome.error = chaos::ClientErrorName(ec);
      break;
    }
    if (!outcome.ok && outcome.error.empty()) outcome.error = "connect failed";
    outcome.latency_ms = (Now() - due) * 1000;
    --in_flight_;
  }

  const OpenLoopPlan& plan_;
  const std::atomic<bool>& stop_;
  asio::io_context io_{1};
  ssl::context ssl_{ssl::context::tls_client};
  tcp::endpoint endpoint_;
  http::request<http::string_body> request_;
  Clock::time_point start_;
  std::vector<Outcome> outcomes_;
  std::vector<std::unique_ptr<Stream>> idle_;
  size_t sent_ = 0;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
};

OpenLoopResult Summarize(const std::vector<Outcome>& outcomes, double duration_s) {
  OpenLoopResult result;
  result.duration_s = duration_s;
  std::vector<double> latencies;
  latencies.reserve(outcomes.size());
  for (const auto& o : outcomes) {
    ++result.sent;
    if (o.ok) {
      ++result.ok;
    } else {
      ++result.failed;
      ++result.errors[o.error];
    }
    latencies.push_back(o.latency_ms);
  }
  std::sort(latencies.begin(), latencies.end());
  result.p50_ms = chaos::Percentile(latencies, 50);
  result.p90_ms = chaos::Percentile(latencies, 90);
  result.p99_ms = chaos::Percentile(latencies, 99);
  result.p999_ms = chaos::Percentile(latencies, 99.9);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  return result;
}

}  // namespace

OpenLoopResult RunOpenLoop(const OpenLoopPlan& plan, const std::atomic<bool>& stop) {
  chaos::RaiseDescriptorLimit();
  std::vector<Outcome> outcomes;
  if (plan.tls) {
    OpenLoopRun<beast::ssl_stream<beast::tcp_stream>> run(plan, stop);
    outcomes = run.Run();
  } else {
    OpenLoopRun<beast::tcp_stream> run(plan, stop);
    outcomes = run.Run();
  }
  return Summarize(outcomes, plan.duration_s);
}

}  // namespace foobar::ctl::bench
