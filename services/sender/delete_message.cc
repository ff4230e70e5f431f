#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> DeleteMessageCall(int64_t chat_id, const v1::DeleteMessage& message) {
  if (message.message_id() == 0) return absl::InvalidArgumentError("delete_message: no message_id");
  return BotApiCall{"deleteMessage", {{"chat_id", chat_id}, {"message_id", message.message_id()}}};
}

}  // namespace subguard::sender
