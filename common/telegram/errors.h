// The one place that turns a Bot API reply into a Status (STYLE.md section 5): the code says what the
// caller should do next.
//   kResourceExhausted  429 Too Many Requests; RetryAfter() gives the pause Telegram asked for
//   kInvalidArgument    400 and other 4xx (bad request, chat not found, not enough rights): never retry
//   kPermissionDenied   403 (bot kicked, blocked by the user): never retry, tell the owner
//   kUnauthenticated    401 and 404 (Telegram answers 404 to a wrong token): fix the configuration
//   kFailedPrecondition 409 Conflict (another getUpdates poller, or a webhook is set): retrying the
//                       same call cannot succeed until the other side goes away
//   kUnavailable        5xx, or any status that is neither 2xx nor 4xx: retry with backoff
//   kInternal           a 2xx reply that is not the Bot API's JSON
// The message is "telegram <error_code>: <description>"; the description is Telegram's own text,
// which never contains the bot token. Thread-safe (pure functions).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace subguard::telegram {

// http_status and body are the raw reply; body is the Bot API's JSON
// ({"ok":false,"error_code":429,"description":"...","parameters":{"retry_after":5}}) when it parses.
// Returns the "result" of an {"ok":true,"result":...} reply (null when absent), else the error.
absl::StatusOr<boost::json::value> ParseReply(int http_status, std::string_view body);

// ParseReply without the result: OK only for {"ok":true,...}. The Status carries the error_code and
// retry_after as payloads.
absl::Status ClassifyError(int http_status, std::string_view body);

// The retry_after of a 429, if the status carries one.
std::optional<absl::Duration> RetryAfter(const absl::Status& status);
// The supergroup a basic group became, when a call named the old group (400 "group chat was upgraded to a
// supergroup chat" with parameters.migrate_to_chat_id).
std::optional<int64_t> MigrateToChatId(const absl::Status& status);
// The Bot API error_code the status came from (429, 400, ...), or 0 (transport errors, OK).
int BotApiErrorCode(const absl::Status& status);
// True for errors worth retrying: 429, 5xx, network, timeouts.
bool IsRetryable(const absl::Status& status);

// The same status (code and payloads) with "context: " before its message.
absl::Status WithContext(const absl::Status& status, std::string_view context);

}  // namespace subguard::telegram
