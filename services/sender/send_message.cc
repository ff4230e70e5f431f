#include "common/telegram/json_write.h"
#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> SendMessageCall(int64_t chat_id, const v1::SendMessage& message) {
  if (message.text().empty()) return absl::InvalidArgumentError("send_message: no text");
  boost::json::object params{{"chat_id", chat_id}, {"text", message.text()}};
  if (!message.parse_mode().empty()) params["parse_mode"] = message.parse_mode();
  if (message.keyboard_size() > 0) params["reply_markup"] = telegram::InlineKeyboardToJson(message.keyboard());
  if (message.reply_to_message_id() != 0) {
    // The replied-to message may be gone by now (deleted by the policy itself): send anyway.
    params["reply_parameters"] =
        boost::json::object{{"message_id", message.reply_to_message_id()}, {"allow_sending_without_reply", true}};
  }
  return BotApiCall{"sendMessage", std::move(params)};
}

}  // namespace subguard::sender
