#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> UnbanMemberCall(int64_t chat_id, const v1::UnbanMember& unban) {
  if (unban.user_id() == 0) return absl::InvalidArgumentError("unban_member: no user_id");
  // Without only_if_banned Telegram removes a current member: never send that.
  if (!unban.only_if_banned()) return absl::InvalidArgumentError("unban_member: only_if_banned must be set");
  return BotApiCall{"unbanChatMember", {{"chat_id", chat_id}, {"user_id", unban.user_id()}, {"only_if_banned", true}}};
}

}  // namespace subguard::sender
