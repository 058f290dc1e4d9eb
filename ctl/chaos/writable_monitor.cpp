#include "ctl/chaos/writable_monitor.h"

#include "ctl/chaos/writable_probe.h"

namespace foobar::ctl::chaos {

int CountWritable(const std::vector<ServerSample>& servers, Clock::time_point now,
                  std::chrono::milliseconds freshness) {
  int count = 0;
  for (const auto& s : servers)
    if (s.answered_ever && !s.read_only && now - s.answered_at <= freshness) ++count;
  return count;
}

WritableMonitor::WritableMonitor(std::vector<DatabaseServer> servers)
    : servers_(std::move(servers)), samples_(servers_.size()) {}

WritableMonitor::~WritableMonitor() { Stop(); }

void WritableMonitor::Start() {
  for (size_t i = 0; i < servers_.size(); ++i) threads_.emplace_back([this, i] { ProbeLoop(i); });
  threads_.emplace_back([this] { CountLoop(); });
}

void WritableMonitor::Stop() {
  stop_ = true;
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::set<std::string> WritableMonitor::HostsSeenWritable() const {
  std::lock_guard lock(mutex_);
  return seen_writable_;
}

void WritableMonitor::ProbeLoop(size_t index) {
  WritableProbe probe(servers_[index].admin_socket);
  auto next = Clock::now();
  while (!stop_) {
    std::optional<bool> read_only = probe.ReadOnly();
    if (read_only) {
      std::lock_guard lock(mutex_);
      samples_[index] = {true, Clock::now(), *read_only};
    }
    next += kProbeInterval;
    const auto now = Clock::now();
    if (next < now) next = now;  // after a slow probe, do not try to catch up
    std::this_thread::sleep_until(next);
  }
}

void WritableMonitor::CountLoop() {
  auto next = Clock::now();
  while (!stop_) {
    {
      std::lock_guard lock(mutex_);
      const auto now = Clock::now();
      int count = 0;
      for (size_t i = 0; i < samples_.size(); ++i) {
        if (CountWritable({samples_[i]}, now) == 0) continue;
        ++count;
        seen_writable_.insert(servers_[i].host);
      }
      if (count > max_writable_) max_writable_ = count;
    }
    next += kProbeInterval;
    std::this_thread::sleep_until(next);
  }
}

}  // namespace foobar::ctl::chaos
