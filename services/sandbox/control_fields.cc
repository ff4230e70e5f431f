#include "services/sandbox/control_fields.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <initializer_list>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/http/url.h"

namespace subguard::sandbox {
namespace {

absl::Status WrongType(std::string_view name, std::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("field \"", base::ToAbsl(name), "\" must be ", base::ToAbsl(expected)));
}

absl::Status ApplyBoolFields(const boost::json::object& input,
                             std::initializer_list<std::pair<std::string_view, bool*>> fields) {
  for (const auto& [name, field] : fields) {
    absl::StatusOr<bool> value = OptionalBool(input, name, *field);
    if (!value.ok()) return value.status();
    *field = *value;
  }
  return absl::OkStatus();
}

int HttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 507;
    default:
      return 500;
  }
}

}  // namespace

absl::StatusOr<boost::json::object> ControlInput(const http::Request& request) {
  boost::json::object input;
  for (auto& [name, value] : http::ParseQuery(request.query)) input[name] = value;
  if (request.method == "GET" || request.body.empty()) return input;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(request.body, ec);
  if (ec || !body.is_object()) return absl::InvalidArgumentError("the body must be a JSON object");
  for (auto& [key, value] : body.as_object()) input[key] = value;
  return input;
}

http::Response ControlReply(const absl::StatusOr<boost::json::object>& result) {
  if (!result.ok()) {
    const boost::json::object body{{"ok", false}, {"description", std::string(result.status().message())}};
    return http::Response::Json(HttpStatus(result.status().code()), boost::json::serialize(body));
  }
  boost::json::object body{{"ok", true}};
  for (const auto& [key, value] : *result) body[key] = value;
  return http::Response::Json(200, boost::json::serialize(body));
}

absl::StatusOr<int64_t> OptionalInt(const boost::json::object& input, std::string_view name, int64_t fallback) {
  const boost::json::value* value = input.if_contains(name);
  if (value == nullptr || value->is_null()) return fallback;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(value->as_uint64());
  }
  int64_t parsed = 0;
  if (value->is_string() && absl::SimpleAtoi(std::string(value->as_string()), &parsed)) return parsed;
  return WrongType(name, "an integer");
}

absl::StatusOr<int64_t> RequiredInt(const boost::json::object& input, std::string_view name) {
  if (!input.contains(name)) {
    return absl::InvalidArgumentError(absl::StrCat("field \"", base::ToAbsl(name), "\" is required"));
  }
  return OptionalInt(input, name, 0);
}

absl::StatusOr<std::string> OptionalString(const boost::json::object& input, std::string_view name,
                                           std::string fallback) {
  const boost::json::value* value = input.if_contains(name);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_string()) return WrongType(name, "a string");
  return std::string(value->as_string());
}

absl::StatusOr<bool> OptionalBool(const boost::json::object& input, std::string_view name, bool fallback) {
  const boost::json::value* value = input.if_contains(name);
  if (value == nullptr || value->is_null()) return fallback;
  if (value->is_bool()) return value->as_bool();
  if (value->is_string() && (value->as_string() == "true" || value->as_string() == "false")) {
    return value->as_string() == "true";
  }
  return WrongType(name, "a boolean");
}

absl::Status ApplyPermissionFields(const boost::json::object& input, ChatPermissions& p) {
  return ApplyBoolFields(input, {{"can_send_messages", &p.can_send_messages},
                                 {"can_send_audios", &p.can_send_audios},
                                 {"can_send_documents", &p.can_send_documents},
                                 {"can_send_photos", &p.can_send_photos},
                                 {"can_send_videos", &p.can_send_videos},
                                 {"can_send_video_notes", &p.can_send_video_notes},
                                 {"can_send_voice_notes", &p.can_send_voice_notes},
                                 {"can_send_polls", &p.can_send_polls},
                                 {"can_send_other_messages", &p.can_send_other_messages},
                                 {"can_add_web_page_previews", &p.can_add_web_page_previews},
                                 {"can_change_info", &p.can_change_info},
                                 {"can_invite_users", &p.can_invite_users},
                                 {"can_pin_messages", &p.can_pin_messages},
                                 {"can_manage_topics", &p.can_manage_topics}});
}

absl::Status ApplyRightFields(const boost::json::object& input, AdminRights& r) {
  return ApplyBoolFields(input, {{"can_be_edited", &r.can_be_edited},
                                 {"is_anonymous", &r.is_anonymous},
                                 {"can_manage_chat", &r.can_manage_chat},
                                 {"can_delete_messages", &r.can_delete_messages},
                                 {"can_manage_video_chats", &r.can_manage_video_chats},
                                 {"can_restrict_members", &r.can_restrict_members},
                                 {"can_promote_members", &r.can_promote_members},
                                 {"can_change_info", &r.can_change_info},
                                 {"can_invite_users", &r.can_invite_users},
                                 {"can_post_messages", &r.can_post_messages},
                                 {"can_edit_messages", &r.can_edit_messages},
                                 {"can_pin_messages", &r.can_pin_messages},
                                 {"can_manage_topics", &r.can_manage_topics},
                                 {"can_post_stories", &r.can_post_stories},
                                 {"can_edit_stories", &r.can_edit_stories},
                                 {"can_delete_stories", &r.can_delete_stories}});
}

}  // namespace subguard::sandbox
