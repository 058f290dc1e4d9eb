// Runs a function on a thread of its own that has entered a lab host's network namespace
// (setns changes only the calling thread), so every socket it opens lives in that host.
#pragma once

#include <exception>
#include <string>
#include <thread>

#include "ctl/lab/netns_socket.h"

namespace foobar::ctl::bench {

// Returns what `fn` returned; rethrows what it threw.
template <class Fn>
auto RunInNamespace(const std::string& host, Fn&& fn) -> decltype(fn()) {
  decltype(fn()) result{};
  std::exception_ptr error;
  std::thread worker([&] {
    try {
      EnterNamespace(host);
      result = fn();
    } catch (...) {
      error = std::current_exception();
    }
  });
  worker.join();
  if (error) std::rethrow_exception(error);
  return result;
}

}  // namespace foobar::ctl::bench
