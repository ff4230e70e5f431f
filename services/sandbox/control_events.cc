// The control API's events: users joining, leaving, writing and pressing buttons, reported to the bot the
// way Telegram reports them.
#include <boost/json/object.hpp>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "services/sandbox/control_api.h"
#include "services/sandbox/control_fields.h"
#include "services/sandbox/text_entities.h"

namespace subguard::sandbox {
namespace {

// Telegram's service accounts that appear as the sender of some messages.
constexpr int64_t kTelegramUserId = 777000;           // automatic forwards from a linked channel
constexpr int64_t kGroupAnonymousBotId = 1087968824;  // a group's anonymous administrators
constexpr int64_t kChannelBotId = 136817688;          // a channel writing in its discussion group

// The user, adding it first when it is one of Telegram's service accounts.
absl::StatusOr<const User*> ServiceUser(World::Tx& tx, int64_t id, const char* first_name, const char* username) {
  if (const User* user = tx.FindUser(id)) return user;
  RETURN_IF_ERROR(
      tx.PutUser(User{.id = id, .is_bot = id != kTelegramUserId, .first_name = first_name, .username = username}));
  return tx.FindUser(id);
}

struct Target {
  Chat* chat = nullptr;
  const User* user = nullptr;
};

absl::StatusOr<Target> FindTarget(World::Tx& tx, int64_t chat_id, int64_t user_id) {
  Target target{tx.FindChat(chat_id), tx.FindUser(user_id)};
  if (target.user == nullptr) return absl::NotFoundError(absl::StrCat("user ", user_id, " not found"));
  if (target.chat == nullptr && chat_id == user_id) {
    // A user writing to the bot opens the private chat.
    RETURN_IF_ERROR(tx.PutChat(Chat{.id = user_id, .type = ChatType::kPrivate}));
    target.chat = tx.FindChat(chat_id);
  }
  if (target.chat == nullptr) return absl::NotFoundError(absl::StrCat("chat ", chat_id, " not found"));
  return target;
}

// Why the user may not write in the chat, or OK.
absl::Status CheckUserCanWrite(World::Tx& tx, const Chat& chat, int64_t user_id) {
  const Member member = tx.MemberOf(chat, user_id);
  const std::string who = absl::StrCat("user ", user_id);
  switch (chat.type) {
    case ChatType::kPrivate:
      return absl::OkStatus();
    case ChatType::kChannel:
      if (member.status == MemberStatus::kCreator ||
          (member.status == MemberStatus::kAdministrator && member.rights.can_post_messages)) {
        return absl::OkStatus();
      }
      return absl::PermissionDeniedError(absl::StrCat(who, " may not post in channel ", chat.id));
    case ChatType::kGroup:
    case ChatType::kSupergroup:
      break;
  }
  switch (member.status) {
    case MemberStatus::kCreator:
    case MemberStatus::kAdministrator:
      return absl::OkStatus();
    case MemberStatus::kMember:
      if (chat.permissions.can_send_messages) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat("members of chat ", chat.id, " may not send messages"));
    case MemberStatus::kRestricted:
      if (!member.is_member) break;
      if (member.permissions.can_send_messages) return absl::OkStatus();
      return absl::PermissionDeniedError(
          absl::StrCat(who, " is restricted in chat ", chat.id, " and may not send messages"));
    case MemberStatus::kKicked:
      return absl::PermissionDeniedError(absl::StrCat(who, " is banned from chat ", chat.id));
    case MemberStatus::kLeft:
      break;
  }
  return absl::PermissionDeniedError(absl::StrCat(who, " is not a member of chat ", chat.id));
}

// The message's sender fields when a user writes as a chat: a group's anonymous administrator writes as the
// group, a linked channel's administrator as the channel.
absl::Status SetSenderChat(World::Tx& tx, const Chat& chat, int64_t user_id, int64_t sender_chat_id, Message& message) {
  if (sender_chat_id == chat.id && tx.IsAdmin(chat, user_id)) {
    ASSIGN_OR_RETURN(const User* bot, ServiceUser(tx, kGroupAnonymousBotId, "Group", "GroupAnonymousBot"));
    message.from_id = bot->id;
    message.sender_chat_id = chat.id;
    return absl::OkStatus();
  }
  Chat* channel = tx.FindChat(sender_chat_id);
  if (sender_chat_id != 0 && sender_chat_id == chat.linked_chat_id && channel != nullptr &&
      tx.IsAdmin(*channel, user_id)) {
    ASSIGN_OR_RETURN(const User* bot, ServiceUser(tx, kChannelBotId, "Channel", "Channel_Bot"));
    message.from_id = bot->id;
    message.sender_chat_id = sender_chat_id;
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat("user ", user_id, " may not write in chat ", chat.id, " as chat ",
                                                  sender_chat_id,
                                                  " (its administrators may write as the chat, "
                                                  "the linked channel's as the channel)"));
}

}  // namespace

