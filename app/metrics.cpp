// Metric primitives and the registry. Families are instantiated here for the three metric
// kinds; each kind knows its TYPE and how to write its samples.
#include "app/metrics.h"

#include <algorithm>
#include <stdexcept>

namespace foobar::app {
namespace {

const char* TypeOf(const Counter*) { return "counter"; }
const char* TypeOf(const Gauge*) { return "gauge"; }
const char* TypeOf(const Histogram*) { return "histogram"; }

void AppendSeries(std::string& out, const std::string& name, const Labels& labels,
                  const Counter& counter) {
  AppendSample(out, name, labels, FormatSampleValue(counter.Value()));
}

void AppendSeries(std::string& out, const std::string& name, const Labels& labels,
                  const Gauge& gauge) {
  AppendSample(out, name, labels, FormatSampleValue(gauge.Value()));
}

void AppendSeries(std::string& out, const std::string& name, const Labels& labels,
                  const Histogram& histogram) {
  const Histogram::Snapshot snapshot = histogram.Read();
  const std::string bucket = name + "_bucket";
  for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    const std::pair<std::string, std::string> le{
        "le", i < histogram.bounds().size() ? FormatSampleValue(histogram.bounds()[i]) : "+Inf"};
    AppendSample(out, bucket, labels, FormatSampleValue(snapshot.cumulative[i]), &le);
  }
  AppendSample(out, name + "_sum", labels, FormatSampleValue(snapshot.sum));
  AppendSample(out, name + "_count", labels, FormatSampleValue(snapshot.cumulative.back()));
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end()) {
    throw std::invalid_argument("histogram bounds must be strictly ascending");
  }
}

void Histogram::Observe(double value) noexcept {
  // A linear scan: a dozen bounds, most observations land in the first few.
  std::size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string>& values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(name_ + ": wrong number of label values");
  }
  std::lock_guard lock(mutex_);
  for (auto& series : series_) {
    bool same = true;
    for (std::size_t i = 0; i < values.size() && same; ++i) {
      same = series.labels[i].second == values[i];
    }
    if (same) return *series.metric;
  }
  Labels labels;
  for (std::size_t i = 0; i < values.size(); ++i) labels.emplace_back(label_names_[i], values[i]);
  series_.push_back(Series{std::move(labels), make_()});
  return *series_.back().metric;
}

template <typename Metric>
void Family<Metric>::Collect(std::string& out) const {
  AppendMetricHeader(out, name_, TypeOf(static_cast<const Metric*>(nullptr)), help_);
  std::lock_guard lock(mutex_);
  for (const auto& series : series_) AppendSeries(out, name_, series.labels, *series.metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

CounterFamily& MetricsRegistry::AddCounter(std::string name, std::string help,
                                           std::vector<std::string> label_names) {
  auto family = std::make_unique<CounterFamily>(std::move(name), std::move(help),
                                                std::move(label_names));
  CounterFamily& ref = *family;
  std::lock_guard lock(mutex_);
  collectors_.push_back(family.get());
  owned_.push_back(std::move(family));
  return ref;
}

GaugeFamily& MetricsRegistry::AddGauge(std::string name, std::string help,
                                       std::vector<std::string> label_names) {
  auto family =
      std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names));
  GaugeFamily& ref = *family;
  std::lock_guard lock(mutex_);
  collectors_.push_back(family.get());
  owned_.push_back(std::move(family));
  return ref;
}

HistogramFamily& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                               std::vector<std::string> label_names,
                                               std::vector<double> bounds) {
  auto family = std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                                  std::move(label_names), std::move(bounds));
  HistogramFamily& ref = *family;
  std::lock_guard lock(mutex_);
  collectors_.push_back(family.get());
  owned_.push_back(std::move(family));
  return ref;
}

void MetricsRegistry::AddCollector(const Collector* collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(collector);
}

std::string MetricsRegistry::Render() const {
  std::string out;
  out.reserve(16 * 1024);
  std::lock_guard lock(mutex_);
  for (const Collector* collector : collectors_) collector->Collect(out);
  return out;
}

}  // namespace foobar::app
