#include "ctl/chaos/write_audit.h"

#include <gtest/gtest.h>

namespace foobar::ctl::chaos {
namespace {

TEST(ChaosWriteAudit, CountsLostDuplicateAndUnackedWrites) {
  std::vector<SentWrite> writes = {
      {"k1", true, 1},    // stored once under its id: fine
      {"k2", true, 2},    // lost
      {"k3", true, 3},    // stored twice: duplicate
      {"k4", true, 4},    // stored under another id: duplicate
      {"k5", false, -1},  // timed out, but stored once
      {"k6", false, -1},  // failed, not stored: fine
      {"k7", true, -1},   // 201 without an id, stored once: fine
  };
  std::vector<StoredRow> rows = {{"k1", 1}, {"k3", 3}, {"k3", 9}, {"k4", 40}, {"k5", 5}, {"k7", 7}};
  const WriteAudit audit = AuditWrites(writes, rows);
  EXPECT_EQ(audit.acked, 5u);
  EXPECT_EQ(audit.lost, 1u);
  EXPECT_EQ(audit.lost_keys, std::vector<std::string>{"k2"});
  EXPECT_EQ(audit.duplicates, 2u);
  EXPECT_EQ(audit.duplicate_keys, (std::vector<std::string>{"k3", "k4"}));
  EXPECT_EQ(audit.stored_unacked, 1u);
}

TEST(ChaosWriteAudit, NothingSentNothingFound) {
  const WriteAudit audit = AuditWrites({}, {});
  EXPECT_EQ(audit.acked, 0u);
  EXPECT_EQ(audit.lost, 0u);
  EXPECT_EQ(audit.duplicates, 0u);
}

TEST(ChaosWriteAudit, BodyCarriesTheKey) {
  EXPECT_EQ(WriteBody("chaos-r-1"), "chaos write chaos-r-1");
  EXPECT_NE(WriteBody("a"), WriteBody("b"));
}

}  // namespace
}  // namespace foobar::ctl::chaos