ControlApi::Result ControlApi::Join(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  return world_.Run([&](World::Tx& tx) -> Result {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, chat_id, user_id));
    Chat& chat = *target.chat;
    if (chat.type == ChatType::kPrivate) return absl::InvalidArgumentError("users join groups and channels only");
    Member member = tx.MemberOf(chat, user_id);
    if (member.status == MemberStatus::kKicked) {
      return absl::PermissionDeniedError(absl::StrCat("user ", user_id, " is banned from chat ", chat_id));
    }
    if (tx.IsInChat(chat, user_id)) {
      return absl::FailedPreconditionError(absl::StrCat("user ", user_id, " is already in chat ", chat_id));
    }
    if (member.status == MemberStatus::kRestricted) {
      member.is_member = true;  // a restriction outlives leaving and applies again on return
    } else {
      member = Member{.status = MemberStatus::kMember};
    }
    boost::json::object result{{"update_id", tx.ChangeMember(chat, user_id, member, user_id, Notify::kEveryone)}};
    if (chat.type != ChatType::kChannel) {
      Message message{.from_id = user_id, .new_chat_members = {user_id}};
      const auto [stored, update_id] = tx.Post(chat, std::move(message));
      result["message_id"] = stored->message_id;
      result["message_update_id"] = update_id;
    }
    return result;
  });
}

ControlApi::Result ControlApi::JoinRequest(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  return world_.Run([&](World::Tx& tx) -> Result {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, chat_id, user_id));
    const Chat& chat = *target.chat;
    if (chat.type == ChatType::kPrivate) return absl::InvalidArgumentError("users join groups and channels only");
    if (tx.IsInChat(chat, user_id)) {
      return absl::FailedPreconditionError(absl::StrCat("user ", user_id, " is already in chat ", chat_id));
    }
    return boost::json::object{{"update_id", tx.RequestJoin(chat, user_id)}};
  });
}

ControlApi::Result ControlApi::Upgrade(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t new_chat_id, RequiredInt(input, "new_chat_id"));
  ASSIGN_OR_RETURN(const int64_t actor, RequiredInt(input, "user_id"));
  return world_.Run([&](World::Tx& tx) -> Result {
    Chat* group = tx.FindChat(chat_id);
    if (group == nullptr) return absl::NotFoundError(absl::StrCat("chat ", chat_id, " not found"));
    if (group->type != ChatType::kGroup || group->migrated_to_chat_id != 0) {
      return absl::FailedPreconditionError(absl::StrCat("chat ", chat_id, " is not a basic group"));
    }
    if (tx.FindChat(new_chat_id) != nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("chat ", new_chat_id, " exists already"));
    }
    if (!tx.IsAdmin(*group, actor)) {
      return absl::PermissionDeniedError(absl::StrCat("user ", actor, " is no admin of chat ", chat_id));
    }
    RETURN_IF_ERROR(tx.PutChat(Chat{.id = new_chat_id,
                                    .type = ChatType::kSupergroup,
                                    .title = group->title,
                                    .username = group->username,
                                    .permissions = group->permissions,
                                    .members = group->members}));
    // PutChat may have moved the chats: look both up again.
    group = tx.FindChat(chat_id);
    Chat& supergroup = *tx.FindChat(new_chat_id);
    const int64_t update_id = tx.Post(*group, Message{.from_id = actor, .migrate_to_chat_id = new_chat_id}).second;
    group->migrated_to_chat_id = new_chat_id;
    const int64_t new_update_id =
        tx.Post(supergroup, Message{.from_id = actor, .migrate_from_chat_id = chat_id}).second;
    return boost::json::object{{"update_id", update_id}, {"new_update_id", new_update_id}};
  });
}

ControlApi::Result ControlApi::Leave(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  return world_.Run([&](World::Tx& tx) -> Result {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, chat_id, user_id));
    Chat& chat = *target.chat;
    if (!tx.IsInChat(chat, user_id)) {
      return absl::FailedPreconditionError(absl::StrCat("user ", user_id, " is not in chat ", chat_id));
    }
    Member member = tx.MemberOf(chat, user_id);
    if (member.status == MemberStatus::kRestricted) {
      member.is_member = false;
    } else {
      member = Member();
    }
    boost::json::object result{{"update_id", tx.ChangeMember(chat, user_id, member, user_id, Notify::kEveryone)}};
    if (chat.type != ChatType::kChannel) {
      Message message{.from_id = user_id, .left_chat_member = user_id};
      const auto [stored, update_id] = tx.Post(chat, std::move(message));
      result["message_id"] = stored->message_id;
      result["message_update_id"] = update_id;
    }
    return result;
  });
}

