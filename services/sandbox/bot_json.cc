#include "services/sandbox/bot_json.h"

#include "absl/strings/str_cat.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

boost::json::array EntitiesJson(const std::vector<Entity>& entities) {
  boost::json::array array;
  for (const Entity& entity : entities) {
    boost::json::object object{{"offset", entity.offset}, {"length", entity.length}, {"type", entity.type}};
    if (!entity.url.empty()) object["url"] = entity.url;
    array.push_back(std::move(object));
  }
  return array;
}

// Client.cpp json_store_administrator_rights: which rights show depends on the chat type.
void StoreAdminRights(boost::json::object& object, const AdminRights& rights, ChatType type) {
  object["can_manage_chat"] = rights.can_manage_chat;
  object["can_change_info"] = rights.can_change_info;
  if (type == ChatType::kChannel) {
    object["can_post_messages"] = rights.can_post_messages;
    object["can_edit_messages"] = rights.can_edit_messages;
  }
  object["can_delete_messages"] = rights.can_delete_messages;
  object["can_invite_users"] = rights.can_invite_users;
  object["can_restrict_members"] = rights.can_restrict_members;
  if (type == ChatType::kGroup || type == ChatType::kSupergroup) object["can_pin_messages"] = rights.can_pin_messages;
  if (type == ChatType::kSupergroup) object["can_manage_topics"] = rights.can_manage_topics;
  object["can_promote_members"] = rights.can_promote_members;
  object["can_manage_video_chats"] = rights.can_manage_video_chats;
  object["can_post_stories"] = rights.can_post_stories;
  object["can_edit_stories"] = rights.can_edit_stories;
  object["can_delete_stories"] = rights.can_delete_stories;
  object["is_anonymous"] = rights.is_anonymous;
}

// A field of a permissions object: absent is false; booleans, and the strings "true"/"false", are read.
absl::StatusOr<bool> BoolField(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) return false;
  if (value->is_bool()) return value->as_bool();
  if (value->is_string() && (value->as_string() == "true" || value->as_string() == "false")) {
    return value->as_string() == "true";
  }
  return BadRequest(
      absl::StrCat("Can't parse chat permissions: Field \"", std::string(name), "\" must be of type Boolean"));
}

absl::StatusOr<InlineButton> ParseInlineButton(const boost::json::value& json) {
  auto fail = [](std::string_view why) {
    return BadRequest(absl::StrCat("Can't parse inline keyboard button: ", std::string(why)));
  };
  if (!json.is_object()) return fail("InlineKeyboardButton must be an Object");
  const boost::json::object& object = json.as_object();
  const boost::json::value* text = object.if_contains("text");
  if (text == nullptr || !text->is_string()) return fail("Field \"text\" must be of type String");
  InlineButton button;
  button.text = std::string(text->as_string());
  if (const boost::json::value* url = object.if_contains("url"); url != nullptr && url->is_string()) {
    button.url = std::string(url->as_string());
  }
  if (const boost::json::value* data = object.if_contains("callback_data"); data != nullptr && data->is_string()) {
    button.callback_data = std::string(data->as_string());
  }
  if (button.url.empty() && button.callback_data.empty())
    return fail("Text buttons are unallowed in the inline keyboard");
  if (button.callback_data.size() > 64) return BadRequest("BUTTON_DATA_INVALID");
  return button;
}

}  // namespace

std::string_view ChatTypeName(ChatType type) {
  switch (type) {
    case ChatType::kPrivate:
      return "private";
    case ChatType::kGroup:
      return "group";
    case ChatType::kSupergroup:
      return "supergroup";
    case ChatType::kChannel:
      return "channel";
  }
  return "private";
}

std::string_view MemberStatusName(MemberStatus status) {
  switch (status) {
    case MemberStatus::kCreator:
      return "creator";
    case MemberStatus::kAdministrator:
      return "administrator";
    case MemberStatus::kMember:
      return "member";
    case MemberStatus::kRestricted:
      return "restricted";
    case MemberStatus::kLeft:
      return "left";
    case MemberStatus::kKicked:
      return "kicked";
  }
  return "left";
}

