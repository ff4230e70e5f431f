// ControlApi routing, the set-up endpoints and the read-only ones. The event endpoints are in
// control_events.cc.
#include "services/sandbox/control_api.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/sandbox/bot_json.h"
#include "services/sandbox/control_fields.h"

namespace subguard::sandbox {
namespace {

// A username as Telegram allows them (an optional '@' dropped): 5 to 32 letters, digits and underscores,
// starting with a letter. The sandbox refuses others so tests never rely on names Telegram would not give.
absl::StatusOr<std::string> Username(const boost::json::object& input) {
  absl::StatusOr<std::string> text = OptionalString(input, "username", "");
  if (!text.ok()) return text.status();
  const std::string username = text->starts_with('@') ? text->substr(1) : *text;
  const bool valid =
      username.empty() ||
      (username.size() >= 5 && username.size() <= 32 && absl::ascii_isalpha(username[0]) &&
       std::all_of(username.begin(), username.end(), [](char c) { return absl::ascii_isalnum(c) || c == '_'; }));
  if (!valid) {
    return absl::InvalidArgumentError(absl::StrCat(
        "username \"", username, "\" is not one Telegram allows: 5 to 32 letters, digits and _, from a letter"));
  }
  return username;
}

absl::StatusOr<ChatType> ParseChatType(std::string_view name) {
  for (ChatType type : {ChatType::kPrivate, ChatType::kGroup, ChatType::kSupergroup, ChatType::kChannel}) {
    if (ChatTypeName(type) == name) return type;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown chat type \"", base::ToAbsl(name), "\" (private, group, supergroup or channel)"));
}

absl::StatusOr<MemberStatus> ParseMemberStatus(std::string_view name) {
  for (MemberStatus status : {MemberStatus::kCreator, MemberStatus::kAdministrator, MemberStatus::kMember,
                              MemberStatus::kRestricted, MemberStatus::kLeft, MemberStatus::kKicked}) {
    if (MemberStatusName(status) == name) return status;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown member status \"", base::ToAbsl(name), "\""));
}

ChatPermissions NoPermissions() {
  return ChatPermissions{false, false, false, false, false, false, false,
                         false, false, false, false, false, false, false};
}

// Who changed a member when the control API does not say: the chat's creator, or the user.
int64_t DefaultActor(const Chat& chat, int64_t user_id) {
  for (const auto& [id, member] : chat.members) {
    if (member.status == MemberStatus::kCreator) return id;
  }
  return user_id;
}

}  // namespace

http::Response ControlApi::Handle(const http::Request& request) {
  using Endpoint = Result (ControlApi::*)(const Input&);
  struct Route {
    std::string_view method;
    std::string_view path;
    Endpoint endpoint;
  };
  static constexpr Route kRoutes[] = {
      {"POST", "/control/reset", &ControlApi::Reset},
      {"POST", "/control/users", &ControlApi::PutUser},
      {"POST", "/control/chats", &ControlApi::PutChat},
      {"POST", "/control/members", &ControlApi::SetMember},
      {"POST", "/control/join", &ControlApi::Join},
      {"POST", "/control/leave", &ControlApi::Leave},
      {"POST", "/control/send", &ControlApi::Send},
      {"POST", "/control/album", &ControlApi::Album},
      {"POST", "/control/press", &ControlApi::Press},
      {"POST", "/control/join_request", &ControlApi::JoinRequest},
      {"POST", "/control/upgrade", &ControlApi::Upgrade},
      {"GET", "/control/calls", &ControlApi::Calls},
      {"GET", "/control/member", &ControlApi::GetMember},
      {"GET", "/control/messages", &ControlApi::Messages},
      {"GET", "/control/callback_answer", &ControlApi::CallbackAnswer},
  };
  for (const Route& route : kRoutes) {
    if (route.method != request.method || route.path != request.path) continue;
    absl::StatusOr<Input> input = ControlInput(request);
    if (!input.ok()) return ControlReply(input.status());
    return ControlReply((this->*route.endpoint)(*input));
  }
  return ControlReply(absl::NotFoundError(absl::StrCat("no control endpoint ", request.method, " ", request.path)));
}

