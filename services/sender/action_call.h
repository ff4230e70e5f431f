// The Bot API call that carries out one Action: one small function per action kind, each in its own
// file (restrict_member.cc, lift_restriction.cc, send_message.cc, answer_callback.cc,
// delete_message.cc, ban_member.cc, unban_member.cc, forward_message.cc, copy_message.cc,
// edit_message_text.cc), and ToBotApiCall choosing
// among them. Pure: no I/O. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "subguard/v1/action.pb.h"

namespace subguard::sender {

struct BotApiCall {
  std::string method;
  boost::json::object params;
};

// The call for action. kInvalidArgument for an action without a kind or without a field its call
// cannot do without (a user, a text, a callback id, a message id): such an action can never succeed.
absl::StatusOr<BotApiCall> ToBotApiCall(const v1::Action& action);

// True when running the action twice leaves Telegram as running it once (restricting, lifting,
// answering a callback, deleting, editing a text); false for sending, forwarding and copying, whose repeat is a second
// message.
bool IsIdempotent(const v1::Action& action);

// The kind's name for metrics and logs: "restrict_member", ..., "none" without a kind.
std::string_view KindName(const v1::Action& action);

// One per kind; chat_id is the Action's chat.
absl::StatusOr<BotApiCall> RestrictMemberCall(int64_t chat_id, const v1::RestrictMember& restrict);
absl::StatusOr<BotApiCall> LiftRestrictionCall(int64_t chat_id, const v1::LiftRestriction& lift);
absl::StatusOr<BotApiCall> SendMessageCall(int64_t chat_id, const v1::SendMessage& message);
absl::StatusOr<BotApiCall> AnswerCallbackCall(const v1::AnswerCallback& answer);
absl::StatusOr<BotApiCall> DeleteMessageCall(int64_t chat_id, const v1::DeleteMessage& message);
absl::StatusOr<BotApiCall> BanMemberCall(int64_t chat_id, const v1::BanMember& ban);
absl::StatusOr<BotApiCall> UnbanMemberCall(int64_t chat_id, const v1::UnbanMember& unban);
absl::StatusOr<BotApiCall> ForwardMessageCall(int64_t chat_id, const v1::ForwardMessage& forward);
absl::StatusOr<BotApiCall> CopyMessageCall(int64_t chat_id, const v1::CopyMessage& copy);
// forwardMessages, or copyMessages when forward.copy().
absl::StatusOr<BotApiCall> ForwardMessagesCall(int64_t chat_id, const v1::ForwardMessages& forward);
absl::StatusOr<BotApiCall> EditMessageTextCall(int64_t chat_id, const v1::EditMessageText& edit);
// The outcome of an edit Telegram refused that counts as done, or nullopt: 400 "message is not
// modified" ("unmodified": the text is already there) and 400 "message to edit not found"
// ("edit_target_gone": someone deleted it; every later edit would fail the same way, an error for nobody).
std::optional<std::string_view> EditDoneAnyway(const v1::Action& action, const absl::Status& error);

}  // namespace subguard::sender
