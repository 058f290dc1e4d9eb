// The HTTP layer end to end on loopback (port 0), with an in-memory store: keep-alive,
// pipelining, limits, timeouts, HEAD, 100-continue and graceful drain.
#include "app/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include "app/fake_message_store.h"
#include "app/version.h"

namespace foobar::app {
namespace {

using namespace std::chrono_literals;

// A blocking loopback client with a receive timeout, so a broken server fails the test
// instead of hanging it.
class RawClient {
 public:
  struct Response {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string Header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
  };

  explicit RawClient(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawClient() { close(fd_); }

  bool connected() const { return connected_; }

  void Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Reads one response; status 0 if the connection ended first.
  Response Read(bool head = false) {
    Response response;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return response;
    }
    const std::string head_block = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    response.status = std::stoi(head_block.substr(9, 3));
    std::size_t line_start = head_block.find("\r\n");
    while (line_start != std::string::npos) {
      const std::size_t next = head_block.find("\r\n", line_start + 2);
      const std::string line = head_block.substr(line_start + 2, next - line_start - 2);
      const std::size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      response.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      line_start = next;
    }
    std::size_t length = 0;
    if (!head && response.status != 100 && !response.Header("content-length").empty()) {
      length = std::stoul(response.Header("content-length"));
    }
    while (buffer_.size() < length) {
      if (!Fill()) return Response{};
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True if the server closes the connection (EOF or reset) before the receive timeout.
  bool ClosedByPeer() {
    char byte;
    const ssize_t n = recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char chunk[4096];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// ApiService plus a /slow route that answers after 300 ms, to have a request in flight.
class TestHandler : public RequestHandler {
 public:
  TestHandler() : api_(store_), service_(api_, readiness_, "test-host") {}

  asio::awaitable<ApiResponse> Handle(ApiRequest request) override {
    if (request.target == "/slow") {
      asio::steady_timer timer(co_await asio::this_coro::executor, 300ms);
      co_await timer.async_wait(asio::use_awaitable);
      co_return ApiResponse{200, R"({"slow":true})", {}};
    }
    co_return co_await service_.Handle(std::move(request));
  }

 private:
  testing::FakeMessageStore store_;
  testing::FakeReadiness readiness_;
  MessagesApi api_;
  ApiService service_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(SessionLimits limits = {}) {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{"127.0.0.1", 0, 2, "test-host", limits}, handler_);
    auto status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.error().message;
    ASSERT_NE(server_->port(), 0);
  }

  void SetUp() override { StartServer(); }
  void TearDown() override { server_->Stop(); }

  std::uint16_t port() const { return server_->port(); }

  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

constexpr const char* kGetHealthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

TEST_F(HttpServerTest, KeepAliveAndCommonHeaders) {
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    client.Send(kGetHealthz);
    const auto r = client.Read();
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok","host":"test-host","version":")" + Version() + R"("})");
    EXPECT_EQ(r.Header("x-served-by"), "test-host");
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.Header("cache-control"), "no-store");
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.Header("connection"), "");
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAnsweredInOrder) {
  RawClient client(port());
  client.Send(std::string(kGetHealthz) + "GET /api/nope HTTP/1.1\r\nHost: x\r\n\r\n" + kGetHealthz);
  EXPECT_EQ(client.Read().status, 200);
  EXPECT_EQ(client.Read().status, 404);
  EXPECT_EQ(client.Read().status, 200);
}

TEST_F(HttpServerTest, PostThenGetThroughTheWholeStack) {
  RawClient client(port());
  const std::string body = R"({"author":"ann","body":"hi"})";
  client.Send(
      "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  auto r = client.Read();
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Header("location"), "/api/messages/1");
  client.Send("GET /api/messages/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  r = client.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"author\":\"ann\""), std::string::npos);
  client.Send("DELETE /api/messages/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  r = client.Read();
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET, HEAD");
}

TEST_F(HttpServerTest, IdempotencyKeyAndReadYourWritesCookieOnTheWire) {
  RawClient client(port());
  const std::string body = R"({"author":"ann","body":"once"})";
  const std::string post =
      "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Idempotency-Key: k-1\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  client.Send(post);
  auto first = client.Read();
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("set-cookie"),
            "fb_rw=0-1-101; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  EXPECT_EQ(first.Header("idempotent-replayed"), "");
  client.Send(post);
  auto again = client.Read();
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");

  client.Send(
      "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Idempotency-Key: a\r\nIdempotency-Key: b\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(client.Read().status, 400);
  client.Send("GET /api/messages/1 HTTP/1.1\r\nHost: x\r\nCookie: a=1; fb_rw=0-1-101\r\n\r\n");
  EXPECT_EQ(client.Read().status, 200);
}

TEST_F(HttpServerTest, HeadHasLengthButNoBody) {
  RawClient client(port());
  client.Send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = client.Read(/*head=*/true);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.Header("content-length"), "0");
  client.Send(kGetHealthz);  // a body sent for HEAD would corrupt this next response
  r = client.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok","host":"test-host","version":")" + Version() + R"("})");
}

TEST_F(HttpServerTest, HeaderOver8KiBIs431AndCloses) {
  RawClient client(port());
  client.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
  const auto r = client.Read();
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, BodyOver16KiBIs413Json) {
  RawClient client(port());
  client.Send(
      "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 20000\r\n\r\n" +
      std::string(20000, ' '));
  const auto r = client.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, R"({"error":"request body too large"})");
  EXPECT_EQ(r.Header("x-served-by"), "test-host");
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, ChunkedBodyOverLimitIs413) {
  RawClient client(port());
  client.Send(
      "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5000\r\n" +
      std::string(0x5000, ' ') + "\r\n0\r\n\r\n");
  EXPECT_EQ(client.Read().status, 413);
}

TEST_F(HttpServerTest, GarbageIs400) {
  RawClient client(port());
  client.Send("NOT HTTP AT ALL\r\n\r\n");
  const auto r = client.Read();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, ExpectContinue) {
  RawClient client(port());
  const std::string body = R"({"author":"a","body":"b"})";
  client.Send(
      "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(client.Read().status, 100);
  client.Send(body);
  EXPECT_EQ(client.Read().status, 201);
}

TEST_F(HttpServerTest, Http10ClosesAfterResponse) {
  RawClient client(port());
  client.Send("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(client.Read().status, 200);
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, DrainClosesIdleAndFinishesInFlight) {
  RawClient idle(port());
  idle.Send(kGetHealthz);
  ASSERT_EQ(idle.Read().status, 200);  // now idle in keep-alive
  RawClient busy(port());
  busy.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(100ms);  // let /slow start (it takes 300 ms)

  server_->BeginDrain();
  EXPECT_TRUE(idle.ClosedByPeer());
  const auto r = busy.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_TRUE(busy.ClosedByPeer());
  EXPECT_TRUE(server_->WaitDrained(std::chrono::steady_clock::now() + 2s));
  RawClient late(port());
  EXPECT_FALSE(late.connected());
}

TEST_F(HttpServerTest, IdleAndSlowHeaderTimeouts) {
  server_->Stop();
  SessionLimits limits;
  limits.header_timeout = 200ms;
  limits.idle_timeout = 300ms;
  StartServer(limits);

  RawClient silent(port());  // never sends anything
  RawClient slow(port());
  slow.Send("GET /healthz HTTP/1.1\r\n");  // header never completed
  RawClient keep(port());
  keep.Send(kGetHealthz);
  ASSERT_EQ(keep.Read().status, 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.ClosedByPeer());
  EXPECT_TRUE(slow.ClosedByPeer());
  EXPECT_TRUE(keep.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

}  // namespace
}  // namespace foobar::app
