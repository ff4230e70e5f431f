#include "services/sender/sent_messages.h"

#include "absl/strings/str_cat.h"

namespace subguard::sender {

absl::Status RememberSentMessage(redis::Pool& redis, const v1::Action& action, const boost::json::value& sent) {
  if (!action.has_send_message() || action.send_message().remember_id_as().empty()) return absl::OkStatus();
  const boost::json::value* id = sent.is_object() ? sent.as_object().if_contains("message_id") : nullptr;
  if (id == nullptr || !id->is_int64()) return absl::InvalidArgumentError("sent message has no message_id");
  // The chat Telegram says the message is in: a send moved to an upgraded group's supergroup
  // (migrated_chat.h) is not in the action's chat.
  int64_t chat_id = action.chat_id();
  if (const boost::json::value* chat = sent.as_object().if_contains("chat"); chat != nullptr && chat->is_object()) {
    if (const boost::json::value* chat_id_value = chat->as_object().if_contains("id");
        chat_id_value != nullptr && chat_id_value->is_int64()) {
      chat_id = chat_id_value->as_int64();
    }
  }
  return redis
      .Command({"SET", action.send_message().remember_id_as(), absl::StrCat(chat_id, ":", id->as_int64()), "EX",
                absl::StrCat(absl::ToInt64Seconds(kSentMessageIdTtl))})
      .status();
}

}  // namespace subguard::sender