boost::json::object UserJson(const User& user, bool full_bot_info) {
  boost::json::object object{{"id", user.id}, {"is_bot", user.is_bot}, {"first_name", user.first_name}};
  if (!user.last_name.empty()) object["last_name"] = user.last_name;
  if (!user.username.empty()) object["username"] = user.username;
  if (!user.language_code.empty()) object["language_code"] = user.language_code;
  if (user.is_bot && full_bot_info) {
    object["can_join_groups"] = true;
    // The sandbox delivers every group message to the bot, as Telegram does with privacy mode off.
    object["can_read_all_group_messages"] = true;
    object["supports_inline_queries"] = false;
    object["can_connect_to_business"] = false;
  }
  return object;
}

boost::json::object UserJson(const WorldState& world, int64_t user_id) {
  if (const User* user = world.FindUser(user_id)) return UserJson(*user);
  return UserJson(User{.id = user_id});
}

boost::json::object ChatJson(const WorldState& world, const Chat& chat) {
  boost::json::object object{{"id", chat.id}};
  if (chat.type == ChatType::kPrivate) {
    const User* user = world.FindUser(chat.id);
    object["first_name"] = user == nullptr ? "" : user->first_name;
    if (user != nullptr && !user->last_name.empty()) object["last_name"] = user->last_name;
    if (user != nullptr && !user->username.empty()) object["username"] = user->username;
  } else {
    object["title"] = chat.title;
    if (!chat.username.empty()) object["username"] = chat.username;
  }
  object["type"] = ChatTypeName(chat.type);
  return object;
}

boost::json::object ChatFullInfoJson(const WorldState& world, const Chat& chat) {
  boost::json::object object = ChatJson(world, chat);
  object["accent_color_id"] = 0;
  object["max_reaction_count"] = 11;
  if (chat.type == ChatType::kGroup || chat.type == ChatType::kSupergroup) {
    object["permissions"] = PermissionsJson(chat.permissions);
  }
  if (chat.linked_chat_id != 0) object["linked_chat_id"] = chat.linked_chat_id;
  return object;
}

boost::json::object PermissionsJson(const ChatPermissions& p) {
  const bool any_media = p.can_send_audios || p.can_send_documents || p.can_send_photos || p.can_send_videos ||
                         p.can_send_video_notes || p.can_send_voice_notes;
  return boost::json::object{{"can_send_messages", p.can_send_messages},
                             {"can_send_media_messages", any_media},
                             {"can_send_audios", p.can_send_audios},
                             {"can_send_documents", p.can_send_documents},
                             {"can_send_photos", p.can_send_photos},
                             {"can_send_videos", p.can_send_videos},
                             {"can_send_video_notes", p.can_send_video_notes},
                             {"can_send_voice_notes", p.can_send_voice_notes},
                             {"can_send_polls", p.can_send_polls},
                             {"can_send_other_messages", p.can_send_other_messages},
                             {"can_add_web_page_previews", p.can_add_web_page_previews},
                             {"can_change_info", p.can_change_info},
                             {"can_invite_users", p.can_invite_users},
                             {"can_pin_messages", p.can_pin_messages},
                             {"can_manage_topics", p.can_manage_topics}};
}

boost::json::object ChatMemberJson(const WorldState& world, const Chat& chat, int64_t user_id, const Member& member) {
  boost::json::object object{{"user", UserJson(world, user_id)}, {"status", MemberStatusName(member.status)}};
  switch (member.status) {
    case MemberStatus::kCreator:
      if (!member.custom_title.empty()) object["custom_title"] = member.custom_title;
      object["is_anonymous"] = member.is_anonymous;
      break;
    case MemberStatus::kAdministrator:
      object["can_be_edited"] = member.rights.can_be_edited;
      StoreAdminRights(object, member.rights, chat.type);
      object["can_manage_voice_chats"] = member.rights.can_manage_video_chats;
      if (!member.custom_title.empty()) object["custom_title"] = member.custom_title;
      break;
    case MemberStatus::kRestricted:
      // The official server writes a restriction's details only for supergroups.
      if (chat.type == ChatType::kSupergroup) {
        object["until_date"] = member.until_date;
        for (auto& [key, value] : PermissionsJson(member.permissions)) object[key] = value;
        object["is_member"] = member.is_member;
      }
      break;
    case MemberStatus::kKicked:
      object["until_date"] = member.until_date;
      break;
    case MemberStatus::kMember:
    case MemberStatus::kLeft:
      break;
  }
  return object;
}

