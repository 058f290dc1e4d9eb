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
#include <deque>
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

struct SslSessionFree {
  void operator()(SSL_SESSION* session) const { SSL_SESSION_free(session); }
};

// One run over connections of type Stream: beast::tcp_stream, or an ssl_stream over one.
template <class Stream>
class OpenLoopRun {
 public:
  explicit OpenLoopRun(const OpenLoopPlan& plan, const std::atomic<bool>& stop)
      : plan_(plan), stop_(stop), endpoint_(asio::ip::make_address_v4(plan.address), static_cast<unsigned short>(plan.port)),
        outcomes_(chaos::RequestCount(plan.rate, plan.duration_s)) {
    ssl_.set_verify_mode(ssl::verify_none);
    pool_size_ = plan.connections ? plan.connections : ConnectionsFor(plan.rate);
    max_in_flight_ = plan.max_in_flight;
    if (max_in_flight_ == 0)
      max_in_flight_ = std::min(kMaxInFlightCap, static_cast<size_t>(plan.rate * static_cast<double>(plan.timeout.count()) / 1000.0) + 64);
    const std::vector<std::string> targets =
        plan.request.targets.empty() ? std::vector<std::string>{plan.request.target} : plan.request.targets;
    for (const std::string& target : targets) {
      http::request<http::string_body>& request = requests_.emplace_back();
      request.version(11);
      request.method(http::string_to_verb(plan.request.method));
      request.target(target);
      request.set(http::field::host, plan.request.host_header);
      request.set(http::field::user_agent, "foobar-load");
      request.keep_alive(true);
      if (!plan.request.body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = plan.request.body;
      }
      request.prepare_payload();
    }
  }

  std::vector<Outcome> Run() {
    asio::co_spawn(io_, WarmUpThenSchedule(), asio::detached);
    io_.run();
    idle_.clear();
    outcomes_.resize(sent_);
    return std::move(outcomes_);
  }

  uint64_t connections_opened() const { return connections_opened_; }

