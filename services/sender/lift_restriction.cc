#include "common/telegram/json_write.h"
#include "services/sender/action_call.h"

namespace subguard::sender {

absl::StatusOr<BotApiCall> LiftRestrictionCall(int64_t chat_id, const v1::LiftRestriction& lift) {
  if (lift.user_id() == 0) return absl::InvalidArgumentError("lift_restriction: no user_id");
  // The group's own default permissions, stated field by field, so the member ends up exactly like
  // any other member (never with more rights than the group grants).
  return BotApiCall{"restrictChatMember",
                    {{"chat_id", chat_id},
                     {"user_id", lift.user_id()},
                     {"permissions", telegram::ChatPermissionsToJson(lift.permissions())},
                     {"use_independent_chat_permissions", true}}};
}

}  // namespace subguard::sender
