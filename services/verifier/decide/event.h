// Classify: what an update means to subguard, before anything is looked up. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "services/verifier/decide/command.h"
#include "services/verifier/decide/types.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::decide {

// Nothing to do: a shape or chat subguard does not handle. reason is a short metric label.
struct Ignored {
  std::string reason;
};

// A message (or an edit) in a group that is not a command for this bot.
struct GroupMessage {
  v1::Message message;
  bool edited = false;
};

// One of the bot's commands, sent in a group.
struct GroupCommand {
  v1::Message message;
  Command command;
};

// One of the bot's commands, sent in a private chat.
struct PrivateCommand {
  v1::Message message;
  Command command;
};

// Users who joined a group (a new_chat_members message), the bot itself left out.
struct MembersJoined {
  int64_t chat_id = 0;
  int64_t date = 0;
  std::vector<v1::User> users;
};

// The "I have joined" button (callback data "check:<user_id>").
struct CheckPressed {
  std::string callback_query_id;
  v1::User from;
  int64_t target_user_id = 0;  // the user the prompt was for; the presser on a shared prompt
  bool shared = false;         // a prompt naming several users (kAnyNamedUser): whoever it names may press
  int64_t chat_id = 0;         // the group the prompt is in
  int64_t prompt_message_id = 0;
};

// A chat_member update: someone's status changed in a group or a channel.
struct MemberChanged {
  v1::Chat chat;
  v1::User user;
  int64_t date = 0;
  MemberStatus old_status = MemberStatus::kUnknown;
  MemberStatus new_status = MemberStatus::kUnknown;

  bool Joined() const { return !IsMember(old_status) && IsMember(new_status); }
  bool Left() const { return IsMember(old_status) && !IsMember(new_status); }
};

// A chat_join_request in a channel: the user asked to join and waits for an admin's approval.
struct JoinRequested {
  v1::Chat chat;
  v1::User user;
};

// A my_chat_member update in a group or a channel: the bot itself was added, removed, or its rights
// changed.
struct BotMemberChanged {
  v1::Chat chat;
  v1::ChatMember old_member;
  v1::ChatMember new_member;
};

// A basic group became a supergroup: the old group's migrate_to_chat_id message or the new supergroup's
// migrate_from_chat_id message (Telegram sends both; either may come first, or alone).
struct GroupMigrated {
  int64_t from_chat_id = 0;  // the basic group
  int64_t to_chat_id = 0;    // the supergroup
};

using Event = std::variant<Ignored, GroupMessage, GroupCommand, PrivateCommand, MembersJoined, CheckPressed,
                           MemberChanged, JoinRequested, BotMemberChanged, GroupMigrated>;

// The "user" of a prompt naming several users: whoever presses is checked (CheckPressed.shared).
inline constexpr int64_t kAnyNamedUser = 0;

// The callback data of the button on a prompt for user_id (or kAnyNamedUser).
std::string CheckCallbackData(int64_t user_id);

Event Classify(const v1::Update& update, const BotIdentity& bot);

}  // namespace subguard::verifier::decide
