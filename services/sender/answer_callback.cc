#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> AnswerCallbackCall(const v1::AnswerCallback& answer) {
  if (answer.callback_query_id().empty()) return absl::InvalidArgumentError("answer_callback: no callback_query_id");
  boost::json::object params{{"callback_query_id", answer.callback_query_id()}};
  if (!answer.text().empty()) params["text"] = answer.text();
  if (answer.show_alert()) params["show_alert"] = true;
  return BotApiCall{"answerCallbackQuery", std::move(params)};
}

}  // namespace subguard::sender
