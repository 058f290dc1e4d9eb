#include "app/primary_tracker.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ServerProbe Up(bool writable, Clock::time_point at) { return ServerProbe{true, writable, at}; }
ServerProbe Down(Clock::time_point at) { return ServerProbe{false, false, at}; }

TEST(ChoosePrimaryTest, TheSingleWritableServer) {
  const auto now = Clock::now();
  EXPECT_EQ(ChoosePrimary({Up(true, now)}, now, 2s).index, 0);
  EXPECT_EQ(ChoosePrimary({Up(false, now), Up(true, now), Down(now)}, now, 2s).index, 1);
}

TEST(ChoosePrimaryTest, NoneWhenNothingIsWritable) {
  const auto now = Clock::now();
  EXPECT_EQ(ChoosePrimary({}, now, 2s).index, -1);
  EXPECT_EQ(ChoosePrimary({Up(false, now), Down(now)}, now, 2s).index, -1);
  EXPECT_EQ(ChoosePrimary({ServerProbe{}}, now, 2s).index, -1);  // never probed
}

TEST(ChoosePrimaryTest, NoneWhenSeveralAreWritable) {
  const auto now = Clock::now();
  const auto choice = ChoosePrimary({Up(true, now), Up(false, now), Up(true, now)}, now, 2s);
  EXPECT_EQ(choice.index, -1);
  EXPECT_EQ(choice.writable_count, 2);
}

TEST(ChoosePrimaryTest, StaleProbesDoNotCount) {
  const auto now = Clock::now();
  EXPECT_EQ(ChoosePrimary({Up(true, now - 3s)}, now, 2s).index, -1);
  // A stale writable server does not make a fresh one ambiguous.
  EXPECT_EQ(ChoosePrimary({Up(true, now - 3s), Up(true, now)}, now, 2s).index, 1);
}

TEST(PrimaryTrackerTest, StartsAndStopsPromptlyWithAnUnreachableServer) {
  // Port 1 on loopback refuses at once: no network needed, no waiting for timeouts.
  PrimaryTracker tracker({DbEndpoint{"127.0.0.1", 1}}, DbCredentials{"u", "p", "d"},
                         PrimaryTracker::Options{});
  tracker.Start();
  tracker.RequestRecheck();
  EXPECT_FALSE(tracker.Primary().has_value());
  EXPECT_FALSE(tracker.PrimaryIsFresh());
  tracker.Stop();
}

}  // namespace
}  // namespace foobar::app
