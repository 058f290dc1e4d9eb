// The open-loop schedule of a chaos run's load: request i is due at i / rate seconds,
// whatever happened to the ones before it, and its kind and address are fixed by the plan
// (a seeded generator), not by earlier outcomes. Pure: no clock, no sockets.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "ctl/chaos/request_record.h"

namespace foobar::ctl::chaos {

struct LoadMix {
  double write_fraction = 0.3;  // POSTs; the rest are reads
  double by_id_share = 0.5;     // of the reads, how many ask for one earlier acknowledged write
};

// How many requests a run of `duration_s` at `rate` per second sends (at least one).
uint64_t RequestCount(double rate, double duration_s);

// When request `seq` is due, in seconds from the start of the load.
double ScheduledOffset(uint64_t seq, double rate);

// The address for request `seq`: round robin, so that each of the site's addresses (both
// VIPs in production) gets an even, steady share and an outage of one shows by itself.
int AddressFor(uint64_t seq, int address_count);

// Draws the kind of each request in turn; the same seed gives the same sequence.
class RequestPlanner {
 public:
  RequestPlanner(LoadMix mix, uint64_t seed) : mix_(mix), generator_(seed) {}
  RequestKind Next();
  // A uniform index in [0, count), for picking which earlier write a read asks for.
  size_t Pick(size_t count);

 private:
  LoadMix mix_;
  std::mt19937_64 generator_;
};

// The Idempotency-Key of write `seq` in run `run_id`; also the unique part of its body.
std::string IdempotencyKey(const std::string& run_id, uint64_t seq);

}  // namespace foobar::ctl::chaos
