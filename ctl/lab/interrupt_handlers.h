// SIGINT and SIGTERM for a long command that must undo what it started (`foobar chaos` heals,
// `foobar bench` stops its reference Nginx and drops its schema): while an InterruptHandlers
// lives, the signals only set a flag; the command checks Interrupted() between its steps and
// winds down, its guards undoing the rest. The old handlers come back when it goes.
#pragma once

#include <signal.h>

#include <atomic>

namespace foobar::ctl {

class InterruptHandlers {
 public:
  InterruptHandlers();  // clears the flag
  ~InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Set by SIGINT/SIGTERM while an InterruptHandlers lives; e.g. a load generator's `stop`.
const std::atomic<bool>& InterruptFlag();
inline bool Interrupted() { return InterruptFlag().load(); }

}  // namespace foobar::ctl