ControlApi::Result ControlApi::Reset(const Input&) {
  world_.Reset();
  webhook_.Set(WebhookSettings());
  updates_.Clear();
  updates_.UpdateAllowed("[]");  // back to the default set
  call_log_.Clear();
  return boost::json::object();
}

ControlApi::Result ControlApi::PutUser(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t id, RequiredInt(input, "id"));
  if (id <= 0) return absl::InvalidArgumentError("user ids are positive");
  if (id == world_.bot().id) return absl::InvalidArgumentError(absl::StrCat("user ", id, " is the bot itself"));
  User user{.id = id};
  ASSIGN_OR_RETURN(user.is_bot, OptionalBool(input, "is_bot", false));
  ASSIGN_OR_RETURN(user.first_name, OptionalString(input, "first_name", absl::StrCat("User ", id)));
  ASSIGN_OR_RETURN(user.last_name, OptionalString(input, "last_name", ""));
  ASSIGN_OR_RETURN(user.username, Username(input));
  ASSIGN_OR_RETURN(user.language_code, OptionalString(input, "language_code", ""));
  boost::json::object result{{"user", UserJson(user)}};
  RETURN_IF_ERROR(world_.Run([&](World::Tx& tx) { return tx.PutUser(std::move(user)); }));
  return result;
}

ControlApi::Result ControlApi::PutChat(const Input& input) {
  Chat chat;
  ASSIGN_OR_RETURN(chat.id, RequiredInt(input, "id"));
  ASSIGN_OR_RETURN(const std::string type, OptionalString(input, "type", ""));
  ASSIGN_OR_RETURN(chat.type, ParseChatType(type));
  ASSIGN_OR_RETURN(chat.title, OptionalString(input, "title", ""));
  ASSIGN_OR_RETURN(chat.username, Username(input));
  ASSIGN_OR_RETURN(chat.linked_chat_id, OptionalInt(input, "linked_chat_id", 0));
  if (const boost::json::value* permissions = input.if_contains("permissions"); permissions != nullptr) {
    if (!permissions->is_object()) return absl::InvalidArgumentError("field \"permissions\" must be an object");
    RETURN_IF_ERROR(ApplyPermissionFields(permissions->as_object(), chat.permissions));
  }
  if (chat.type == ChatType::kPrivate ? chat.id <= 0 : chat.id >= 0) {
    return absl::InvalidArgumentError("private chats have the user's (positive) id; other chats negative ids");
  }
  return world_.Run([&](World::Tx& tx) -> Result {
    if (chat.type == ChatType::kPrivate && tx.FindUser(chat.id) == nullptr) {
      return absl::NotFoundError(absl::StrCat("user ", chat.id, " not found: add the user first"));
    }
    const int64_t id = chat.id;
    RETURN_IF_ERROR(tx.PutChat(std::move(chat)));
    Chat* stored = tx.FindChat(id);
    if (Chat* linked = tx.FindChat(stored->linked_chat_id); linked != nullptr && linked->linked_chat_id == 0) {
      linked->linked_chat_id = id;
    }
    return boost::json::object{{"chat", ChatFullInfoJson(tx.state(), *stored)}};
  });
}

