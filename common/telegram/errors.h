// The one place that turns a Bot API reply into a Status.
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace subguard::telegram {

// http_status and body are the raw reply; body is the Bot API's JSON
// ({"ok":false,"error_code":429,"description":"...","parameters":{"retry_after":5}}) when it parses.
// Returns OK only for {"ok":true,...}. The Status carries the error_code and retry_after as payloads.
absl::Status ClassifyError(int http_status, std::string_view body);

// The retry_after of a 429, if the status carries one.
std::optional<absl::Duration> RetryAfter(const absl::Status& status);
// The Bot API error_code the status came from (429, 400, ...), or 0.
int BotApiErrorCode(const absl::Status& status);
// True for errors worth retrying: 429, 5xx, network, timeouts.
bool IsRetryable(const absl::Status& status);

}  // namespace subguard::telegram
