#include "tests/e2e/replies.h"

#include <boost/json/object.hpp>
#include <regex>

#include "absl/strings/numbers.h"
#include "tests/harness/process.h"

namespace subguard::e2e {

std::string WaitForReply(sandbox::ControlClient& control, int64_t chat, int64_t message_id, absl::Duration deadline) {
  std::string text;
  harness::WaitFor(
      [&] {
        auto messages = control.Messages(chat);
        if (!messages.ok()) return false;
        for (const auto& value : *messages) {
          const boost::json::object& message = value.as_object();
          const auto* replied = message.if_contains("reply_to_message");
          if (!message.at("outgoing").as_bool() || replied == nullptr ||
              replied->as_object().at("message_id").as_int64() != message_id) {
            continue;
          }
          text = std::string(message.at("text").as_string());
          return true;
        }
        return false;
      },
      deadline);
  return text;
}

int64_t ParamInt(const boost::json::object& params, std::string_view key) {
  const auto* value = params.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  int64_t parsed = 0;
  if (value->is_string() && absl::SimpleAtoi(std::string(value->as_string()), &parsed)) return parsed;
  return 0;
}

std::vector<int64_t> MentionedUsers(std::string_view text) {
  static const std::regex kMention("tg://user\\?id=(\\d+)");
  std::vector<int64_t> users;
  for (auto it = std::cregex_iterator(text.data(), text.data() + text.size(), kMention); it != std::cregex_iterator();
       ++it) {
    int64_t user = 0;
    if (absl::SimpleAtoi((*it)[1].str(), &user)) users.push_back(user);
  }
  return users;
}

}  // namespace subguard::e2e
