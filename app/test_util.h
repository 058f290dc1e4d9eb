// Test helpers: run an awaitable to completion on a private io_context.
#pragma once

#include <exception>
#include <optional>

#include "app/asio_fwd.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace foobar::app::testing {

template <typename T>
T RunAwaitable(asio::awaitable<T> awaitable) {
  asio::io_context io;
  std::optional<T> result;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(awaitable), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) result.emplace(std::move(value));
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace foobar::app::testing
