// ISO-8601 UTC timestamps with millisecond precision ("2026-11-26T15:13:21.123Z"), the one
// time format of the API and of the logs.
#pragma once

#include <chrono>
#include <string>

namespace foobar::app {

struct CivilTime {
  unsigned year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  unsigned millisecond = 0;
};

std::string FormatIsoUtc(const CivilTime& time);
std::string FormatIsoUtc(std::chrono::system_clock::time_point time);

}  // namespace foobar::app
