// The one place that includes Asio's coroutine support, with the <utility> include that
// Asio 1.18's awaitable.hpp forgets (it uses std::exchange): include this, not Asio directly,
// wherever an awaitable appears in an interface.
#pragma once

#include <utility>  // must precede Asio headers (Asio 1.18 bug)

#include <boost/asio/awaitable.hpp>

namespace foobar::app {

namespace asio = boost::asio;

}  // namespace foobar::app