ControlApi::Result ControlApi::SetMember(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  ASSIGN_OR_RETURN(const std::string status, OptionalString(input, "status", ""));
  Member member;
  ASSIGN_OR_RETURN(member.status, ParseMemberStatus(status));
  ASSIGN_OR_RETURN(member.until_date, OptionalInt(input, "until_date", 0));
  ASSIGN_OR_RETURN(member.is_anonymous, OptionalBool(input, "is_anonymous", false));
  ASSIGN_OR_RETURN(member.custom_title, OptionalString(input, "custom_title", ""));
  if (member.status == MemberStatus::kAdministrator) {
    RETURN_IF_ERROR(ApplyRightFields(input, member.rights));
  }
  if (member.status == MemberStatus::kRestricted) {
    ASSIGN_OR_RETURN(member.is_member, OptionalBool(input, "is_member", true));
    member.permissions = NoPermissions();
    if (const boost::json::value* permissions = input.if_contains("permissions"); permissions != nullptr) {
      if (!permissions->is_object()) return absl::InvalidArgumentError("field \"permissions\" must be an object");
      RETURN_IF_ERROR(ApplyPermissionFields(permissions->as_object(), member.permissions));
    }
    RETURN_IF_ERROR(ApplyPermissionFields(input, member.permissions));
  }
  return world_.Run([&](World::Tx& tx) -> Result {
    Chat* chat = tx.FindChat(chat_id);
    if (chat == nullptr) return absl::NotFoundError(absl::StrCat("chat ", chat_id, " not found"));
    if (tx.FindUser(user_id) == nullptr) return absl::NotFoundError(absl::StrCat("user ", user_id, " not found"));
    ASSIGN_OR_RETURN(const int64_t actor_id, OptionalInt(input, "actor_id", DefaultActor(*chat, user_id)));
    const int64_t update_id = tx.ChangeMember(*chat, user_id, member, actor_id, Notify::kBotOnly);
    return boost::json::object{{"update_id", update_id},
                               {"member", ChatMemberJson(tx.state(), *chat, user_id, tx.MemberOf(*chat, user_id))}};
  });
}

ControlApi::Result ControlApi::Calls(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t since, OptionalInt(input, "since", 0));
  ASSIGN_OR_RETURN(const int64_t limit, OptionalInt(input, "limit", 10000));
  ASSIGN_OR_RETURN(const std::string method, OptionalString(input, "method", ""));
  boost::json::array calls;
  for (const CallRecord& record : call_log_.Since(since, method, static_cast<size_t>(std::max<int64_t>(limit, 0)))) {
    calls.push_back(record.ToJson());
  }
  return boost::json::object{
      {"calls", std::move(calls)}, {"next_seq", call_log_.next_seq()}, {"oldest_seq", call_log_.oldest_seq()}};
}

ControlApi::Result ControlApi::GetMember(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  ASSIGN_OR_RETURN(const int64_t user_id, RequiredInt(input, "user_id"));
  return world_.Run([&](World::Tx& tx) -> Result {
    const Chat* chat = tx.FindChat(chat_id);
    if (chat == nullptr) return absl::NotFoundError(absl::StrCat("chat ", chat_id, " not found"));
    return boost::json::object{{"member", ChatMemberJson(tx.state(), *chat, user_id, tx.MemberOf(*chat, user_id))}};
  });
}

ControlApi::Result ControlApi::Messages(const Input& input) {
  ASSIGN_OR_RETURN(const int64_t chat_id, RequiredInt(input, "chat_id"));
  return world_.Run([&](World::Tx& tx) -> Result {
    const Chat* chat = tx.FindChat(chat_id);
    if (chat == nullptr) return absl::NotFoundError(absl::StrCat("chat ", chat_id, " not found"));
    boost::json::array messages;
    for (const auto& [id, message] : chat->messages) {
      boost::json::object json = MessageJson(tx.state(), message);
      json["deleted"] = message.deleted;
      json["outgoing"] = message.outgoing;
      messages.push_back(std::move(json));
    }
    return boost::json::object{{"messages", std::move(messages)}};
  });
}

ControlApi::Result ControlApi::CallbackAnswer(const Input& input) {
  ASSIGN_OR_RETURN(const std::string id, OptionalString(input, "id", ""));
  return world_.Run([&](World::Tx& tx) -> Result {
    const CallbackQuery* query = tx.FindCallbackQuery(id);
    if (query == nullptr) return absl::NotFoundError(absl::StrCat("callback query \"", id, "\" not found"));
    return boost::json::object{
        {"answered", query->answered}, {"text", query->answer_text},      {"show_alert", query->show_alert},
        {"url", query->url},           {"cache_time", query->cache_time}, {"user_id", query->user_id},
        {"data", query->data}};
  });
}

}  // namespace subguard::sandbox
