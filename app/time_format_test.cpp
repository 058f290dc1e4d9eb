#include "app/time_format.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(FormatIsoUtcTest, CivilTime) {
  EXPECT_EQ(FormatIsoUtc(CivilTime{2026, 11, 26, 15, 13, 21, 123}), "2026-11-26T15:13:21.123Z");
  EXPECT_EQ(FormatIsoUtc(CivilTime{2026, 1, 2, 3, 4, 5, 6}), "2026-01-02T03:04:05.006Z");
}

TEST(FormatIsoUtcTest, TimePoint) {
  using std::chrono::milliseconds;
  EXPECT_EQ(FormatIsoUtc(std::chrono::system_clock::time_point(milliseconds(0))),
            "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtc(std::chrono::system_clock::time_point(milliseconds(1795706001123))),
            "2026-11-26T15:13:21.123Z");
}

}  // namespace
}  // namespace foobar::app
