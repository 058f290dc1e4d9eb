// What a database error means for the caller: drop the connection, look for a new
// primary, or neither. Codes are MariaDB/Connector-C errnos, plus the negative codes below
// for failures detected by the app itself.
#pragma once

namespace foobar::app {

inline constexpr int kDbErrNoPrimary = -1;     // no writable server known right now
inline constexpr int kDbErrOverloaded = -2;    // pool queue full or request queued too long
inline constexpr int kDbErrShuttingDown = -3;  // pool stopped
inline constexpr int kDbErrBadResult = -4;     // result shape not as expected
// A write was sent and then the connection failed (lost, timed out, killed): it may or may
// not have committed. Also a connection error (the connection is discarded).
inline constexpr int kDbErrOutcomeUnknown = -5;
// The Idempotency-Key names a stored message with another author or body.
inline constexpr int kDbErrIdempotencyConflict = -6;

enum class DbErrorKind {
  kConnection,   // the connection is unusable: discard it, recheck the primary
  kReadOnly,     // the server refused a write as read-only: recheck the primary
  kUnavailable,  // nothing was sent to a server (no primary, overload, shutdown)
  kStatement,    // the statement failed; the connection is still fine
};

DbErrorKind ClassifyDbError(int code);

}  // namespace foobar::app
