#include "services/sender/permanent_error.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/telegram/errors.h"

namespace subguard::sender {

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

}  // namespace subguard::sender
