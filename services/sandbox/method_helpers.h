// Checks the Bot API methods share, with the official server's error texts (Client.cpp check_chat,
// check_chat_access, get_user_id). All run inside World::Run.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "services/sandbox/params.h"
#include "services/sandbox/world.h"

namespace subguard::sandbox {

// How much a method needs of a chat, as Client.cpp's AccessRights.
enum class Access { kRead, kReadMembers, kEdit, kWrite };

// The chat named by the "chat_id" parameter (or name: "from_chat_id"), an id or "@username" of a public
// chat, if the bot may use it that way: "chat_id is empty", "chat not found", or 403s such as "bot is not a
// member of the supergroup chat" and "bot was kicked from the channel chat"; for a basic group upgraded to a
// supergroup, "group chat was upgraded to a supergroup chat" with parameters.migrate_to_chat_id.
absl::StatusOr<Chat*> ResolveChat(World::Tx& tx, const Params& params, Access access,
                                  std::string_view name = "chat_id");

// What the bot needs to write in a chat it is in (sendMessage's refusals after check_chat).
absl::Status CheckCanWrite(World::Tx& tx, const Chat& chat);

// A positive user id from the parameter: "invalid user_id specified" otherwise.
absl::StatusOr<int64_t> GetUserId(const Params& params, std::string_view name = "user_id");

// The user the world knows by that id: "user not found" otherwise.
absl::StatusOr<const User*> FindUser(World::Tx& tx, int64_t user_id);

// Whether the bot may restrict, ban or unban user_id in chat: "can't restrict self", "not enough rights to
// restrict/unrestrict chat member", "can't remove chat owner", "user is an administrator of the chat".
absl::Status CheckCanRestrict(World::Tx& tx, const Chat& chat, int64_t user_id);

// Telegram treats an until_date under 30 seconds or over 366 days away as "for ever" (0).
int64_t NormalizeUntilDate(int64_t until_date, int64_t now);

}  // namespace subguard::sandbox
