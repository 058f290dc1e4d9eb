#include "ctl/chaos/writable_monitor.h"

#include <gtest/gtest.h>

namespace foobar::ctl::chaos {
namespace {

using namespace std::chrono_literals;

TEST(ChaosWritable, CountsFreshWritableAnswersOnly) {
  const auto now = Clock::now();
  const ServerSample writable{true, now - 50ms, false};
  const ServerSample read_only{true, now - 50ms, true};
  const ServerSample stale_writable{true, now - 2s, false};  // frozen or killed since
  const ServerSample never{};
  EXPECT_EQ(CountWritable({}, now), 0);
  EXPECT_EQ(CountWritable({writable, read_only}, now), 1);
  EXPECT_EQ(CountWritable({writable, writable}, now), 2);
  EXPECT_EQ(CountWritable({stale_writable, read_only, never}, now), 0);
  EXPECT_EQ(CountWritable({stale_writable}, now, 5s), 1);
}

TEST(ChaosWritable, MonitorOfUnreachableServersSeesNone) {
  WritableMonitor monitor(std::vector<DatabaseServer>{{"db-x", "/nonexistent/foobar-chaos-test.sock"}});
  monitor.Start();
  std::this_thread::sleep_for(300ms);
  monitor.Stop();
  EXPECT_EQ(monitor.MaxWritable(), 0);
  EXPECT_TRUE(monitor.HostsSeenWritable().empty());
}

}  // namespace
}  // namespace foobar::ctl::chaos
