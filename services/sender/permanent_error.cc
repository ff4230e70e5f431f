#include "services/sender/permanent_error.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/telegram/errors.h"

namespace subguard::sender {
namespace {

// The user an action is about; 0 for messages, answers, deletions and posts.
int64_t UserOf(const v1::Action& action) {
  switch (action.kind_case()) {
    case v1::Action::kRestrictMember:
      return action.restrict_member().user_id();
    case v1::Action::kLiftRestriction:
      return action.lift_restriction().user_id();
    case v1::Action::kBanMember:
      return action.ban_member().user_id();
    case v1::Action::kUnbanMember:
      return action.unban_member().user_id();
    default:
      return 0;
  }
}

// Telegram's own description: the status message after "telegram <error_code>: " (common/telegram/errors.h),
// or the whole message when it did not come from Telegram.
std::string Description(const absl::Status& error, int error_code) {
  const std::string_view message = base::ToStd(error.message());
  const std::string prefix = absl::StrCat("telegram ", error_code, ": ");
  const size_t at = error_code == 0 ? std::string_view::npos : message.find(prefix);
  return std::string(at == std::string_view::npos ? message : message.substr(at + prefix.size()));
}

}  // namespace

std::string_view PermanentErrorReason(const absl::Status& error) {
  // Telegram's descriptions ("Bad Request: not enough rights to restrict/unrestrict chat member") are the
  // only place the cause is told apart.
  const std::string description = absl::AsciiStrToLower(error.message());
  switch (telegram::BotApiErrorCode(error)) {
    case 403:
      return "forbidden";
    case 400:
      if (absl::StrContains(description, "not enough rights")) return "not_enough_rights";
      if (absl::StrContains(description, "chat not found")) return "chat_not_found";
      if (absl::StrContains(description, "user not found")) return "user_not_found";
      return "bad_request";
    default:
      return "other";
  }
}

registry::PermanentError DescribePermanentError(const v1::Action& action, std::string_view method,
                                                const absl::Status& error, absl::Time at) {
  const int error_code = telegram::BotApiErrorCode(error);
  return registry::PermanentError{.action_id = action.id(),
                                  .chat_id = action.chat_id(),
                                  .user_id = UserOf(action),
                                  .method = std::string(method),
                                  .reason = std::string(PermanentErrorReason(error)),
                                  .error_code = error_code,
                                  .description = Description(error, error_code),
                                  .at = at};
}

}  // namespace subguard::sender
