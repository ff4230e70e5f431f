#include "services/sender/migrated_chat.h"

namespace subguard::sender {

std::optional<v1::Action> InMigratedChat(const v1::Action& action, int64_t to_chat_id) {
  if (to_chat_id == 0 || to_chat_id == action.chat_id()) return std::nullopt;
  switch (action.kind_case()) {
    case v1::Action::kDeleteMessage:
    case v1::Action::kEditMessageText:
    case v1::Action::kAnswerCallback:  // names no chat
    case v1::Action::KIND_NOT_SET:
      return std::nullopt;
    default:
      break;
  }
  v1::Action moved = action;
  moved.set_chat_id(to_chat_id);
  if (moved.has_send_message()) {
    moved.mutable_send_message()->clear_reply_to_message_id();
    // The old group's pending prompts stay behind (keyed by its id): the prompt names its own user only.
    moved.mutable_send_message()->clear_batch();
  }
  return moved;
}

}  // namespace subguard::sender
