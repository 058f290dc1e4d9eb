// What the load clients (chaos' LoadGenerator, bench's open-loop client) share about their
// connections: one short name per failure, so both reports count the same things alike, and
// room for every socket a run may hold.
#pragma once

#include <boost/system/error_code.hpp>
#include <string>

namespace foobar::ctl::chaos {

// "timeout", "refused", "reset", "closed", "unreachable", or the error's own message.
std::string ClientErrorName(const boost::system::error_code& ec);

// Raises the soft descriptor limit to the hard one.
void RaiseDescriptorLimit();

}  // namespace foobar::ctl::chaos
