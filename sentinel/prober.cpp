#include "sentinel/prober.h"

#include <mysql.h>

namespace foobar::sentinel {

ServerSnapshot NextSnapshot(const ServerSnapshot& previous, const Result<ServerView>& probe, int64_t now_ms) {
  ServerSnapshot next = previous;
  next.probed = true;
  next.probed_at_ms = now_ms;
  if (probe.ok()) {
    next.reachable = true;
    next.error.clear();
    next.view = *probe;
    next.down_since_ms = 0;
  } else {
    next.reachable = false;
    next.error = probe.error().message;
    if (previous.down_since_ms == 0 || !previous.probed) next.down_since_ms = now_ms;
  }
  if (next.Writable())
    next.not_writable_since_ms = 0;
  else if (previous.not_writable_since_ms == 0 || !previous.probed)
    next.not_writable_since_ms = now_ms;
  return next;
}

Prober::Prober(const Config& config) : config_(config) {
  for (const auto& server : config_.servers) snapshots_[server.name].name = server.name;
}

Prober::~Prober() { Stop(); }

void Prober::Start() {
  for (size_t i = 0; i < config_.servers.size(); ++i) threads_.emplace_back([this, i] { Loop(i); });
}

void Prober::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::map<std::string, ServerSnapshot> Prober::Snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshots_;
}

void Prober::Loop(size_t index) {
  mysql_thread_init();
  const DbServer& server = config_.servers[index];
  const unsigned timeout = config_.timing.probe_timeout_s;
  std::unique_ptr<DbConnection> conn;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    Result<ServerView> probe = Error{0, "not probed"};
    if (!conn) {
      auto opened = DbConnection::Open(server, config_.monitor, timeout, timeout);
      if (opened.ok())
        conn = std::move(*opened);
      else
        probe = opened.error();
    }
    if (conn) {
      auto sets = conn->Query(kProbeSql);
      if (sets.ok()) {
        probe = ParseServerView(*sets);
      } else {
        probe = sets.error();
      }
      if (!probe.ok()) conn.reset();  // a fresh connection next time
    }
    {
      std::unique_lock lock(mutex_);
      snapshots_[server.name] = NextSnapshot(snapshots_[server.name], probe, WallMs());
      if (stop_cv_.wait_until(lock, started + config_.timing.probe_interval, [this] { return stopping_; })) break;
    }
  }
  conn.reset();
  mysql_thread_end();
}

}  // namespace foobar::sentinel
