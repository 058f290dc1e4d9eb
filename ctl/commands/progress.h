// Progress lines for long commands: "[3/9] Starting mariadb on app-02 ... ok (1.4 s)".
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace foobar::ctl {

class Progress {
 public:
  explicit Progress(int total_steps) : total_(total_steps) {}

  template <typename Fn>
  void Step(const std::string& what, Fn&& fn) {
    ++done_;
    std::printf("[%d/%d] %s ... ", done_, total_, what.c_str());
    std::fflush(stdout);
    auto start = std::chrono::steady_clock::now();
    try {
      fn();
    } catch (...) {
      std::printf("FAILED\n");
      std::fflush(stdout);
      throw;
    }
    std::printf("ok (%.1f s)\n", Seconds(start));
    std::fflush(stdout);
  }

  static double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  }

 private:
  int total_;
  int done_ = 0;
};

}  // namespace foobar::ctl
