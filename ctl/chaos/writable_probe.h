// Asks one MariaDB server, over its admin unix socket, whether it accepts writes now, with
// short timeouts so that a frozen (SIGSTOPped) server costs a bounded wait rather than a
// hung thread. Keeps its connection between calls; reconnects after any failure.
// Not thread-safe: one probe per thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

struct st_mysql;

namespace foobar::ctl::chaos {

class WritableProbe {
 public:
  explicit WritableProbe(std::filesystem::path socket, std::chrono::seconds timeout = std::chrono::seconds(1))
      : socket_(std::move(socket)), timeout_(timeout) {}
  ~WritableProbe();
  WritableProbe(const WritableProbe&) = delete;
  WritableProbe& operator=(const WritableProbe&) = delete;

  // @@global.read_only of the server: false = writable; nullopt when it did not answer
  // (down, killed, frozen past the timeout).
  std::optional<bool> ReadOnly();

 private:
  void Close();

  std::filesystem::path socket_;
  std::chrono::seconds timeout_;
  st_mysql* mysql_ = nullptr;
};

}  // namespace foobar::ctl::chaos
