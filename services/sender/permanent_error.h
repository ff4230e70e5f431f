// Why Telegram refused an action for good, as a low-cardinality label for
// subguard_sender_permanent_errors_total{method,reason} (SenderMetrics), and the record of the refusal
// the verifiers fold into audit_log (common/registry/permanent_errors.h). The Executor calls both for
// every action it acknowledges as failed. Pure; thread-safe.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/registry/permanent_errors.h"
#include "subguard/v1/action.pb.h"

namespace subguard::sender {

// "not_enough_rights" (the bot lacks an admin right), "chat_not_found", "user_not_found", "forbidden"
// (403: the bot was kicked, or blocked by the user), "bad_request" (any other 400), or "other" (an action
// that can never become a call, or another code).
std::string_view PermanentErrorReason(const absl::Status& error);

// The record of Telegram's refusal of action's call to method at time at.
registry::PermanentError DescribePermanentError(const v1::Action& action, std::string_view method,
                                                const absl::Status& error, absl::Time at);

}  // namespace subguard::sender
