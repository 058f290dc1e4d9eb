// The write-retry rules. Errors that reach here from the insert job already separate
// "sent, then lost" (kDbErrOutcomeUnknown) from connection errors before sending (connect
// failures, CR_SERVER_GONE_ERROR when the request could not be written, a failed prepare).
#include "app/write_retry.h"

#include "app/db_errors.h"

namespace foobar::app {

WriteFailure ClassifyWriteFailure(int code) {
  if (code == kDbErrOutcomeUnknown) return WriteFailure::kOutcomeUnknown;
  if (code == kDbErrNoPrimary) return WriteFailure::kNotApplied;
  switch (ClassifyDbError(code)) {
    case DbErrorKind::kConnection:
    case DbErrorKind::kReadOnly:
      return WriteFailure::kNotApplied;
    case DbErrorKind::kUnavailable:  // overloaded, shutting down: retrying adds load
    case DbErrorKind::kStatement:
      return WriteFailure::kFinal;
  }
  return WriteFailure::kFinal;
}

bool ShouldRetryWrite(WriteFailure failure, bool has_idempotency_key, int attempts_made) {
  if (attempts_made >= 2) return false;
  switch (failure) {
    case WriteFailure::kNotApplied:
      return true;
    case WriteFailure::kOutcomeUnknown:
      return has_idempotency_key;
    case WriteFailure::kFinal:
      return false;
  }
  return false;
}

Error FinalWriteError(bool some_outcome_unknown, Error last) {
  // A conflict is definite: the key names another message, so ours was not stored under it.
  if (some_outcome_unknown && last.code != kDbErrOutcomeUnknown &&
      last.code != kDbErrIdempotencyConflict) {
    return Error{kDbErrOutcomeUnknown,
                 "an earlier attempt may have stored it; then: " + last.message};
  }
  return last;
}

}  // namespace foobar::app
