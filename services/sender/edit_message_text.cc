#include "absl/strings/match.h"
#include "common/telegram/errors.h"
#include "common/telegram/json_write.h"
#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> EditMessageTextCall(int64_t chat_id, const v1::EditMessageText& edit) {
  if (edit.message_id() == 0) return absl::InvalidArgumentError("edit_message_text: no message_id");
  if (edit.text().empty()) return absl::InvalidArgumentError("edit_message_text: no text");
  boost::json::object params{{"chat_id", chat_id}, {"message_id", edit.message_id()}, {"text", edit.text()}};
  if (!edit.parse_mode().empty()) params["parse_mode"] = edit.parse_mode();
  if (edit.keyboard_size() > 0) params["reply_markup"] = telegram::InlineKeyboardToJson(edit.keyboard());
  return BotApiCall{"editMessageText", std::move(params)};
}

std::optional<std::string_view> EditDoneAnyway(const v1::Action& action, const absl::Status& error) {
  if (!action.has_edit_message_text() || telegram::BotApiErrorCode(error) != 400) return std::nullopt;
  if (absl::StrContains(error.message(), "message is not modified")) return "unmodified";
  if (absl::StrContains(error.message(), "message to edit not found")) return "edit_target_gone";
  return std::nullopt;
}

}  // namespace subguard::sender
