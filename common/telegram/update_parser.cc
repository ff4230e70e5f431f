#include "common/telegram/update_parser.h"

#include <boost/json/parse.hpp>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/telegram/errors.h"
#include "common/telegram/json_fields.h"
#include "common/telegram/json_parse.h"

namespace subguard::telegram {
namespace {

using boost::json::value;

template <typename T>
absl::StatusOr<T> ParseKind(const value& json, absl::StatusOr<T> (*parse)(const value&), std::string_view kind) {
  absl::StatusOr<T> parsed = parse(json);
  if (!parsed.ok()) return WithContext(parsed.status(), kind);
  return parsed;
}

// The id of the chat (else the user) in a payload of a kind subguard does not parse, so that it
// still keeps its place in that chat's order: most update kinds carry "chat", "from" or "user".
int64_t FallbackChatId(const boost::json::object& update) {
  for (const auto& [key, payload] : update) {
    if (!payload.is_object()) continue;
    for (std::string_view holder : {"chat", "from", "user"}) {
      const value* object = payload.get_object().if_contains(holder);
      if (object == nullptr || !object->is_object()) continue;
      const value* id = object->get_object().if_contains("id");
      if (id != nullptr && id->is_int64()) return id->get_int64();
    }
  }
  return 0;
}

// Parses the payload of the update's kind into out and sets its chat_id. An update of a kind
// subguard does not handle gets no payload.
absl::Status ParsePayload(const boost::json::object& update, v1::Update& out) {
  using MutableMessage = v1::Message* (v1::Update::*)();
  const std::pair<std::string_view, MutableMessage> message_kinds[] = {
      {"message", &v1::Update::mutable_message},
      {"edited_message", &v1::Update::mutable_edited_message},
      {"channel_post", &v1::Update::mutable_channel_post},
      {"edited_channel_post", &v1::Update::mutable_edited_channel_post},
  };
  for (const auto& [kind, mutable_message] : message_kinds) {
    if (const value* json = update.if_contains(kind); json != nullptr) {
      ASSIGN_OR_RETURN(*(out.*mutable_message)(), ParseKind(*json, ParseMessage, kind));
      out.set_chat_id((out.*mutable_message)()->chat().id());
      return absl::OkStatus();
    }
  }
  if (const value* json = update.if_contains("callback_query"); json != nullptr) {
    ASSIGN_OR_RETURN(*out.mutable_callback_query(), ParseKind(*json, ParseCallbackQuery, "callback_query"));
    // A button under an inline-mode message has no message: the user's own order stands in.
    const v1::CallbackQuery& query = out.callback_query();
    out.set_chat_id(query.has_message() ? query.message().chat().id() : query.from().id());
    return absl::OkStatus();
  }
  if (const value* json = update.if_contains("chat_member"); json != nullptr) {
    ASSIGN_OR_RETURN(*out.mutable_chat_member(), ParseKind(*json, ParseChatMemberUpdated, "chat_member"));
    out.set_chat_id(out.chat_member().chat().id());
    return absl::OkStatus();
  }
  if (const value* json = update.if_contains("my_chat_member"); json != nullptr) {
    ASSIGN_OR_RETURN(*out.mutable_my_chat_member(), ParseKind(*json, ParseChatMemberUpdated, "my_chat_member"));
    out.set_chat_id(out.my_chat_member().chat().id());
    return absl::OkStatus();
  }
  if (const value* json = update.if_contains("chat_join_request"); json != nullptr) {
    ASSIGN_OR_RETURN(*out.mutable_chat_join_request(), ParseKind(*json, ParseChatJoinRequest, "chat_join_request"));
    out.set_chat_id(out.chat_join_request().chat().id());
    return absl::OkStatus();
  }
  out.set_chat_id(FallbackChatId(update));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Update> ParseUpdate(std::string_view json) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  // Boost.JSON rejects invalid UTF-8 in strings, and anything nested deeper than max_depth, before
  // building more than that much of the tree. Of duplicate keys, the last one wins.
  const value parsed = boost::json::parse(json, ec, {}, options);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("update: not valid JSON: ", ec.message()));
  if (!parsed.is_object()) return absl::InvalidArgumentError("update: not a JSON object");
  const boost::json::object& object = parsed.get_object();
  FieldReader r(object);
  v1::Update update;
  update.set_update_id(r.RequiredInt64("update_id"));
  RETURN_IF_ERROR(WithContext(r.status(), "update"));
  RETURN_IF_ERROR(WithContext(ParsePayload(object, update), "update"));
  update.set_raw_json(std::string(json));
  return update;
}

}  // namespace subguard::telegram
