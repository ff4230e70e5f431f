#include "services/sandbox/control_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "common/http/url.h"

namespace subguard::sandbox {
namespace {

absl::Status StatusOfHttp(int http_status, std::string_view description) {
  const std::string message = absl::StrCat("sandbox control API: ", base::ToAbsl(description));
  switch (http_status) {
    case 400:
      return absl::InvalidArgumentError(message);
    case 403:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    case 409:
      return absl::FailedPreconditionError(message);
    case 507:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(absl::StrCat(message, " (HTTP ", http_status, ")"));
  }
}

absl::StatusOr<boost::json::object> ParseReply(const absl::StatusOr<http::HttpResponse>& response) {
  if (!response.ok()) return response.status();
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response->body, ec);
  if (ec || !body.is_object()) {
    return StatusOfHttp(response->status == 200 ? 500 : response->status, response->body);
  }
  boost::json::object& object = body.as_object();
  if (response->status != 200) {
    const boost::json::value* description = object.if_contains("description");
    return StatusOfHttp(response->status, description != nullptr && description->is_string()
                                              ? std::string_view(description->as_string())
                                              : std::string_view(response->body));
  }
  object.erase("ok");
  return std::move(object);
}

int64_t IntField(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

std::string StringField(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool BoolField(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  return value != nullptr && value->is_bool() && value->as_bool();
}

absl::StatusOr<boost::json::array> ArrayField(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_array()) {
    return absl::InternalError(absl::StrCat("sandbox control API: reply has no \"", base::ToAbsl(name), "\" array"));
  }
  return value->as_array();
}

EventResult ToEventResult(const boost::json::object& reply) {
  return EventResult{.update_id = IntField(reply, "update_id"),
                     .message_id = IntField(reply, "message_id"),
                     .message_update_id = IntField(reply, "message_update_id"),
                     .forward_message_id = IntField(reply, "forward_message_id")};
}

}  // namespace

ControlClient::ControlClient(std::string base_url, absl::Duration timeout)
    : base_url_(std::move(base_url)), timeout_(timeout) {}

absl::StatusOr<boost::json::object> ControlClient::Post(std::string_view path, const boost::json::object& body) {
  return ParseReply(http_.Post(absl::StrCat(base_url_, base::ToAbsl(path)), "application/json",
                               boost::json::serialize(body), timeout_));
}

absl::StatusOr<boost::json::object> ControlClient::Get(std::string_view path_and_query) {
  return ParseReply(http_.Get(absl::StrCat(base_url_, base::ToAbsl(path_and_query)), timeout_));
}

absl::Status ControlClient::Reset() { return Post("/control/reset", {}).status(); }

absl::Status ControlClient::AddUser(const UserSpec& user) {
  boost::json::object body{{"id", user.id}, {"is_bot", user.is_bot}};
  if (!user.first_name.empty()) body["first_name"] = user.first_name;
  if (!user.last_name.empty()) body["last_name"] = user.last_name;
  if (!user.username.empty()) body["username"] = user.username;
  return Post("/control/users", body).status();
}

absl::Status ControlClient::AddChat(const ChatSpec& chat) {
  boost::json::object body{{"id", chat.id}, {"type", chat.type}, {"title", chat.title}};
  if (!chat.username.empty()) body["username"] = chat.username;
  if (chat.linked_chat_id != 0) body["linked_chat_id"] = chat.linked_chat_id;
  if (!chat.permissions.empty()) body["permissions"] = chat.permissions;
  return Post("/control/chats", body).status();
}

absl::StatusOr<EventResult> ControlClient::SetMember(const MemberSpec& member) {
  boost::json::object body = member.fields;
  body["chat_id"] = member.chat_id;
  body["user_id"] = member.user_id;
  body["status"] = member.status;
  ASSIGN_OR_RETURN(const boost::json::object reply, Post("/control/members", body));
  return ToEventResult(reply);
}

absl::StatusOr<EventResult> ControlClient::RequestJoin(int64_t chat_id, int64_t user_id) {
  ASSIGN_OR_RETURN(const boost::json::object reply,
                   Post("/control/join_request", {{"chat_id", chat_id}, {"user_id", user_id}}));
  return ToEventResult(reply);
}

absl::StatusOr<EventResult> ControlClient::Join(int64_t chat_id, int64_t user_id) {
  ASSIGN_OR_RETURN(const boost::json::object reply,
                   Post("/control/join", {{"chat_id", chat_id}, {"user_id", user_id}}));
  return ToEventResult(reply);
}

absl::StatusOr<EventResult> ControlClient::Leave(int64_t chat_id, int64_t user_id) {
  ASSIGN_OR_RETURN(const boost::json::object reply,
                   Post("/control/leave", {{"chat_id", chat_id}, {"user_id", user_id}}));
  return ToEventResult(reply);
}

absl::StatusOr<AlbumResult> ControlClient::PostAlbum(int64_t chat_id, int64_t user_id, int parts,
                                                     std::string_view caption) {
  ASSIGN_OR_RETURN(
      const boost::json::object reply,
      Post("/control/album", {{"chat_id", chat_id}, {"user_id", user_id}, {"parts", parts}, {"caption", caption}}));
  AlbumResult album;
  if (const boost::json::value* id = reply.if_contains("media_group_id"); id != nullptr && id->is_string()) {
    album.media_group_id = std::string(id->as_string());
  }
  for (const auto& [field, ids] : {std::pair{"message_ids", &album.message_ids}, {"update_ids", &album.update_ids}}) {
    if (const boost::json::value* list = reply.if_contains(field); list != nullptr && list->is_array()) {
      for (const boost::json::value& value : list->as_array()) {
        if (value.is_int64()) ids->push_back(value.as_int64());
      }
    }
  }
  return album;
}

absl::StatusOr<EventResult> ControlClient::Send(int64_t chat_id, int64_t user_id, std::string_view text,
                                                const SendOptions& options) {
  boost::json::object body{{"chat_id", chat_id}, {"user_id", user_id}, {"text", text}};
  if (options.reply_to_message_id != 0) body["reply_to_message_id"] = options.reply_to_message_id;
  if (options.sender_chat_id != 0) body["sender_chat_id"] = options.sender_chat_id;
  ASSIGN_OR_RETURN(const boost::json::object reply, Post("/control/send", body));
  return ToEventResult(reply);
}

absl::StatusOr<PressResult> ControlClient::Press(int64_t chat_id, int64_t message_id, int64_t user_id, int button) {
  boost::json::object body{{"chat_id", chat_id}, {"message_id", message_id}, {"user_id", user_id}};
  if (button >= 0) body["button"] = button;
  ASSIGN_OR_RETURN(const boost::json::object reply, Post("/control/press", body));
  return PressResult{StringField(reply, "callback_query_id"), IntField(reply, "update_id")};
}

absl::StatusOr<boost::json::array> ControlClient::Calls(std::string_view method, int64_t since) {
  ASSIGN_OR_RETURN(const boost::json::object reply,
                   Get(absl::StrCat("/control/calls?since=", since, "&method=", http::PercentEncode(method))));
  return ArrayField(reply, "calls");
}

absl::StatusOr<boost::json::object> ControlClient::Member(int64_t chat_id, int64_t user_id) {
  ASSIGN_OR_RETURN(const boost::json::object reply,
                   Get(absl::StrCat("/control/member?chat_id=", chat_id, "&user_id=", user_id)));
  const boost::json::value* member = reply.if_contains("member");
  if (member == nullptr || !member->is_object()) return absl::InternalError("sandbox control API: no member");
  return member->as_object();
}

absl::StatusOr<boost::json::array> ControlClient::Messages(int64_t chat_id) {
  ASSIGN_OR_RETURN(const boost::json::object reply, Get(absl::StrCat("/control/messages?chat_id=", chat_id)));
  return ArrayField(reply, "messages");
}

absl::StatusOr<CallbackAnswer> ControlClient::GetCallbackAnswer(std::string_view callback_query_id) {
  ASSIGN_OR_RETURN(const boost::json::object reply,
                   Get(absl::StrCat("/control/callback_answer?id=", http::PercentEncode(callback_query_id))));
  return CallbackAnswer{BoolField(reply, "answered"), StringField(reply, "text"), BoolField(reply, "show_alert"),
                        StringField(reply, "url")};
}

}  // namespace subguard::sandbox
