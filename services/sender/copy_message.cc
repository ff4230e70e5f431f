#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> CopyMessageCall(int64_t chat_id, const v1::CopyMessage& copy) {
  if (copy.from_chat_id() == 0 || copy.message_id() == 0)
    return absl::InvalidArgumentError("copy_message: no source post");
  return BotApiCall{"copyMessage", boost::json::object{{"chat_id", chat_id},
                                                       {"from_chat_id", copy.from_chat_id()},
                                                       {"message_id", copy.message_id()}}};
}

}  // namespace subguard::sender
