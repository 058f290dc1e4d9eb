// Error classification. Every client-side error (2000-2999) leaves Connector/C's
// connection in an unknown state, so all of them discard the connection.
#include "app/db_errors.h"

#include <errmsg.h>
#include <mysqld_error.h>

namespace foobar::app {

DbErrorKind ClassifyDbError(int code) {
  if (code == kDbErrBadResult || code == kDbErrIdempotencyConflict) return DbErrorKind::kStatement;
  if (code == kDbErrOutcomeUnknown) return DbErrorKind::kConnection;
  if (code < 0) return DbErrorKind::kUnavailable;
  if (code >= CR_MIN_ERROR && code <= CR_MAX_ERROR) return DbErrorKind::kConnection;
  switch (code) {
    case ER_OPTION_PREVENTS_STATEMENT:  // --read-only
    case ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:
      return DbErrorKind::kReadOnly;
    case ER_CON_COUNT_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_ERROR:
    case ER_SERVER_SHUTDOWN:
    case ER_ABORTING_CONNECTION:
    case ER_NEW_ABORTING_CONNECTION:
    case ER_NET_PACKETS_OUT_OF_ORDER:
    case ER_NET_READ_ERROR:
    case ER_NET_READ_INTERRUPTED:
    case ER_NET_ERROR_ON_WRITE:
    case ER_NET_WRITE_INTERRUPTED:
    case ER_UNKNOWN_STMT_HANDLER:  // our statement cache no longer matches the server
    case ER_CONNECTION_KILLED:
      return DbErrorKind::kConnection;
    default:
      return DbErrorKind::kStatement;
  }
}

}  // namespace foobar::app
