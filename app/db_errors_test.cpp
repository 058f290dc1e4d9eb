#include "app/db_errors.h"

#include <gtest/gtest.h>

namespace foobar::app {
namespace {

TEST(ClassifyDbErrorTest, Kinds) {
  EXPECT_EQ(ClassifyDbError(2006), DbErrorKind::kConnection);  // server gone
  EXPECT_EQ(ClassifyDbError(2013), DbErrorKind::kConnection);  // lost during query
  EXPECT_EQ(ClassifyDbError(2003), DbErrorKind::kConnection);  // cannot connect
  EXPECT_EQ(ClassifyDbError(1927), DbErrorKind::kConnection);  // connection killed
  EXPECT_EQ(ClassifyDbError(1053), DbErrorKind::kConnection);  // server shutdown
  EXPECT_EQ(ClassifyDbError(1045), DbErrorKind::kConnection);  // access denied
  EXPECT_EQ(ClassifyDbError(1290), DbErrorKind::kReadOnly);    // --read-only
  EXPECT_EQ(ClassifyDbError(1792), DbErrorKind::kReadOnly);
  EXPECT_EQ(ClassifyDbError(1146), DbErrorKind::kStatement);  // no such table
  EXPECT_EQ(ClassifyDbError(1062), DbErrorKind::kStatement);  // duplicate key
  EXPECT_EQ(ClassifyDbError(kDbErrNoPrimary), DbErrorKind::kUnavailable);
  EXPECT_EQ(ClassifyDbError(kDbErrOverloaded), DbErrorKind::kUnavailable);
  EXPECT_EQ(ClassifyDbError(kDbErrBadResult), DbErrorKind::kStatement);
  EXPECT_EQ(ClassifyDbError(kDbErrOutcomeUnknown), DbErrorKind::kConnection);
  EXPECT_EQ(ClassifyDbError(kDbErrIdempotencyConflict), DbErrorKind::kStatement);
}

}  // namespace
}  // namespace foobar::app
