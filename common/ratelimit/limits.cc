#include "common/ratelimit/limits.h"

namespace subguard::ratelimit {

std::string_view CallClassName(CallClass call_class) {
  switch (call_class) {
    case CallClass::kMessage:
      return "message";
    case CallClass::kModeration:
      return "moderation";
    case CallClass::kOther:
      return "other";
    case CallClass::kRead:
      return "read";
  }
  return "other";
}

CallClass ClassOf(std::string_view method) {
  if (method.starts_with("send") || method.starts_with("editMessage") || method.starts_with("forwardMessage") ||
      method.starts_with("copyMessage")) {
    return CallClass::kMessage;
  }
  if (method == "restrictChatMember" || method == "banChatMember" || method == "unbanChatMember" ||
      method == "deleteMessage" || method == "deleteMessages" || method == "banChatSenderChat") {
    return CallClass::kModeration;
  }
  if (method.starts_with("getChat")) return CallClass::kRead;
  return CallClass::kOther;
}

}  // namespace subguard::ratelimit
