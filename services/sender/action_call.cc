#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> ToBotApiCall(const v1::Action& action) {
  switch (action.kind_case()) {
    case v1::Action::kRestrictMember:
      return RestrictMemberCall(action.chat_id(), action.restrict_member());
    case v1::Action::kLiftRestriction:
      return LiftRestrictionCall(action.chat_id(), action.lift_restriction());
    case v1::Action::kSendMessage:
      return SendMessageCall(action.chat_id(), action.send_message());
    case v1::Action::kAnswerCallback:
      return AnswerCallbackCall(action.answer_callback());
    case v1::Action::kDeleteMessage:
      return DeleteMessageCall(action.chat_id(), action.delete_message());
    case v1::Action::kBanMember:
      return BanMemberCall(action.chat_id(), action.ban_member());
    case v1::Action::kUnbanMember:
      return UnbanMemberCall(action.chat_id(), action.unban_member());
    case v1::Action::kForwardMessage:
      return ForwardMessageCall(action.chat_id(), action.forward_message());
    case v1::Action::kCopyMessage:
      return CopyMessageCall(action.chat_id(), action.copy_message());
    case v1::Action::kForwardMessages:
      return ForwardMessagesCall(action.chat_id(), action.forward_messages());
    case v1::Action::kEditMessageText:
      return EditMessageTextCall(action.chat_id(), action.edit_message_text());
    case v1::Action::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("action has no kind");
}

bool IsIdempotent(const v1::Action& action) {
  switch (action.kind_case()) {
    case v1::Action::kSendMessage:
    case v1::Action::kForwardMessage:
    case v1::Action::kCopyMessage:
    case v1::Action::kForwardMessages:
      return false;
    default:
      return true;
  }
}

std::string_view KindName(const v1::Action& action) {
  switch (action.kind_case()) {
    case v1::Action::kRestrictMember:
      return "restrict_member";
    case v1::Action::kLiftRestriction:
      return "lift_restriction";
    case v1::Action::kSendMessage:
      return "send_message";
    case v1::Action::kAnswerCallback:
      return "answer_callback";
    case v1::Action::kDeleteMessage:
      return "delete_message";
    case v1::Action::kBanMember:
      return "ban_member";
    case v1::Action::kUnbanMember:
      return "unban_member";
    case v1::Action::kForwardMessage:
      return "forward_message";
    case v1::Action::kCopyMessage:
      return "copy_message";
    case v1::Action::kForwardMessages:
      return "forward_messages";
    case v1::Action::kEditMessageText:
      return "edit_message_text";
    case v1::Action::KIND_NOT_SET:
      break;
  }
  return "none";
}

}  // namespace subguard::sender
