// LabError: a failed lab operation, with a message an operator can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace foobar::ctl {

struct LabError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace foobar::ctl
