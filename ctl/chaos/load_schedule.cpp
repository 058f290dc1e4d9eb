#include "ctl/chaos/load_schedule.h"

#include <algorithm>
#include <cmath>

namespace foobar::ctl::chaos {

uint64_t RequestCount(double rate, double duration_s) {
  // The small epsilon keeps 20 s at 50/s at 1000 requests despite rounding in rate*duration.
  const double n = std::floor(rate * duration_s + 1e-9);
  return std::max<uint64_t>(1, static_cast<uint64_t>(n));
}

double ScheduledOffset(uint64_t seq, double rate) { return static_cast<double>(seq) / rate; }

int AddressFor(uint64_t seq, int address_count) {
  if (address_count <= 1) return 0;
  return static_cast<int>(seq % static_cast<uint64_t>(address_count));
}

RequestKind RequestPlanner::Next() {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double draw = unit(generator_);
  if (draw < mix_.write_fraction) return RequestKind::kWrite;
  const double read_draw = (draw - mix_.write_fraction) / (1.0 - mix_.write_fraction);
  return read_draw < mix_.by_id_share ? RequestKind::kReadById : RequestKind::kReadList;
}

size_t RequestPlanner::Pick(size_t count) {
  if (count == 0) return 0;
  std::uniform_int_distribution<size_t> index(0, count - 1);
  return index(generator_);
}

std::string IdempotencyKey(const std::string& run_id, uint64_t seq) {
  return "chaos-" + run_id + "-" + std::to_string(seq);
}

}  // namespace foobar::ctl::chaos
