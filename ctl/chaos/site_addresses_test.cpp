#include "ctl/chaos/site_addresses.h"

#include <gtest/gtest.h>

namespace foobar::ctl::chaos {
namespace {

TEST(ChaosSiteAddresses, ParsesGetentOutputInOrderWithoutRepeats) {
  const std::string output =
      "198.18.0.20     STREAM www.foobar.com\n"
      "198.18.0.20     DGRAM  \n"
      "198.18.0.20     RAW    \n"
      "198.18.0.10     STREAM \n"
      "198.18.0.10     DGRAM  \n";
  EXPECT_EQ(ParseGetentAddresses(output), (std::vector<std::string>{"198.18.0.20", "198.18.0.10"}));
  EXPECT_TRUE(ParseGetentAddresses("").empty());
  EXPECT_TRUE(ParseGetentAddresses("not-an-address STREAM x\n\n").empty());
}

}  // namespace
}  // namespace foobar::ctl::chaos
