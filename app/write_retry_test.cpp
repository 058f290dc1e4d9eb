#include "app/write_retry.h"

#include <errmsg.h>
#include <gtest/gtest.h>
#include <mysqld_error.h>

#include "app/db_errors.h"

namespace foobar::app {
namespace {

TEST(ClassifyWriteFailureTest, NotAppliedWhenTheServerNeverRanIt) {
  EXPECT_EQ(ClassifyWriteFailure(ER_OPTION_PREVENTS_STATEMENT), WriteFailure::kNotApplied);
  EXPECT_EQ(ClassifyWriteFailure(kDbErrNoPrimary), WriteFailure::kNotApplied);
  EXPECT_EQ(ClassifyWriteFailure(CR_CONN_HOST_ERROR), WriteFailure::kNotApplied);  // connect
  EXPECT_EQ(ClassifyWriteFailure(CR_SERVER_GONE_ERROR), WriteFailure::kNotApplied);
}

TEST(ClassifyWriteFailureTest, UnknownOnlyWhenLostAfterSending) {
  EXPECT_EQ(ClassifyWriteFailure(kDbErrOutcomeUnknown), WriteFailure::kOutcomeUnknown);
}

TEST(ClassifyWriteFailureTest, FinalForEverythingElse) {
  EXPECT_EQ(ClassifyWriteFailure(kDbErrOverloaded), WriteFailure::kFinal);
  EXPECT_EQ(ClassifyWriteFailure(kDbErrShuttingDown), WriteFailure::kFinal);
  EXPECT_EQ(ClassifyWriteFailure(kDbErrIdempotencyConflict), WriteFailure::kFinal);
  EXPECT_EQ(ClassifyWriteFailure(ER_DUP_ENTRY), WriteFailure::kFinal);
  EXPECT_EQ(ClassifyWriteFailure(ER_NO_SUCH_TABLE), WriteFailure::kFinal);
}

TEST(ShouldRetryWriteTest, OnceForNotApplied) {
  EXPECT_TRUE(ShouldRetryWrite(WriteFailure::kNotApplied, false, 1));
  EXPECT_TRUE(ShouldRetryWrite(WriteFailure::kNotApplied, true, 1));
  EXPECT_FALSE(ShouldRetryWrite(WriteFailure::kNotApplied, true, 2));
}

TEST(ShouldRetryWriteTest, UnknownOutcomeOnlyWithAKey) {
  EXPECT_TRUE(ShouldRetryWrite(WriteFailure::kOutcomeUnknown, true, 1));
  EXPECT_FALSE(ShouldRetryWrite(WriteFailure::kOutcomeUnknown, false, 1));
  EXPECT_FALSE(ShouldRetryWrite(WriteFailure::kOutcomeUnknown, true, 2));
}

TEST(ShouldRetryWriteTest, NeverForFinal) {
  EXPECT_FALSE(ShouldRetryWrite(WriteFailure::kFinal, true, 1));
  EXPECT_FALSE(ShouldRetryWrite(WriteFailure::kFinal, false, 1));
}

TEST(FinalWriteErrorTest, MaybeStoredWinsOverALaterError) {
  EXPECT_EQ(FinalWriteError(true, Error{kDbErrNoPrimary, "none"}).code, kDbErrOutcomeUnknown);
  EXPECT_EQ(FinalWriteError(true, Error{kDbErrOutcomeUnknown, "lost"}).message, "lost");
  EXPECT_EQ(FinalWriteError(false, Error{kDbErrNoPrimary, "none"}).code, kDbErrNoPrimary);
  EXPECT_EQ(FinalWriteError(true, Error{kDbErrIdempotencyConflict, "x"}).code,
            kDbErrIdempotencyConflict);
}

}  // namespace
}  // namespace foobar::app
