#include "common/telegram/json_parse.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/telegram/errors.h"
#include "common/telegram/json_fields.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace subguard::telegram {
namespace {

using boost::json::value;

enum class Presence { kOptional, kRequired };

// Any of these makes a message a media message (text then holds the caption).
constexpr std::string_view kMediaFields[] = {"photo", "video",      "animation", "audio",     "document", "sticker",
                                             "voice", "video_note", "contact",   "location",  "venue",    "poll",
                                             "dice",  "game",       "story",     "paid_media"};
// The fields only a service message has (Bot API Message); Telegram refuses to forward or copy one.
constexpr std::string_view kServiceFields[] = {"new_chat_members",
                                               "left_chat_member",
                                               "new_chat_title",
                                               "new_chat_photo",
                                               "delete_chat_photo",
                                               "group_chat_created",
                                               "supergroup_chat_created",
                                               "channel_chat_created",
                                               "message_auto_delete_timer_changed",
                                               "migrate_to_chat_id",
                                               "migrate_from_chat_id",
                                               "pinned_message",
                                               "successful_payment",
                                               "refunded_payment",
                                               "users_shared",
                                               "chat_shared",
                                               "gift",
                                               "unique_gift",
                                               "connected_website",
                                               "write_access_allowed",
                                               "passport_data",
                                               "proximity_alert_triggered",
                                               "boost_added",
                                               "chat_background_set",
                                               "forum_topic_created",
                                               "forum_topic_edited",
                                               "forum_topic_closed",
                                               "forum_topic_reopened",
                                               "general_forum_topic_hidden",
                                               "general_forum_topic_unhidden",
                                               "giveaway_created",
                                               "giveaway_winners",
                                               "giveaway_completed",
                                               "paid_message_price_changed",
                                               "video_chat_scheduled",
                                               "video_chat_started",
                                               "video_chat_ended",
                                               "video_chat_participants_invited",
                                               "web_app_data"};

absl::StatusOr<const boost::json::object*> AsObject(const value& json) {
  if (!json.is_object()) return absl::InvalidArgumentError("expected an object");
  return &json.get_object();
}

// Parses the object in field key with parse and stores it through out() (a mutable_x accessor, called
// only when the field is present, so an absent field stays unset). Errors are prefixed with key.
template <typename T, typename Out>
void ReadNested(FieldReader& reader, std::string_view key, Presence presence, absl::StatusOr<T> (*parse)(const value&),
                Out out) {
  const value* json = presence == Presence::kRequired ? reader.RequiredObject(key) : reader.Object(key);
  if (json == nullptr) return;
  absl::StatusOr<T> parsed = parse(*json);
  if (!parsed.ok()) {
    reader.Fail(WithContext(parsed.status(), key));
    return;
  }
  *out() = *std::move(parsed);
}

}  // namespace

absl::StatusOr<v1::User> ParseUser(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::User user;
  user.set_id(r.RequiredInt64("id"));
  user.set_is_bot(r.Bool("is_bot"));
  user.set_first_name(r.String("first_name"));
  user.set_last_name(r.String("last_name"));
  user.set_username(r.String("username"));
  user.set_language_code(r.String("language_code"));
  RETURN_IF_ERROR(r.status());
  return user;
}

absl::StatusOr<v1::Chat> ParseChat(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::Chat chat;
  chat.set_id(r.RequiredInt64("id"));
  chat.set_type(r.RequiredString("type"));
  chat.set_title(r.String("title"));
  chat.set_username(r.String("username"));
  RETURN_IF_ERROR(r.status());
  return chat;
}

absl::StatusOr<v1::Message> ParseMessage(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::Message message;
  message.set_message_id(r.RequiredInt64("message_id"));
  ReadNested(r, "chat", Presence::kRequired, ParseChat, [&] { return message.mutable_chat(); });
  ReadNested(r, "from", Presence::kOptional, ParseUser, [&] { return message.mutable_from(); });
  ReadNested(r, "sender_chat", Presence::kOptional, ParseChat, [&] { return message.mutable_sender_chat(); });
  message.set_date(r.Int64("date"));
  message.set_text(r.Has("text") ? r.String("text") : r.String("caption"));
  if (const boost::json::array* members = r.Array("new_chat_members"); members != nullptr) {
    for (size_t i = 0; i < members->size() && r.status().ok(); ++i) {
      absl::StatusOr<v1::User> member = ParseUser((*members)[i]);
      if (!member.ok()) {
        r.Fail(WithContext(member.status(), absl::StrCat("new_chat_members[", i, "]")));
        break;
      }
      *message.add_new_chat_members() = *std::move(member);
    }
  }
  ReadNested(r, "left_chat_member", Presence::kOptional, ParseUser, [&] { return message.mutable_left_chat_member(); });
  message.set_is_automatic_forward(r.Bool("is_automatic_forward"));
  message.set_media_group_id(r.String("media_group_id"));
  message.set_migrate_to_chat_id(r.Int64("migrate_to_chat_id"));
  message.set_migrate_from_chat_id(r.Int64("migrate_from_chat_id"));
  for (std::string_view field : kMediaFields) {
    if (r.Has(field)) message.set_has_media(true);
  }
  for (std::string_view field : kServiceFields) {
    if (r.Has(field)) message.set_service(true);
  }
  // Recursion is bounded by the parser's max_depth; Telegram sends one level.
  ReadNested(r, "reply_to_message", Presence::kOptional, ParseMessage,
             [&] { return message.mutable_reply_to_message(); });
  RETURN_IF_ERROR(r.status());
  return message;
}

