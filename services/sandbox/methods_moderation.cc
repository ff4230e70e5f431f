// restrictChatMember, banChatMember, unbanChatMember (Client.cpp process_restrict_chat_member_query and
// friends; the refusals are Telegram's, passed on by the official server).
#include <array>
#include <boost/json/object.hpp>

#include "services/sandbox/bot_json.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/method_helpers.h"
#include "services/sandbox/methods.h"

namespace subguard::sandbox {
namespace {

// The "permissions" parameter, or without it the older top-level fields (can_send_messages,
// can_send_media_messages, can_send_other_messages, can_add_web_page_previews), where all four true lifts
// every restriction.
absl::StatusOr<ChatPermissions> ReadPermissions(const Params& params) {
  const bool independent = params.GetBool("use_independent_chat_permissions");
  if (params.Has("permissions")) {
    absl::StatusOr<boost::json::value> json = params.GetJson("permissions", "permissions");
    if (!json.ok()) return json.status();
    return ParsePermissions(*json, independent);
  }
  boost::json::object legacy;
  bool all = true;
  for (const char* name :
       {"can_send_messages", "can_send_media_messages", "can_send_other_messages", "can_add_web_page_previews"}) {
    legacy[name] = params.GetBool(name);
    all = all && params.GetBool(name);
  }
  absl::StatusOr<ChatPermissions> permissions = ParsePermissions(legacy, independent);
  if (permissions.ok() && all) {
    permissions->can_send_polls = permissions->can_change_info = permissions->can_invite_users = true;
    permissions->can_pin_messages = permissions->can_manage_topics = true;
  }
  return permissions;
}

// Whether the permissions take nothing away from what the chat allows every member: then Telegram keeps the
// user a plain member rather than a restricted one.
bool RestrictsNothing(const ChatPermissions& given, const ChatPermissions& defaults) {
  const auto fields = [](const ChatPermissions& p) {
    return std::array<bool, 14>{p.can_send_messages,         p.can_send_audios,  p.can_send_documents,
                                p.can_send_photos,           p.can_send_videos,  p.can_send_video_notes,
                                p.can_send_voice_notes,      p.can_send_polls,   p.can_send_other_messages,
                                p.can_add_web_page_previews, p.can_change_info,  p.can_invite_users,
                                p.can_pin_messages,          p.can_manage_topics};
  };
  const auto have = fields(given);
  const auto allowed = fields(defaults);
  for (size_t i = 0; i < have.size(); ++i) {
    if (allowed[i] && !have[i]) return false;
  }
  return true;
}

// Whether the user exists and the bot may act on them in the chat.
absl::Status CheckTarget(World::Tx& tx, const Chat& chat, int64_t user_id) {
  if (absl::StatusOr<const User*> user = FindUser(tx, user_id); !user.ok()) return user.status();
  return CheckCanRestrict(tx, chat, user_id);
}

absl::StatusOr<MethodResult> RestrictChatMember(MethodContext& context, const Params& params) {
  absl::StatusOr<int64_t> user_id = GetUserId(params);
  if (!user_id.ok()) return user_id.status();
  absl::StatusOr<ChatPermissions> permissions = ReadPermissions(params);
  if (!permissions.ok()) return permissions.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kWrite);
    if (!chat.ok()) return chat.status();
    if ((*chat)->type != ChatType::kSupergroup) return BadRequest("method is available only for supergroups");
    if (absl::Status status = CheckTarget(tx, **chat, *user_id); !status.ok()) return status;
    const bool in_chat = tx.IsInChat(**chat, *user_id);
    Member member;
    if (RestrictsNothing(*permissions, (*chat)->permissions)) {
      member.status = in_chat ? MemberStatus::kMember : MemberStatus::kLeft;
    } else {
      member.status = MemberStatus::kRestricted;
      member.permissions = *permissions;
      member.is_member = in_chat;
      member.until_date = NormalizeUntilDate(params.GetInt("until_date"), tx.Now());
    }
    tx.ChangeMember(**chat, *user_id, member, tx.bot().id, Notify::kEveryone);
    return true;
  });
}

absl::StatusOr<MethodResult> BanChatMember(MethodContext& context, const Params& params) {
  absl::StatusOr<int64_t> user_id = GetUserId(params);
  if (!user_id.ok()) return user_id.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kWrite);
    if (!chat.ok()) return chat.status();
    if ((*chat)->type == ChatType::kPrivate) return BadRequest("can't ban members in private chats");
    if (absl::Status status = CheckTarget(tx, **chat, *user_id); !status.ok()) return status;
    Member member{.status = MemberStatus::kKicked};
    // Basic groups have no temporary bans.
    if ((*chat)->type != ChatType::kGroup) {
      member.until_date = NormalizeUntilDate(params.GetInt("until_date"), tx.Now());
    }
    tx.ChangeMember(**chat, *user_id, member, tx.bot().id, Notify::kEveryone);
    return true;
  });
}

absl::StatusOr<MethodResult> UnbanChatMember(MethodContext& context, const Params& params) {
  absl::StatusOr<int64_t> user_id = GetUserId(params);
  if (!user_id.ok()) return user_id.status();
  return context.world.Run([&](World::Tx& tx) -> absl::StatusOr<MethodResult> {
    absl::StatusOr<Chat*> chat = ResolveChat(tx, params, Access::kWrite);
    if (!chat.ok()) return chat.status();
    if ((*chat)->type != ChatType::kSupergroup && (*chat)->type != ChatType::kChannel) {
      return BadRequest("method is available for supergroup and channel chats only");
    }
    if (params.GetBool("only_if_banned") && tx.MemberOf(**chat, *user_id).status != MemberStatus::kKicked) {
      return true;
    }
    if (absl::Status status = CheckTarget(tx, **chat, *user_id); !status.ok()) return status;
    // Without only_if_banned, a current member is removed from the chat too (documented Bot API behaviour).
    tx.ChangeMember(**chat, *user_id, Member(), tx.bot().id, Notify::kEveryone);
    return true;
  });
}

}  // namespace

std::vector<MethodSpec> ModerationMethods() {
  return {{"restrictChatMember", &RestrictChatMember},
          {"banChatMember", &BanChatMember},
          {"kickChatMember", &BanChatMember},
          {"unbanChatMember", &UnbanChatMember}};
}

}  // namespace subguard::sandbox