boost::json::object ChatMemberUpdatedJson(const WorldState& world, const Chat& chat, int64_t actor_id, int64_t date,
                                          int64_t user_id, const Member& old_member, const Member& new_member) {
  return boost::json::object{{"chat", ChatJson(world, chat)},
                             {"from", UserJson(world, actor_id)},
                             {"date", date},
                             {"old_chat_member", ChatMemberJson(world, chat, user_id, old_member)},
                             {"new_chat_member", ChatMemberJson(world, chat, user_id, new_member)}};
}

boost::json::object KeyboardJson(const InlineKeyboard& keyboard) {
  boost::json::array rows;
  for (const auto& row : keyboard) {
    boost::json::array buttons;
    for (const InlineButton& button : row) {
      boost::json::object object{{"text", button.text}};
      if (!button.url.empty()) object["url"] = button.url;
      if (!button.callback_data.empty()) object["callback_data"] = button.callback_data;
      buttons.push_back(std::move(object));
    }
    rows.push_back(std::move(buttons));
  }
  return boost::json::object{{"inline_keyboard", std::move(rows)}};
}

boost::json::object MessageJson(const WorldState& world, const Message& message) {
  const Chat* chat = world.FindChat(message.chat_id);
  boost::json::object object{{"message_id", message.message_id}};
  if (message.from_id != 0) object["from"] = UserJson(world, message.from_id);
  if (message.sender_chat_id != 0) {
    if (const Chat* sender = world.FindChat(message.sender_chat_id)) object["sender_chat"] = ChatJson(world, *sender);
  }
  if (chat != nullptr) object["chat"] = ChatJson(world, *chat);
  object["date"] = message.date;
  if (message.edit_date != 0) object["edit_date"] = message.edit_date;
  if (message.is_automatic_forward) object["is_automatic_forward"] = true;
  if (message.forward_from_chat_id != 0) {
    if (const Chat* origin = world.FindChat(message.forward_from_chat_id)) {
      object["forward_origin"] = boost::json::object{{"type", "channel"},
                                                     {"chat", ChatJson(world, *origin)},
                                                     {"message_id", message.forward_from_message_id},
                                                     {"date", message.date}};
      object["forward_from_chat"] = ChatJson(world, *origin);
      object["forward_from_message_id"] = message.forward_from_message_id;
      object["forward_date"] = message.date;
    }
  }
  if (message.reply_to_message_id != 0 && chat != nullptr) {
    auto it = chat->messages.find(message.reply_to_message_id);
    if (it != chat->messages.end() && !it->second.deleted) {
      Message replied = it->second;
      replied.reply_to_message_id = 0;  // Telegram nests one level only
      object["reply_to_message"] = MessageJson(world, replied);
    }
  }
  if (!message.media_group_id.empty()) object["media_group_id"] = message.media_group_id;
  if (message.has_photo) {
    object["photo"] = boost::json::array{
        boost::json::object{{"file_id", absl::StrCat("photo", message.chat_id, "_", message.message_id)},
                            {"file_unique_id", absl::StrCat(message.message_id)},
                            {"width", 640},
                            {"height", 480}}};
  }
  if (!message.text.empty()) {
    object[message.has_photo ? "caption" : "text"] = message.text;
    if (!message.entities.empty()) {
      object[message.has_photo ? "caption_entities" : "entities"] = EntitiesJson(message.entities);
    }
  }
  if (!message.new_chat_members.empty()) {
    boost::json::array members;
    for (int64_t id : message.new_chat_members) members.push_back(UserJson(world, id));
    object["new_chat_participant"] = members.front();
    object["new_chat_member"] = members.front();
    object["new_chat_members"] = std::move(members);
  }
  if (message.left_chat_member != 0) {
    object["left_chat_participant"] = UserJson(world, message.left_chat_member);
    object["left_chat_member"] = UserJson(world, message.left_chat_member);
  }
  if (message.migrate_to_chat_id != 0) object["migrate_to_chat_id"] = message.migrate_to_chat_id;
  if (message.migrate_from_chat_id != 0) object["migrate_from_chat_id"] = message.migrate_from_chat_id;
  if (!message.keyboard.empty()) object["reply_markup"] = KeyboardJson(message.keyboard);
  return object;
}

