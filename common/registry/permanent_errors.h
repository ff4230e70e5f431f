// Permanent errors: every action a sender gave up on because Telegram refused it for good (400, 403;
// services/sender/permanent_error.h), reported into one Redis stream that the verifiers fold into
// audit_log (kind 'error', services/verifier/permanent_error_loop.h), where the group's /status shows
// the last few. The same pattern as the monitor outcomes (decision 0009): a capped stream, a consumer
// group shared by the verifiers, at least once, an insert keyed by the action id.
//
// Written by the sender's Executor, read by the verifiers. Free functions; thread-safe as the
// redis::Pool is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/redis/client.h"

namespace subguard::registry {

// The stream (capped at about 10,000 entries: errors wait there only while no verifier folds them)
// and the verifiers' consumer group on it.
inline constexpr char kPermanentErrorsStream[] = "sg:{err}:permanent";
inline constexpr char kPermanentErrorsGroup[] = "verifiers";

struct PermanentError {
  std::string action_id;
  int64_t chat_id = 0;
  int64_t user_id = 0;      // the user the action was about; 0 for a message or a deletion
  std::string method;       // the Bot API method; "none" when the action never became a call
  std::string reason;       // the sender's label: not_enough_rights, chat_not_found, forbidden, ...
  int error_code = 0;       // Telegram's error_code, 0 when there was no call
  std::string description;  // Telegram's description
  absl::Time at;            // when the sender gave up
};

// Appends the error to the stream. kUnavailable when Redis cannot be reached.
absl::Status ReportPermanentError(redis::Pool& redis, const PermanentError& error);

// The error of one stream entry's field list ([field, value, ...]); nullopt for a malformed one.
std::optional<PermanentError> ParsePermanentError(const redis::Reply& fields);

}  // namespace subguard::registry
