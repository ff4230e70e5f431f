// The Bot API's JSON objects, written from the sandbox's world: User, Chat, ChatFullInfo, ChatMember,
// ChatPermissions, Message, CallbackQuery, ChatMemberUpdated, InlineKeyboardMarkup.
//
// Field names, order and presence follow telegram-bot-api Client.cpp (JsonUser, JsonChat, JsonChatMember,
// json_store_permissions, json_store_administrator_rights, ...). The sandbox never uses
// common/telegram's serializers, so the two sides stay independent. Pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/sandbox/world_types.h"

namespace subguard::sandbox {

std::string_view ChatTypeName(ChatType type);
std::string_view MemberStatusName(MemberStatus status);

// getMe's full form adds can_join_groups and the other bot-only fields.
boost::json::object UserJson(const User& user, bool full_bot_info = false);
// A user by id; an unknown id writes what the official server does for one: the id and an empty first_name.
boost::json::object UserJson(const WorldState& world, int64_t user_id);

// The short Chat inside messages and updates.
boost::json::object ChatJson(const WorldState& world, const Chat& chat);
// getChat's ChatFullInfo: the short form plus permissions (groups) and linked_chat_id.
boost::json::object ChatFullInfoJson(const WorldState& world, const Chat& chat);

boost::json::object PermissionsJson(const ChatPermissions& permissions);
boost::json::object ChatMemberJson(const WorldState& world, const Chat& chat, int64_t user_id, const Member& member);
boost::json::object ChatMemberUpdatedJson(const WorldState& world, const Chat& chat, int64_t actor_id, int64_t date,
                                          int64_t user_id, const Member& old_member, const Member& new_member);

boost::json::object KeyboardJson(const InlineKeyboard& keyboard);
boost::json::object MessageJson(const WorldState& world, const Message& message);
// message is the message with the button, or null when it is gone.
boost::json::object CallbackQueryJson(const WorldState& world, const CallbackQuery& query, const Message* message);

// Reads a ChatPermissions object as restrictChatMember and setChatPermissions do, with the official server's
// rules for omitted fields: can_send_media_messages stands for the six media fields unless one of them is
// given, and unless use_independent_chat_permissions is set, sending media, polls or other messages implies
// can_send_messages. BadRequest for what is not an object of booleans.
absl::StatusOr<ChatPermissions> ParsePermissions(const boost::json::value& json, bool use_independent);

// Reads an InlineKeyboardMarkup ({"inline_keyboard":[[{"text":..,"callback_data":..}]]}); other reply markups
// read as an empty keyboard. BadRequest for a malformed one, with the official server's texts.
absl::StatusOr<InlineKeyboard> ParseInlineKeyboard(const boost::json::value& json);

}  // namespace subguard::sandbox