 private:
  double Now() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  Clock::time_point At(double offset_s) const {
    return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(offset_s));
  }

  // Opens the pool's connections (a failure here is not counted: the schedule's own requests
  // will meet and count whatever is wrong), then runs the schedule from 50 ms later.
  awaitable<void> WarmUpThenSchedule() {
    const auto deadline = Clock::now() + plan_.timeout;
    for (size_t i = 0; i < pool_size_ && !stop_; ++i) {
      auto stream = NewStream();
      if (co_await Open(*stream, deadline)) break;
      beast::get_lowest_layer(*stream).expires_never();
      idle_.push_back(std::move(stream));
      ++open_;
    }
    start_ = Clock::now() + std::chrono::milliseconds(50);
    co_await Schedule();
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
      if (!ec) {
        if (session_) SSL_set_session(stream.native_handle(), session_.get());
        co_await stream.async_handshake(ssl::stream_base::client, redirect_error(use_awaitable, ec));
      }
      // TLS 1.3 sends its session tickets after the handshake: the first response's read
      // takes them in, so the session to resume is taken from a connection that has served one.
    }
    co_return ec;
  }

  // An idle connection; else nullptr with `may_open` set while the pool is not full (the
  // caller opens one); else the first connection freed, in arrival order, or nullptr at the
  // deadline.
  awaitable<std::unique_ptr<Stream>> Acquire(Clock::time_point deadline, bool& may_open) {
    may_open = false;
    if (!idle_.empty()) {
      std::unique_ptr<Stream> stream = std::move(idle_.front());
      idle_.pop_front();
      co_return stream;
    }
    if (open_ < pool_size_) {
      ++open_;
      may_open = true;
      co_return nullptr;
    }
    Waiter waiter{asio::steady_timer(io_, deadline), nullptr, false};
    waiting_.push_back(&waiter);
    error_code ec;
    co_await waiter.timer.async_wait(redirect_error(use_awaitable, ec));
    if (!waiter.stream && !waiter.may_open) {  // the deadline: still queued, leave
      waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &waiter));
      co_return nullptr;
    }
    if (Clock::now() >= deadline) {  // handed over just as the deadline passed: pass it on
      if (waiter.stream) {
        Release(std::move(waiter.stream));
      } else {
        Closed();
      }
      co_return nullptr;
    }
    may_open = waiter.may_open;
    co_return std::move(waiter.stream);
  }

  // A connection back to the pool: to the first waiting request, else idle.
  void Release(std::unique_ptr<Stream> stream) {
    beast::get_lowest_layer(*stream).expires_never();
    if (waiting_.empty()) {
      idle_.push_back(std::move(stream));
      return;
    }
    Waiter* first = waiting_.front();
    waiting_.pop_front();
    first->stream = std::move(stream);
    first->timer.cancel();
  }

  // A connection closed: its place goes to the first waiting request, which opens a new one.
  void Closed() {
    if (waiting_.empty()) {
      --open_;
      return;
    }
    Waiter* first = waiting_.front();
    waiting_.pop_front();
    first->may_open = true;
    first->timer.cancel();
  }

  awaitable<void> Request(uint64_t seq, double due) {
    Outcome& outcome = outcomes_[seq];  // outcomes_ is not resized while requests run
    const auto deadline = At(due) + plan_.timeout;
    bool may_open = false;
    std::unique_ptr<Stream> stream = co_await Acquire(deadline, may_open);
    bool reused = stream != nullptr;
    for (int attempt = 0; attempt < 2 && (stream || may_open); ++attempt) {
      error_code ec;
      if (!stream) {
        stream = NewStream();
        ++connections_opened_;
        ec = co_await Open(*stream, deadline);
        if (ec) {
          outcome.error = chaos::ClientErrorName(ec);
          stream.reset();
          Closed();
          break;
        }
      }
      beast::get_lowest_layer(*stream).expires_at(deadline);
      co_await http::async_write(*stream, requests_[seq % requests_.size()], redirect_error(use_awaitable, ec));
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
          if (!reused || !session_) KeepSession(*stream);
          if (parser.get().keep_alive()) {
            Release(std::move(stream));
          } else {
            stream.reset();
            Closed();
          }
          break;
        }
      }
      stream.reset();
      // A reused connection the server had closed: once more on a fresh one, in its place.
      if (reused && !got_some && ec != beast::error::timeout) {
        reused = false;
        may_open = true;
        continue;
      }
      Closed();
      outcome.error = chaos::ClientErrorName(ec);
      break;
    }
    if (!outcome.ok && outcome.error.empty()) outcome.error = "timeout";  // no connection in time
    outcome.latency_ms = (Now() - due) * 1000;
    --in_flight_;
  }

  // The newest resumable session: over TLS 1.3 a server may take each ticket only once.
  void KeepSession(Stream& stream) {
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      SSL_SESSION* session = SSL_get1_session(stream.native_handle());
      if (session && SSL_SESSION_is_resumable(session)) {
        session_.reset(session);
      } else if (session) {
        SSL_SESSION_free(session);
      }
    }
  }

  const OpenLoopPlan& plan_;
  const std::atomic<bool>& stop_;
  asio::io_context io_{1};
  ssl::context ssl_{ssl::context::tls_client};
  tcp::endpoint endpoint_;
  std::vector<http::request<http::string_body>> requests_;  // request i sends requests_[i % size]
  Clock::time_point start_;
  std::vector<Outcome> outcomes_;
  // Used in turn (the longest idle first), as wrk's connections are: a connection left idle
  // at the bottom of a stack would sit past HAProxy's `timeout http-request` (5 s for a first
  // request) and meet a 408 when a burst finally reached it (seen in the bench).
  std::deque<std::unique_ptr<Stream>> idle_;
  size_t sent_ = 0;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
  uint64_t connections_opened_ = 0;
  std::unique_ptr<SSL_SESSION, SslSessionFree> session_;  // resumed by new connections
  // A request waiting for a connection while all pool_size_ are busy.
  struct Waiter {
    asio::steady_timer timer;  // its deadline; cancelled when a connection is handed over
    std::unique_ptr<Stream> stream;
    bool may_open = false;     // handed a closed connection's place instead
  };
  size_t pool_size_ = 0;
  size_t open_ = 0;  // idle + in use + being opened
  std::deque<Waiter*> waiting_;
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

size_t ConnectionsFor(double rate) {
  return std::clamp<size_t>(static_cast<size_t>(rate / 100.0), 4, 32);
}

OpenLoopResult RunOpenLoop(const OpenLoopPlan& plan, const std::atomic<bool>& stop) {
  chaos::RaiseDescriptorLimit();
  std::vector<Outcome> outcomes;
  uint64_t opened = 0;
  if (plan.tls) {
    OpenLoopRun<beast::ssl_stream<beast::tcp_stream>> run(plan, stop);
    outcomes = run.Run();
    opened = run.connections_opened();
  } else {
    OpenLoopRun<beast::tcp_stream> run(plan, stop);
    outcomes = run.Run();
    opened = run.connections_opened();
  }
  OpenLoopResult result = Summarize(outcomes, plan.duration_s);
  result.connections_opened = opened;
  return result;
}

}  // namespace foobar::ctl::bench
