// Builders of updates and configurations for decide/ unit tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/verifier/decide/types.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide::testing {

inline constexpr int64_t kGroupId = -1001000;
inline constexpr int64_t kChannelA = -1002001;
inline constexpr int64_t kChannelB = -1002002;
inline constexpr int64_t kUserId = 501;
inline constexpr BotIdentity kBot{.id = 900, .username = "GuardBot"};

inline v1::User User(int64_t id, std::string first_name = "Ann") {
  v1::User user;
  user.set_id(id);
  user.set_first_name(std::move(first_name));
  return user;
}

inline v1::Chat Chat(int64_t id, std::string type, std::string title = "Group") {
  v1::Chat chat;
  chat.set_id(id);
  chat.set_type(std::move(type));
  chat.set_title(std::move(title));
  return chat;
}

inline v1::Message GroupText(std::string text, int64_t from = kUserId, int64_t message_id = 10) {
  v1::Message message;
  message.set_message_id(message_id);
  *message.mutable_chat() = Chat(kGroupId, "supergroup");
  *message.mutable_from() = User(from);
  message.set_date(1'700'000'000);
  message.set_text(std::move(text));
  return message;
}

inline v1::Update MessageUpdate(v1::Message message, int64_t update_id = 77) {
  v1::Update update;
  update.set_update_id(update_id);
  update.set_chat_id(message.chat().id());
  *update.mutable_message() = std::move(message);
  return update;
}

inline v1::ChatMember Member(int64_t user_id, std::string status) {
  v1::ChatMember member;
  *member.mutable_user() = User(user_id);
  member.set_status(std::move(status));
  return member;
}

inline v1::ChatMember BotAdmin(bool can_restrict = true, bool can_delete = true) {
  v1::ChatMember bot = Member(kBot.id, "administrator");
  bot.set_can_restrict_members(can_restrict);
  bot.set_can_delete_messages(can_delete);
  return bot;
}

inline GroupConfig ProtectedGroup(std::vector<int64_t> channels = {kChannelA}) {
  GroupConfig config{.chat_id = kGroupId, .title = "Group"};
  for (int64_t id : channels) {
    config.channels.push_back(LinkedChannel{.id = id,
                                            .username = id == kChannelA ? "chan_a" : "",
                                            .title = "Channel " + std::to_string(-id),
                                            .invite_link = id == kChannelA ? "" : "https://t.me/+secret"});
  }
  return config;
}

}  // namespace subguard::verifier::decide::testing
