#include "services/sender/migrated_chat.h"

namespace subguard::sender {
namespace {

// The chat a forward or copy takes its post from; 0 for other actions.
int64_t SourceChatId(const v1::Action& action) {
  switch (action.kind_case()) {
    case v1::Action::kForwardMessage:
      return action.forward_message().from_chat_id();
    case v1::Action::kCopyMessage:
      return action.copy_message().from_chat_id();
    case v1::Action::kForwardMessages:
      return action.forward_messages().from_chat_id();
    default:
      return 0;
  }
}

}  // namespace

bool IsBasicGroupId(int64_t chat_id) { return chat_id < 0 && chat_id > -1'000'000'000'000; }

std::optional<v1::Action> InMigratedChat(const v1::Action& action, int64_t to_chat_id) {
  if (to_chat_id == 0 || to_chat_id == action.chat_id()) return std::nullopt;
  // Only a basic group is upgraded. When the post's source is one too, the error may be about either.
  if (!IsBasicGroupId(action.chat_id()) || IsBasicGroupId(SourceChatId(action))) return std::nullopt;
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
