#include "services/verifier/group_permissions.h"

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/verifier/decide/actions.h"

namespace subguard::verifier {

GroupPermissions::GroupPermissions(telegram::BotApi& bot_api, const base::Clock& clock, size_t max_entries,
                                   absl::Duration ttl)
    : bot_api_(bot_api), cache_(max_entries, ttl, clock) {}

absl::StatusOr<v1::ChatPermissions> GroupPermissions::Get(int64_t chat_id) {
  {
    absl::MutexLock lock(&mu_);
    if (auto cached = cache_.Get(chat_id)) return *cached;
  }
  auto info = bot_api_.GetChat(absl::StrCat(chat_id));
  if (!info.ok()) {
    if (telegram::IsRetryable(info.status())) return info.status();
    log::Warn("group_permissions_unknown", {{"chat_id", chat_id}, {"status", info.status()}});
    return decide::DefaultMemberPermissions();
  }
  absl::MutexLock lock(&mu_);
  cache_.Put(chat_id, info->permissions);
  return info->permissions;
}

}  // namespace subguard::verifier