boost::json::object CallbackQueryJson(const WorldState& world, const CallbackQuery& query, const Message* message) {
  boost::json::object object{{"id", query.id}, {"from", UserJson(world, query.user_id)}};
  if (message != nullptr) object["message"] = MessageJson(world, *message);
  // A stable per-chat value, as Telegram's chat_instance is.
  object["chat_instance"] = absl::StrCat(static_cast<uint64_t>(query.chat_id) * 0x9E3779B97F4A7C15ULL >> 1);
  object["data"] = query.data;
  return object;
}

absl::StatusOr<ChatPermissions> ParsePermissions(const boost::json::value& json, bool use_independent) {
  if (!json.is_object()) return BadRequest("Object expected as permissions");
  const boost::json::object& object = json.as_object();
  ChatPermissions p;
  auto read = [&object](std::string_view name, bool& field) -> absl::Status {
    absl::StatusOr<bool> value = BoolField(object, name);
    if (!value.ok()) return value.status();
    field = *value;
    return absl::OkStatus();
  };
  for (auto [name, field] : std::initializer_list<std::pair<std::string_view, bool*>>{
           {"can_send_messages", &p.can_send_messages},
           {"can_send_polls", &p.can_send_polls},
           {"can_send_other_messages", &p.can_send_other_messages},
           {"can_add_web_page_previews", &p.can_add_web_page_previews},
           {"can_change_info", &p.can_change_info},
           {"can_invite_users", &p.can_invite_users},
           {"can_pin_messages", &p.can_pin_messages}}) {
    if (absl::Status status = read(name, *field); !status.ok()) return status;
  }
  p.can_manage_topics = p.can_pin_messages;
  if (object.contains("can_manage_topics")) {
    if (absl::Status status = read("can_manage_topics", p.can_manage_topics); !status.ok()) return status;
  }
  const std::initializer_list<std::pair<std::string_view, bool*>> media = {
      {"can_send_audios", &p.can_send_audios},           {"can_send_documents", &p.can_send_documents},
      {"can_send_photos", &p.can_send_photos},           {"can_send_videos", &p.can_send_videos},
      {"can_send_video_notes", &p.can_send_video_notes}, {"can_send_voice_notes", &p.can_send_voice_notes}};
  bool any_media_field = false;
  for (auto [name, field] : media) any_media_field = any_media_field || object.contains(name);
  if (any_media_field) {
    for (auto [name, field] : media) {
      if (absl::Status status = read(name, *field); !status.ok()) return status;
    }
  } else {
    bool media_messages = false;
    if (absl::Status status = read("can_send_media_messages", media_messages); !status.ok()) return status;
    for (auto [name, field] : media) *field = media_messages;
    if (media_messages && !use_independent) p.can_send_messages = true;
  }
  if ((p.can_send_other_messages || p.can_add_web_page_previews) && !use_independent) {
    for (auto [name, field] : media) *field = true;
    p.can_send_messages = true;
  }
  if (p.can_send_polls && !use_independent) p.can_send_messages = true;
  return p;
}

absl::StatusOr<InlineKeyboard> ParseInlineKeyboard(const boost::json::value& json) {
  InlineKeyboard keyboard;
  if (json.is_null()) return keyboard;
  if (!json.is_object()) return BadRequest("Object expected as reply markup");
  const boost::json::value* rows = json.as_object().if_contains("inline_keyboard");
  if (rows == nullptr) return keyboard;
  const auto not_arrays =
      BadRequest("Field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
  if (!rows->is_array()) return not_arrays;
  for (const boost::json::value& row : rows->as_array()) {
    if (!row.is_array()) return not_arrays;
    std::vector<InlineButton> buttons;
    for (const boost::json::value& button_json : row.as_array()) {
      absl::StatusOr<InlineButton> button = ParseInlineButton(button_json);
      if (!button.ok()) return button.status();
      buttons.push_back(*std::move(button));
    }
    keyboard.push_back(std::move(buttons));
  }
  return keyboard;
}

}  // namespace subguard::sandbox
