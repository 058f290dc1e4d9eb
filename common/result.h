// Result<T>: a value or an error, for the request path where exceptions are not used.
// (std::expected needs C++23 on g++ 12; this is the small subset we need.)
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace foobar {

struct Error {
  int code = 0;         // component-defined (HTTP status, MySQL errno, errno...)
  std::string message;  // safe to show an operator; never secrets
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}     // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const Error& error() const { return std::get<Error>(data_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> data_;
};

// Result<void> equivalent.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace foobar
