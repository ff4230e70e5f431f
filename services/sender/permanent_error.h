// Why Telegram refused an action for good, as a low-cardinality label for
// subguard_sender_permanent_errors_total{method,reason} (SenderMetrics). The Executor calls it for every
// action it acknowledges as failed. Pure; thread-safe.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace subguard::sender {

// "not_enough_rights" (the bot lacks an admin right), "chat_not_found", "user_not_found", "forbidden"
// (403: the bot was kicked, or blocked by the user), "bad_request" (any other 400), or "other" (an action
// that can never become a call, or another code).
std::string_view PermanentErrorReason(const absl::Status& error);

}  // namespace subguard::sender
