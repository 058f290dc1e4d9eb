#include "ctl/chaos/client_errors.h"

#include <sys/resource.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace foobar::ctl::chaos {

std::string ClientErrorName(const boost::system::error_code& ec) {
  namespace asio = boost::asio;
  if (ec == boost::beast::error::timeout) return "timeout";
  if (ec == asio::error::connection_refused) return "refused";
  if (ec == asio::error::connection_reset) return "reset";
  if (ec == boost::beast::http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::ssl::error::stream_truncated)
    return "closed";
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) return "unreachable";
  return ec.message();
}

void RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace foobar::ctl::chaos
