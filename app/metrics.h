// Metric primitives for Prometheus (no Debian C++ client exists): counters, gauges and
// histograms with fixed buckets, grouped in labelled families, and the registry that renders
// them in the text exposition format (metrics_text.h).
//
// Cost on the request path: updating a metric is one or two relaxed atomic adds on memory
// allocated at start-up; no lock, no allocation, no string work. A series is created once
// (Family::WithLabels, at start-up; it takes a lock) and the caller keeps the reference, which
// stays valid for the family's life. Each series starts on its own cache line, so threads
// updating different series do not share lines. Rendering (a scrape) reads with relaxed loads:
// a histogram's buckets and sum may be a few observations apart, which Prometheus tolerates.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/metrics_text.h"

namespace foobar::app {

inline constexpr std::size_t kCacheLine = 64;

// Monotonic count of events.
class alignas(kCacheLine) Counter {
 public:
  void Inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down (in flight, in use) or is set (sizes, build info).
class alignas(kCacheLine) Gauge {
 public:
  void Set(std::int64_t value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void Add(std::int64_t n) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t Value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Counts of observations per bucket (upper bounds fixed at construction) and their sum.
class alignas(kCacheLine) Histogram {
 public:
  // `bounds`: ascending upper bounds; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (= count)
    double sum = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Default buckets for request and query latencies, in seconds: 0.5 ms to 10 s, with 0.5 s (the
// latency budget of the alert rules) among them.
std::vector<double> LatencyBuckets();

// Something that writes its metrics at scrape time.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual void Collect(std::string& out) const = 0;
};

// One metric name with its HELP/TYPE and its series, one per label-value combination.
template <typename Metric>
class Family : public Collector {
 public:
  template <typename... MetricArgs>
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         MetricArgs... metric_args)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        make_([=] { return std::make_unique<Metric>(metric_args...); }) {}

  // The series with these label values (one per label name, in order), created on first use.
  // Takes a lock: call at start-up and keep the reference.
  Metric& WithLabels(const std::vector<std::string>& values);

  void Collect(std::string& out) const override;
  const std::string& name() const { return name_; }

 private:
  struct Series {
    Labels labels;
    std::unique_ptr<Metric> metric;
  };

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::deque<Series> series_;  // guarded by mutex_; metrics never move
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Every collector of a process; renders the whole /metrics body.
class MetricsRegistry {
 public:
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(std::string name, std::string help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<std::string> label_names, std::vector<double> bounds);
  // For collectors with their own storage (see http_metrics.h); must outlive the registry.
  void AddCollector(const Collector* collector);

  std::string Render() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Collector>> owned_;  // guarded by mutex_
  std::vector<const Collector*> collectors_;       // guarded by mutex_, in registration order
};

}  // namespace foobar::app
