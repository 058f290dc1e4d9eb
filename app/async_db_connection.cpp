// Each operation is a *_start call followed by *_cont calls while Connector/C reports that it
// would block; between them the coroutine waits for the socket (or the timeout) in Asio.
#include "app/async_db_connection.h"

#include <errmsg.h>

#include <cstring>

#include <fmt/format.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace foobar::app {
namespace {

// Whether a wait timed out, shared with the timer's handler, which may run after the waiting
// coroutine has moved on.
struct WaitState {
  bool done = false;
  bool timed_out = false;
};

}  // namespace

AsyncDbConnection::AsyncDbConnection(asio::any_io_executor executor, MYSQL* mysql,
                                     DbEndpoint endpoint, DbTimeouts timeouts)
    : mysql_(mysql),
      endpoint_(std::move(endpoint)),
      io_timeout_(std::chrono::seconds(std::max(timeouts.read_seconds, timeouts.write_seconds))),
      executor_(std::move(executor)) {}

AsyncDbConnection::~AsyncDbConnection() {
  for (MYSQL_STMT* stmt : statements_) {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }
  // The descriptor belongs to Connector/C: stop watching it, then let mysql_close close it.
  if (socket_) (void)socket_->release();
  mysql_close(mysql_);
}

template <typename Cont>
asio::awaitable<void> AsyncDbConnection::Finish(int wait, Cont cont) {
  while (wait != 0) {
    const int ready = co_await WaitFor(wait);
    wait = cont(ready);
  }
}

asio::awaitable<Result<std::unique_ptr<AsyncDbConnection>>> AsyncDbConnection::Open(
    DbEndpoint endpoint, DbCredentials credentials, DbTimeouts timeouts) {
  auto account = ResolveCredentials(credentials);
  if (!account.ok()) co_return account.error();
  MYSQL* mysql = NewDbHandle(credentials, timeouts, /*nonblocking=*/true);
  if (mysql == nullptr) co_return Error{CR_OUT_OF_MEMORY, "mysql_init failed"};
  std::unique_ptr<AsyncDbConnection> connection(
      new AsyncDbConnection(co_await asio::this_coro::executor, mysql, endpoint, timeouts));
  // The connect timeout bounds the whole handshake, as the blocking connect does.
  connection->io_timeout_ = std::chrono::seconds(timeouts.connect_seconds);
  MYSQL* connected = nullptr;
  const int wait = mysql_real_connect_start(&connected, mysql, endpoint.host.c_str(), account->user.c_str(),
                                            account->password.c_str(), credentials.database.c_str(),
                                            endpoint.port, nullptr, 0);
  auto connect_cont = [&connected, mysql](int ready) { return mysql_real_connect_cont(&connected, mysql, ready); };
  co_await connection->Finish(wait, connect_cont);
  if (connected == nullptr) {
    co_return Error{static_cast<int>(mysql_errno(mysql)),
                    fmt::format("connect to {}: {}", endpoint.ToString(), mysql_error(mysql))};
  }
  connection->io_timeout_ =
      std::chrono::seconds(std::max(timeouts.read_seconds, timeouts.write_seconds));
  connection->credentials_file_ = credentials.credentials_file;
  connection->credentials_version_ = account->version;
  co_return connection;
}

bool AsyncDbConnection::LooksAlive() const {
  return HandleLooksAlive(mysql_, credentials_file_, credentials_version_);
}

bool AsyncDbConnection::LooksAliveChecking(std::chrono::steady_clock::duration interval) {
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_at_ < interval) return true;
  checked_at_ = now;
  return LooksAlive();
}

asio::awaitable<int> AsyncDbConnection::WaitFor(int wait) {
  // No poll first: Connector/C has just seen EAGAIN, and no edge can have been consumed
  // since (see the header), so the wait below sees the next one.
  const int fd = static_cast<int>(mysql_get_socket(mysql_));
  if (!socket_ || socket_->native_handle() != fd) {
    if (socket_) (void)socket_->release();
    socket_.emplace(executor_, fd);
  }
  auto timeout = io_timeout_;
  if (wait & MYSQL_WAIT_TIMEOUT) {
    timeout = std::min(timeout, std::chrono::milliseconds(mysql_get_timeout_value_ms(mysql_)));
  }
  asio::steady_timer timer(executor_, timeout);
  if ((wait & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE)) == 0) {  // Connector/C only waits for time
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return MYSQL_WAIT_TIMEOUT;
  }
  auto state = std::make_shared<WaitState>();
  timer.async_wait([state, socket = &*socket_](const boost::system::error_code& ec) {
    if (ec || state->done) return;
    state->timed_out = true;
    socket->cancel();
  });
  boost::system::error_code ec;
  // Write readiness is only asked for when a send would block; reads are the usual wait.
  const auto what = (wait & MYSQL_WAIT_READ) ? asio::posix::stream_descriptor::wait_read
                                             : asio::posix::stream_descriptor::wait_write;
  co_await socket_->async_wait(what, asio::redirect_error(asio::use_awaitable, ec));
  state->done = true;
  timer.cancel();
  if (state->timed_out) co_return MYSQL_WAIT_TIMEOUT;
  // What was waited for; were it not ready after all, Connector/C sees EAGAIN and asks again.
  co_return wait & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
}

asio::awaitable<Result<MYSQL_STMT*>> AsyncDbConnection::Statement(std::size_t id, const char* sql) {
  if (statements_.size() <= id) statements_.resize(id + 1, nullptr);
  if (statements_[id] != nullptr) co_return statements_[id];
  MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
  if (stmt == nullptr) co_return HandleError(mysql_, nullptr, endpoint_);
  int failed = 0;
  const int wait = mysql_stmt_prepare_start(&failed, stmt, sql, static_cast<unsigned long>(std::strlen(sql)));
  auto prepare_cont = [&failed, stmt](int ready) { return mysql_stmt_prepare_cont(&failed, stmt, ready); };
  co_await Finish(wait, prepare_cont);
  if (failed != 0) {
    Error error = HandleError(mysql_, stmt, endpoint_);
    mysql_stmt_close(stmt);
    co_return error;
  }
  statements_[id] = stmt;
  co_return stmt;
}

asio::awaitable<Status> AsyncDbConnection::ExecuteAndStore(MYSQL_STMT* stmt) {
  int failed = 0;
  auto execute_cont = [&failed, stmt](int ready) { return mysql_stmt_execute_cont(&failed, stmt, ready); };
  co_await Finish(mysql_stmt_execute_start(&failed, stmt), execute_cont);
  if (failed != 0) co_return HandleError(mysql_, stmt, endpoint_);
  auto store_cont = [&failed, stmt](int ready) { return mysql_stmt_store_result_cont(&failed, stmt, ready); };
  co_await Finish(mysql_stmt_store_result_start(&failed, stmt), store_cont);
  if (failed != 0) {
    Error error = HandleError(mysql_, stmt, endpoint_);
    mysql_stmt_free_result(stmt);
    co_return error;
  }
  co_return OkStatus();
}

}  // namespace foobar::app
