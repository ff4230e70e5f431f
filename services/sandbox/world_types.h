// The sandbox's model of Telegram: users, chats, memberships and messages, as plain values.
//
// Field names follow the Bot API. These are data only; World (world.h) owns them and keeps them
// consistent, bot_json.h writes them as the Bot API's JSON.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace subguard::sandbox {

struct User {
  int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::string last_name;
  std::string username;  // without '@'
  std::string language_code;
};

enum class ChatType { kPrivate, kGroup, kSupergroup, kChannel };

// The Bot API's ChatPermissions: a group's defaults, or what a restricted member may do.
struct ChatPermissions {
  bool can_send_messages = true;
  bool can_send_audios = true;
  bool can_send_documents = true;
  bool can_send_photos = true;
  bool can_send_videos = true;
  bool can_send_video_notes = true;
  bool can_send_voice_notes = true;
  bool can_send_polls = true;
  bool can_send_other_messages = true;
  bool can_add_web_page_previews = true;
  bool can_change_info = false;
  bool can_invite_users = true;
  bool can_pin_messages = false;
  bool can_manage_topics = false;

  bool operator==(const ChatPermissions&) const = default;
};

// The Bot API's ChatAdministratorRights, plus what ChatMemberAdministrator adds.
struct AdminRights {
  bool can_be_edited = false;
  bool is_anonymous = false;
  bool can_manage_chat = true;
  bool can_delete_messages = false;
  bool can_manage_video_chats = false;
  bool can_restrict_members = false;
  bool can_promote_members = false;
  bool can_change_info = false;
  bool can_invite_users = false;
  bool can_post_messages = false;  // channels
  bool can_edit_messages = false;  // channels
  bool can_pin_messages = false;   // groups
  bool can_manage_topics = false;  // supergroups
  bool can_post_stories = false;
  bool can_edit_stories = false;
  bool can_delete_stories = false;

  bool operator==(const AdminRights&) const = default;
};

enum class MemberStatus { kCreator, kAdministrator, kMember, kRestricted, kLeft, kKicked };

// One user's standing in one chat. A user never seen in a chat is kLeft.
struct Member {
  MemberStatus status = MemberStatus::kLeft;
  AdminRights rights;           // kAdministrator
  ChatPermissions permissions;  // kRestricted
  bool is_member = false;       // kRestricted: whether the user is in the chat
  bool is_anonymous = false;    // kCreator
  std::string custom_title;     // kCreator, kAdministrator
  int64_t until_date = 0;       // kRestricted, kKicked: unix time the status ends, 0 for ever

  bool operator==(const Member&) const = default;
};

struct InlineButton {
  std::string text;
  std::string url;
  std::string callback_data;

  bool operator==(const InlineButton&) const = default;
};
using InlineKeyboard = std::vector<std::vector<InlineButton>>;

// A MessageEntity, offsets and lengths in UTF-16 code units as the Bot API counts them.
struct Entity {
  std::string type;  // "bot_command", "mention", "bold", "text_link", ...
  int64_t offset = 0;
  int64_t length = 0;
  std::string url;  // "text_link"

  bool operator==(const Entity&) const = default;
};

struct Message {
  int64_t message_id = 0;
  int64_t chat_id = 0;
  int64_t from_id = 0;         // 0 for channel posts
  int64_t sender_chat_id = 0;  // set when sent on behalf of a chat
  bool outgoing = false;       // sent by the bot (channel posts by the bot have no from_id)
  int64_t date = 0;
  int64_t edit_date = 0;
  std::string text;  // the caption of a photo
  std::vector<Entity> entities;
  std::string media_group_id;  // the album a photo belongs to; "" for none
  bool has_photo = false;      // a photo (shown as "photo", its text as "caption")
  InlineKeyboard keyboard;     // an inline keyboard when not empty
  int64_t reply_to_message_id = 0;
  std::vector<int64_t> new_chat_members;
  int64_t left_chat_member = 0;
  bool is_automatic_forward = false;
  int64_t forward_from_chat_id = 0;  // automatic forwards: the channel and its post
  int64_t forward_from_message_id = 0;
  int64_t migrate_to_chat_id = 0;    // a basic group's last message: it became this supergroup
  int64_t migrate_from_chat_id = 0;  // a supergroup's first message: it was this basic group
  bool deleted = false;
};

struct Chat {
  int64_t id = 0;
  ChatType type = ChatType::kSupergroup;
  std::string title;                    // groups and channels
  std::string username;                 // public chats, without '@'
  ChatPermissions permissions;          // default member permissions of groups
  int64_t linked_chat_id = 0;           // a channel's discussion group, or a group's channel
  std::map<int64_t, Member> members;    // by user id; absent means kLeft
  std::map<int64_t, Message> messages;  // by message id, at most WorldOptions::max_messages_per_chat
  int64_t next_message_id = 1;
  // A basic group upgraded to this supergroup: every Bot API call naming it fails with Telegram's 400
  // "group chat was upgraded to a supergroup chat" and parameters.migrate_to_chat_id.
  int64_t migrated_to_chat_id = 0;
};

struct CallbackQuery {
  std::string id;
  int64_t user_id = 0;
  int64_t chat_id = 0;
  int64_t message_id = 0;
  std::string data;
  bool answered = false;
  std::string answer_text;
  bool show_alert = false;
  std::string url;
  int64_t cache_time = 0;
};

// Everything World holds. Plain data: World guards it with its lock.
struct WorldState {
  std::map<int64_t, User> users;
  std::map<int64_t, Chat> chats;
  std::map<std::string, CallbackQuery> callback_queries;  // by id
  std::deque<std::string> callback_query_order;           // oldest first, for the bound

  const User* FindUser(int64_t id) const {
    auto it = users.find(id);
    return it == users.end() ? nullptr : &it->second;
  }
  const Chat* FindChat(int64_t id) const {
    auto it = chats.find(id);
    return it == chats.end() ? nullptr : &it->second;
  }
  Chat* FindChat(int64_t id) {
    auto it = chats.find(id);
    return it == chats.end() ? nullptr : &it->second;
  }
};

}  // namespace subguard::sandbox