ControlApi::Result ControlApi::Send(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  ASSIGN_OR_RETURN(std::string text, OptionalString(input, "text", ""));
  ASSIGN_OR_RETURN(const int64_t reply_to, OptionalInt(input, "reply_to_message_id", 0));
  ASSIGN_OR_RETURN(const int64_t sender_chat_id, OptionalInt(input, "sender_chat_id", 0));
  if (text.empty()) return absl::InvalidArgumentError("field \"text\" is required");
  return world_.Run([&](World::Tx& tx) -> Result {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, chat_id, user_id));
    Chat& chat = *target.chat;
    if (chat.migrated_to_chat_id != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("chat ", chat_id, " was upgraded to the supergroup ", chat.migrated_to_chat_id));
    }
    Message message{.from_id = user_id, .text = text, .entities = DetectEntities(text)};
    if (sender_chat_id != 0) {
      RETURN_IF_ERROR(SetSenderChat(tx, chat, user_id, sender_chat_id, message));
    } else {
      RETURN_IF_ERROR(CheckUserCanWrite(tx, chat, user_id));
    }
    if (chat.type == ChatType::kChannel) {
      message.from_id = 0;  // channel posts are signed by the channel
      message.sender_chat_id = chat.id;
    }
    if (reply_to != 0) {
      const Message* replied = tx.FindMessage(chat, reply_to);
      if (replied == nullptr || replied->deleted) {
        return absl::NotFoundError(absl::StrCat("message ", reply_to, " not found in chat ", chat_id));
      }
      message.reply_to_message_id = reply_to;
    }
    const auto [stored, update_id] = tx.Post(chat, message);
    boost::json::object result{{"message_id", stored->message_id}, {"update_id", update_id}};
    // A channel's posts are forwarded into its discussion group automatically.
    Chat* group = tx.FindChat(chat.linked_chat_id);
    if (chat.type == ChatType::kChannel && group != nullptr && group->type != ChatType::kChannel) {
      ASSIGN_OR_RETURN(const User* telegram, ServiceUser(tx, kTelegramUserId, "Telegram", ""));
      Message forward{.from_id = telegram->id,
                      .sender_chat_id = chat.id,
                      .text = stored->text,
                      .entities = stored->entities,
                      .is_automatic_forward = true,
                      .forward_from_chat_id = chat.id,
                      .forward_from_message_id = stored->message_id};
      const auto [forwarded, forward_update_id] = tx.Post(*group, std::move(forward));
      result["forward_message_id"] = forwarded->message_id;
      result["forward_update_id"] = forward_update_id;
    }
    return result;
  });
}

ControlApi::Result ControlApi::Album(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  ASSIGN_OR_RETURN(const int64_t parts, OptionalInt(input, "parts", 2));
  ASSIGN_OR_RETURN(std::string caption, OptionalString(input, "caption", ""));
  if (parts < 2 || parts > 10) return absl::InvalidArgumentError("an album has 2 to 10 parts");
  return world_.Run([&](World::Tx& tx) -> Result {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, chat_id, user_id));
    Chat& chat = *target.chat;
    RETURN_IF_ERROR(CheckUserCanWrite(tx, chat, user_id));
    const std::string media_group_id = absl::StrCat(chat.id, "_", chat.next_message_id);
    boost::json::array message_ids;
    boost::json::array update_ids;
    for (int64_t i = 0; i < parts; ++i) {
      Message message{.from_id = user_id, .media_group_id = media_group_id, .has_photo = true};
      if (i == 0) {
        message.text = caption;
        message.entities = DetectEntities(caption);
      }
      if (chat.type == ChatType::kChannel) {
        message.from_id = 0;
        message.sender_chat_id = chat.id;
      }
      const auto [stored, update_id] = tx.Post(chat, std::move(message));
      message_ids.push_back(stored->message_id);
      update_ids.push_back(update_id);
    }
    return boost::json::object{{"media_group_id", media_group_id},
                               {"message_ids", std::move(message_ids)},
                               {"update_ids", std::move(update_ids)}};
  });
}

ControlApi::Result ControlApi::Press(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t message_id, RequiredInt(input, "message_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  ASSIGN_OR_RETURN(const int64_t button, OptionalInt(input, "button", -1));
  return world_.Run([&](World::Tx& tx) -> Result {
    ASSIGN_OR_RETURN(Target target, FindTarget(tx, chat_id, user_id));
    const Message* message = tx.FindMessage(*target.chat, message_id);
    if (message == nullptr || message->deleted) {
      return absl::NotFoundError(absl::StrCat("message ", message_id, " not found in chat ", chat_id));
    }
    // Buttons count row by row from 0; without an index, the first callback button.
    std::vector<const InlineButton*> buttons;
    for (const auto& row : message->keyboard) {
      for (const InlineButton& b : row) buttons.push_back(&b);
    }
    const InlineButton* pressed = nullptr;
    if (button < 0) {
      for (const InlineButton* b : buttons) {
        if (!b->callback_data.empty()) {
          pressed = b;
          break;
        }
      }
    } else if (button < static_cast<int64_t>(buttons.size())) {
      pressed = buttons[button];
    }
    if (pressed == nullptr || pressed->callback_data.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("message ", message_id, " has no callback button", button < 0 ? "" : absl::StrCat(" ", button)));
    }
    const auto [query, update_id] = tx.Press(*target.chat, *message, user_id, pressed->callback_data);
    return boost::json::object{{"callback_query_id", query->id}, {"update_id", update_id}};
  });
}

}  // namespace subguard::sandbox