absl::StatusOr<v1::ChatMember> ParseChatMember(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::ChatMember member;
  ReadNested(r, "user", Presence::kRequired, ParseUser, [&] { return member.mutable_user(); });
  member.set_status(r.RequiredString("status"));
  member.set_is_anonymous(r.Bool("is_anonymous"));
  member.set_can_restrict_members(r.Bool("can_restrict_members"));
  member.set_can_delete_messages(r.Bool("can_delete_messages"));
  member.set_can_invite_users(r.Bool("can_invite_users"));
  member.set_can_send_messages(r.Bool("can_send_messages"));
  member.set_is_member(r.Bool("is_member"));
  member.set_until_date(r.Int64("until_date"));
  RETURN_IF_ERROR(r.status());
  // The Bot API states these by status instead of by field; see the header.
  const std::string& status = member.status();
  if (status == "creator") {
    member.set_can_restrict_members(true);
    member.set_can_delete_messages(true);
    member.set_can_invite_users(true);
  }
  if (status == "creator" || status == "administrator" || status == "member") {
    member.set_is_member(true);
    member.set_can_send_messages(true);
  } else if (status != "restricted") {
    member.set_is_member(false);
  }
  return member;
}

absl::StatusOr<std::vector<v1::ChatMember>> ParseChatMembers(const value& json) {
  if (!json.is_array()) return absl::InvalidArgumentError("expected an array");
  std::vector<v1::ChatMember> members;
  members.reserve(json.get_array().size());
  for (const value& element : json.get_array()) {
    ASSIGN_OR_RETURN(v1::ChatMember member, ParseChatMember(element));
    members.push_back(std::move(member));
  }
  return members;
}

absl::StatusOr<v1::ChatMemberUpdated> ParseChatMemberUpdated(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::ChatMemberUpdated updated;
  ReadNested(r, "chat", Presence::kRequired, ParseChat, [&] { return updated.mutable_chat(); });
  ReadNested(r, "from", Presence::kRequired, ParseUser, [&] { return updated.mutable_from(); });
  updated.set_date(r.Int64("date"));
  ReadNested(r, "old_chat_member", Presence::kRequired, ParseChatMember,
             [&] { return updated.mutable_old_chat_member(); });
  ReadNested(r, "new_chat_member", Presence::kRequired, ParseChatMember,
             [&] { return updated.mutable_new_chat_member(); });
  RETURN_IF_ERROR(r.status());
  return updated;
}

absl::StatusOr<v1::CallbackQuery> ParseCallbackQuery(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::CallbackQuery query;
  query.set_id(r.RequiredString("id"));
  ReadNested(r, "from", Presence::kRequired, ParseUser, [&] { return query.mutable_from(); });
  ReadNested(r, "message", Presence::kOptional, ParseMessage, [&] { return query.mutable_message(); });
  query.set_data(r.String("data"));
  RETURN_IF_ERROR(r.status());
  return query;
}

absl::StatusOr<v1::ChatJoinRequest> ParseChatJoinRequest(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::ChatJoinRequest request;
  ReadNested(r, "chat", Presence::kRequired, ParseChat, [&] { return request.mutable_chat(); });
  ReadNested(r, "from", Presence::kRequired, ParseUser, [&] { return request.mutable_from(); });
  request.set_date(r.Int64("date"));
  RETURN_IF_ERROR(r.status());
  return request;
}

absl::StatusOr<v1::ChatPermissions> ParseChatPermissions(const value& json) {
  ASSIGN_OR_RETURN(const boost::json::object* object, AsObject(json));
  FieldReader r(*object);
  v1::ChatPermissions permissions;
  // The proto's fields carry the Bot API's names, all booleans.
  const google::protobuf::Descriptor* descriptor = permissions.GetDescriptor();
  const google::protobuf::Reflection* reflection = permissions.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    reflection->SetBool(&permissions, field, r.Bool(field->name()));
  }
  RETURN_IF_ERROR(r.status());
  return permissions;
}

absl::StatusOr<ChatInfo> ParseChatInfo(const value& json) {
  ChatInfo info;
  ASSIGN_OR_RETURN(info.chat, ParseChat(json));
  FieldReader r(json.get_object());
  ReadNested(r, "permissions", Presence::kOptional, ParseChatPermissions, [&] { return &info.permissions; });
  info.linked_chat_id = r.Int64("linked_chat_id");
  RETURN_IF_ERROR(r.status());
  return info;
}

}  // namespace subguard::telegram
