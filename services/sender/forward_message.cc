#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> ForwardMessageCall(int64_t chat_id, const v1::ForwardMessage& forward) {
  if (forward.from_chat_id() == 0 || forward.message_id() == 0) {
    return absl::InvalidArgumentError("forward_message: no source post");
  }
  return BotApiCall{"forwardMessage", boost::json::object{{"chat_id", chat_id},
                                                          {"from_chat_id", forward.from_chat_id()},
                                                          {"message_id", forward.message_id()}}};
}

absl::StatusOr<BotApiCall> ForwardMessagesCall(int64_t chat_id, const v1::ForwardMessages& forward) {
  if (forward.from_chat_id() == 0 || forward.message_ids().empty()) {
    return absl::InvalidArgumentError("forward_messages: no source posts");
  }
  boost::json::array ids;
  for (int64_t id : forward.message_ids()) ids.push_back(id);
  return BotApiCall{
      forward.copy() ? "copyMessages" : "forwardMessages",
      boost::json::object{
          {"chat_id", chat_id}, {"from_chat_id", forward.from_chat_id()}, {"message_ids", std::move(ids)}}};
}

}  // namespace subguard::sender
