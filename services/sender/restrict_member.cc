#include "common/telegram/json_write.h"
#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> RestrictMemberCall(int64_t chat_id, const v1::RestrictMember& restrict) {
  if (restrict.user_id() == 0) return absl::InvalidArgumentError("restrict_member: no user_id");
  // Every permission off, each stated on its own: without use_independent_chat_permissions Telegram
  // derives some permissions from others, and a restriction must not depend on that.
  boost::json::object params{{"chat_id", chat_id},
                             {"user_id", restrict.user_id()},
                             {"permissions", telegram::ChatPermissionsToJson(v1::ChatPermissions())},
                             {"use_independent_chat_permissions", true}};
  if (restrict.until_date() != 0) params["until_date"] = restrict.until_date();
  return BotApiCall{"restrictChatMember", std::move(params)};
}

}  // namespace subguard::sender
