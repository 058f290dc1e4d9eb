// What to do when a write (POST /api/messages) fails, around a failover. A write the server
// never ran (it was read-only, or the connection failed before the statement was sent, or
// no primary was known) is retried once on the rediscovered primary. A write whose outcome
// is unknown (sent, then the connection failed) is retried only under an Idempotency-Key,
// whose unique index turns a second copy into "return the first"; without a key the client
// is told the truth: it may or may not have been stored. Never a silent loss or a duplicate.
#pragma once

#include "common/result.h"

namespace foobar::app {

enum class WriteFailure {
  kNotApplied,      // certainly not stored: retry after rediscovering the primary
  kOutcomeUnknown,  // maybe stored
  kFinal,           // an answer that stands: overload, shutdown, a statement error
};

WriteFailure ClassifyWriteFailure(int code);

// Whether to try again after `failure`, given how many attempts were made (1 = the first).
bool ShouldRetryWrite(WriteFailure failure, bool has_idempotency_key, int attempts_made);

// The error the client's answer is made from once no attempt is left: whenever an attempt
// may have stored the message, that (kDbErrOutcomeUnknown) wins over the last error, except
// over an Idempotency-Key conflict, which is definite.
Error FinalWriteError(bool some_outcome_unknown, Error last);

}  // namespace foobar::app
