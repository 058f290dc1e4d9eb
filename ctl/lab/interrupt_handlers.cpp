#include "ctl/lab/interrupt_handlers.h"

namespace foobar::ctl {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);  // safe to set from a signal handler
extern "C" void OnInterrupt(int) { g_interrupted = true; }

}  // namespace

InterruptHandlers::InterruptHandlers() {
  g_interrupted = false;
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &old_int_);
  ::sigaction(SIGTERM, &action, &old_term_);
}

InterruptHandlers::~InterruptHandlers() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
}

const std::atomic<bool>& InterruptFlag() { return g_interrupted; }

}  // namespace foobar::ctl
