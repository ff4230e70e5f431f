#include "services/verifier/seen_members.h"

#include "common/observability/log.h"

namespace subguard::verifier {
namespace {

constexpr char kUpsertSeen[] = R"sql(
  INSERT INTO seen_members (group_chat_id, user_id) VALUES ($1, $2)
  ON CONFLICT (group_chat_id, user_id) DO UPDATE SET last_seen_at = now())sql";

}  // namespace

void SeenMembers::Saw(int64_t group_chat_id, int64_t user_id) {
  const Key key{group_chat_id, user_id};
  {
    absl::MutexLock lock(&mu_);
    if (written_.Get(key).has_value()) return;
  }
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kUpsertSeen, group_chat_id, user_id);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    log::Warn("seen_member_not_recorded", {{"chat_id", group_chat_id}, {"user_id", user_id}, {"status", status}});
    return;
  }
  absl::MutexLock lock(&mu_);
  written_.Put(key, true);
}

}  // namespace subguard::verifier
