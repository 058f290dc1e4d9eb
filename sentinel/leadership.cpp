#include "sentinel/leadership.h"

#include "common/db_cluster.h"

namespace foobar::sentinel {
using namespace std::chrono_literals;
using nlohmann::json;
namespace {

// The leader stops acting this long before its lease could have expired.
constexpr auto kSafetyMargin = 700ms;

int64_t Ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

Leadership::Leadership(const Config& config, EventLog& log) : config_(config), log_(log) {}

Leadership::~Leadership() { Stop(); }

void Leadership::Start() { thread_ = std::thread([this] { KeepAliveLoop(); }); }

void Leadership::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Leadership::SetValidUntil(std::chrono::steady_clock::time_point until) { valid_until_ns_.store(Ns(until)); }

bool Leadership::IsLeader() const {
  return holds_key_.load() && lease_.load() != 0 &&
         Ns(std::chrono::steady_clock::now() + kSafetyMargin) < valid_until_ns_.load();
}

std::string Leadership::leader_name() const {
  std::lock_guard lock(mutex_);
  return leader_name_;
}

void Leadership::KeepAliveLoop() {
  EtcdClient etcd(config_.etcd_endpoints, 1s);
  const auto period = std::chrono::milliseconds(config_.timing.lease_ttl_s * 1000 / 3);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (stop_cv_.wait_for(lock, period, [this] { return stopping_; })) return;
    }
    const int64_t lease = lease_.load();
    if (lease == 0) continue;
    const auto sent = std::chrono::steady_clock::now();
    auto ttl = etcd.KeepAlive(lease);
    if (!ttl.ok()) continue;  // etcd unreachable: the lease runs out unless a later refresh lands
    if (*ttl > 0) {
      SetValidUntil(sent + std::chrono::seconds(*ttl));
    } else {
      // Expired (we were cut off for longer than the TTL): the main thread takes a new one.
      int64_t expected = lease;
      if (lease_.compare_exchange_strong(expected, 0)) {
        holds_key_ = false;
        log_.Write("lease.expired", {{"lease", std::to_string(lease)}});
      }
    }
  }
}

bool Leadership::Tick(EtcdClient& etcd) {
  if (lease_.load() == 0) {
    const auto sent = std::chrono::steady_clock::now();
    auto granted = etcd.GrantLease(config_.timing.lease_ttl_s);
    if (!granted.ok()) return false;
    SetValidUntil(sent + std::chrono::seconds(config_.timing.lease_ttl_s));
    lease_ = *granted;
    log_.Write("lease.granted", {{"lease", std::to_string(*granted)}, {"ttl_s", config_.timing.lease_ttl_s}});
  }
  const int64_t lease = lease_.load();
  // A plain read first: only when nobody leads does the (raft-logged) transaction run.
  auto current = etcd.Get(db_cluster::kLeaderKey);
  if (!current.ok()) return false;
  std::string holder;
  int64_t holder_lease = 0;
  if (current->has_value()) {
    holder = (*current)->value;
    holder_lease = (*current)->lease;
  } else {
    auto won = etcd.Txn(json::array({txn::Absent(db_cluster::kLeaderKey)}),
                        json::array({txn::Put(db_cluster::kLeaderKey, config_.name, lease)}));
    if (!won.ok()) return false;
    if (*won) {
      holder = config_.name;
      holder_lease = lease;
    }
  }
  const bool mine = holder == config_.name && holder_lease == lease;
  const bool was = holds_key_.exchange(mine);
  std::string previous;
  {
    std::lock_guard lock(mutex_);
    previous = leader_name_;
    leader_name_ = holder;
  }
  if (mine && !was) log_.Write("leader.acquired", {{"lease", std::to_string(lease)}});
  if (!mine && was) log_.Write("leader.lost", {{"leader", holder}});
  if (!mine && holder != previous) log_.Write("leader.seen", {{"leader", holder}});
  return true;
}

void Leadership::Resign(EtcdClient& etcd) {
  const int64_t lease = lease_.exchange(0);
  holds_key_ = false;
  if (lease != 0 && etcd.Revoke(lease).ok()) log_.Write("lease.revoked", {{"lease", std::to_string(lease)}});
}

}  // namespace foobar::sentinel
