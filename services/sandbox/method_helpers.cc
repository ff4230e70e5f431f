#include "services/sandbox/method_helpers.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

// Client.cpp check_chat_access: what the bot's own standing allows.
absl::Status CheckAccess(World::Tx& tx, const Chat& chat, Access access) {
  const bool need_write = access == Access::kWrite;
  const bool need_edit = access == Access::kEdit || need_write;
  const Member bot = tx.MemberOf(chat, tx.bot().id);
  const bool bot_in_chat = tx.IsInChat(chat, tx.bot().id);
  switch (chat.type) {
    case ChatType::kPrivate:
      return absl::OkStatus();
    case ChatType::kGroup: {
      // The member list of a group needs the same standing as writing to it.
      const bool need = need_edit || access == Access::kReadMembers;
      if (need && bot.status == MemberStatus::kKicked) return Forbidden("bot was kicked from the group chat");
      if (need && !bot_in_chat) return Forbidden("bot is not a member of the group chat");
      return absl::OkStatus();
    }
    case ChatType::kSupergroup:
    case ChatType::kChannel: {
      const char* kind = chat.type == ChatType::kSupergroup ? "supergroup chat" : "channel chat";
      if (bot.status == MemberStatus::kKicked) return Forbidden(absl::StrCat("bot was kicked from the ", kind));
      // A public chat can be read without being in it.
      const bool need_membership = chat.username.empty() || need_edit;
      if (need_membership && !bot_in_chat) return Forbidden(absl::StrCat("bot is not a member of the ", kind));
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Chat*> ResolveChat(World::Tx& tx, const Params& params, Access access, std::string_view name) {
  const std::string chat_id = params.Get(name);
  if (chat_id.empty()) return BadRequest(absl::StrCat(std::string(name), " is empty"));
  Chat* chat = nullptr;
  if (chat_id[0] == '@') {
    chat = tx.FindChatByUsername(std::string_view(chat_id).substr(1));
  } else if (int64_t id = 0; absl::SimpleAtoi(chat_id, &id)) {
    chat = tx.FindChat(id);
  }
  if (chat == nullptr) return BadRequest("chat not found");
  if (chat->migrated_to_chat_id != 0) return GroupUpgraded(chat->migrated_to_chat_id);
  if (absl::Status status = CheckAccess(tx, *chat, access); !status.ok()) return status;
  return chat;
}

absl::Status CheckCanWrite(World::Tx& tx, const Chat& chat) {
  const Member bot = tx.MemberOf(chat, tx.bot().id);
  switch (chat.type) {
    case ChatType::kPrivate:
      return absl::OkStatus();
    case ChatType::kChannel:
      if (bot.status == MemberStatus::kCreator ||
          (bot.status == MemberStatus::kAdministrator && bot.rights.can_post_messages)) {
        return absl::OkStatus();
      }
      return BadRequest("need administrator rights in the channel chat");
    case ChatType::kGroup:
    case ChatType::kSupergroup: {
      const bool may_send = bot.status == MemberStatus::kCreator || bot.status == MemberStatus::kAdministrator ||
                            (bot.status == MemberStatus::kRestricted ? bot.permissions.can_send_messages
                                                                     : chat.permissions.can_send_messages);
      if (!may_send) return BadRequest("not enough rights to send text messages to the chat");
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> GetUserId(const Params& params, std::string_view name) {
  const int64_t user_id = params.GetInt(name);
  if (user_id <= 0) return BadRequest(absl::StrCat("Invalid ", std::string(name), " specified"));
  return user_id;
}

absl::StatusOr<const User*> FindUser(World::Tx& tx, int64_t user_id) {
  const User* user = tx.FindUser(user_id);
  if (user == nullptr) return BadRequest("user not found");
  return user;
}

absl::Status CheckCanRestrict(World::Tx& tx, const Chat& chat, int64_t user_id) {
  if (user_id == tx.bot().id) return BadRequest("can't restrict self");
  const Member bot = tx.MemberOf(chat, tx.bot().id);
  const bool can_restrict = bot.status == MemberStatus::kCreator ||
                            (bot.status == MemberStatus::kAdministrator && bot.rights.can_restrict_members);
  if (!can_restrict) return BadRequest("not enough rights to restrict/unrestrict chat member");
  const MemberStatus target = tx.MemberOf(chat, user_id).status;
  if (target == MemberStatus::kCreator) return BadRequest("can't remove chat owner");
  if (target == MemberStatus::kAdministrator) return BadRequest("user is an administrator of the chat");
  return absl::OkStatus();
}

int64_t NormalizeUntilDate(int64_t until_date, int64_t now) {
  constexpr int64_t kMinSeconds = 30;
  constexpr int64_t kMaxSeconds = 366 * 86400;
  if (until_date <= 0 || until_date - now < kMinSeconds || until_date - now > kMaxSeconds) return 0;
  return until_date;
}

}  // namespace subguard::sandbox
