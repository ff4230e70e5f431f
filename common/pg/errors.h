// The one place that turns a libpqxx exception into a Status, chosen by what the caller should do next:
//   kUnavailable        the connection broke or could not be opened, the server is shutting down or
//                       out of connections: retry, on a new connection
//   kAborted            serialization failure or deadlock: restart the whole transaction
//   kAlreadyExists      unique violation
//   kInvalidArgument    other constraint violations (check, not null, foreign key) and bad data
//   kDeadlineExceeded   statement_timeout or a cancelled query
//   kUnknown            the commit's outcome is unknown (in_doubt_error)
//   kInternal           anything else (syntax errors, missing tables, usage errors): a bug, not retried
#pragma once

#include <exception>

#include "absl/status/status.h"

namespace subguard::pg {

absl::Status StatusFromException(const std::exception& error);

}  // namespace subguard::pg
