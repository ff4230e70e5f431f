// getChat, getChatMember, getChatAdministrators, getChatMemberCount (Client.cpp process_get_chat_*_query).
#include <boost/json/array.hpp>

#include "services/sandbox/bot_json.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/method_helpers.h"
#include "services/sandbox/methods.h"

namespace subguard::sandbox {
namespace {

// In a channel only administrators see the member list; the official server passes Telegram's refusal on.
absl::Status CheckMemberListAccess(World::Tx& tx, const Chat& chat) {
  if (chat.type == ChatType::kChannel && !tx.IsAdmin(chat, tx.bot().id)) {
    return BadRequest("member list is inaccessible");
  }
  return absl::OkStatus();
}

absl::StatusOr<MethodResult> GetChat(MethodContext& context, const Params& params) {
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kRead);
    if (!chat.ok()) return chat.status();
    return ChatFullInfoJson(tx.state(), **chat);
  });
}

absl::StatusOr<MethodResult> GetChatMember(MethodContext& context, const Params& params) {
  absl::StatusOr<int64_t> user_id = GetUserId(params);
  if (!user_id.ok()) return user_id.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    const bool about_self = *user_id == tx.bot().id;
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, about_self ? Access::kRead : Access::kReadMembers);
    if (!chat.ok()) return chat.status();
    if (!about_self) {
      if (absl::Status status = CheckMemberListAccess(tx, **chat); !status.ok()) return status;
    }
    if (absl::StatusOr<const User*> user = FindUser(tx, *user_id); !user.ok()) return user.status();
    Member member = tx.MemberOf(**chat, *user_id);
    // Both sides of a private chat are its members.
    if ((*chat)->type == ChatType::kPrivate && (about_self || *user_id == (*chat)->id)) {
      member = Member{.status = MemberStatus::kMember};
    }
    return ChatMemberJson(tx.state(), **chat, *user_id, member);
  });
}

absl::StatusOr<MethodResult> GetChatAdministrators(MethodContext& context, const Params& params) {
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kReadMembers);
    if (!chat.ok()) return chat.status();
    if ((*chat)->type == ChatType::kPrivate) return BadRequest("there are no administrators in the private chat");
    if (absl::Status status = CheckMemberListAccess(tx, **chat); !status.ok()) return status;
    boost::json::array admins;
    for (const auto& [user_id, stored] : (*chat)->members) {
      if (!tx.IsAdmin(**chat, user_id)) continue;
      // The official server leaves other bots out of the list.
      const User* user = tx.FindUser(user_id);
      if (user != nullptr && user->is_bot && user_id != tx.bot().id) continue;
      admins.push_back(ChatMemberJson(tx.state(), **chat, user_id, tx.MemberOf(**chat, user_id)));
    }
    return admins;
  });
}

absl::StatusOr<MethodResult> GetChatMemberCount(MethodContext& context, const Params& params) {
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kReadMembers);
    if (!chat.ok()) return chat.status();
    if ((*chat)->type == ChatType::kPrivate) return 2;
    int64_t count = 0;
    for (const auto& [user_id, stored] : (*chat)->members) count += tx.IsInChat(**chat, user_id) ? 1 : 0;
    return count;
  });
}

}  // namespace

std::vector<MethodSpec> ChatMethods() {
  return {{"getChat", &GetChat},
          {"getChatMember", &GetChatMember},
          {"getChatAdministrators", &GetChatAdministrators},
          {"getChatMemberCount", &GetChatMemberCount},
          {"getChatMembersCount", &GetChatMemberCount}};
}

}  // namespace subguard::sandbox
