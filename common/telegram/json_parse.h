// Bot API JSON objects into the protobuf types of protos/subguard/v1/update.proto and action.proto.
//
// Each function checks the types of the fields it reads (json_fields.h) and requires the ids it
// cannot do without (a user's id, a chat's id and type, a message's id); other fields default when
// absent, and fields subguard does not read are ignored. Errors are kInvalidArgument and name the
// path to the bad field ("message: chat: field 'id' is missing").
// Thread-safe (pure functions). Cost: linear in the object.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "absl/status/statusor.h"
#include "common/telegram/bot_api.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::telegram {

absl::StatusOr<v1::User> ParseUser(const boost::json::value& json);
absl::StatusOr<v1::Chat> ParseChat(const boost::json::value& json);
// text is the text, else the caption; has_media is set for any attachment (photo, video, sticker...).
// A callback's inaccessible message (Bot API 7.0: date 0, only chat and message_id) parses too.
absl::StatusOr<v1::Message> ParseMessage(const boost::json::value& json);
// is_member is normalised to "the user is in the chat": true for creator, administrator and member,
// the JSON field for restricted, false for left and kicked. A creator has every right, so its
// can_* fields are set true. can_send_messages is true for member and the JSON field for restricted.
absl::StatusOr<v1::ChatMember> ParseChatMember(const boost::json::value& json);
absl::StatusOr<std::vector<v1::ChatMember>> ParseChatMembers(const boost::json::value& json);
absl::StatusOr<v1::ChatMemberUpdated> ParseChatMemberUpdated(const boost::json::value& json);
absl::StatusOr<v1::CallbackQuery> ParseCallbackQuery(const boost::json::value& json);
absl::StatusOr<v1::ChatJoinRequest> ParseChatJoinRequest(const boost::json::value& json);
absl::StatusOr<v1::ChatPermissions> ParseChatPermissions(const boost::json::value& json);
// getChat's result (ChatFullInfo): the chat, its default member permissions, its linked chat.
absl::StatusOr<ChatInfo> ParseChatInfo(const boost::json::value& json);

}  // namespace subguard::telegram
