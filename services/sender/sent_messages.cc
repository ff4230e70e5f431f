#include "services/sender/sent_messages.h"

#include "absl/strings/str_cat.h"

namespace subguard::sender {

absl::Status RememberSentMessage(redis::Pool& redis, const v1::Action& action, const boost::json::value& sent) {
  if (!action.has_send_message() || action.send_message().remember_id_as().empty()) return absl::OkStatus();
  const boost::json::value* id = sent.is_object() ? sent.as_object().if_contains("message_id") : nullptr;
  if (id == nullptr || !id->is_int64()) return absl::InvalidArgumentError("sent message has no message_id");
  return redis
      .Command({"SET", action.send_message().remember_id_as(), absl::StrCat(id->as_int64()), "EX",
                absl::StrCat(absl::ToInt64Seconds(kSentMessageIdTtl))})
      .status();
}

}  // namespace subguard::sender
