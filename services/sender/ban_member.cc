#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> BanMemberCall(int64_t chat_id, const v1::BanMember& ban) {
  if (ban.user_id() == 0) return absl::InvalidArgumentError("ban_member: no user_id");
  boost::json::object params{{"chat_id", chat_id}, {"user_id", ban.user_id()}};
  if (ban.until_date() != 0) params["until_date"] = ban.until_date();
  return BotApiCall{"banChatMember", std::move(params)};
}

}  // namespace subguard::sender
