#include "services/verifier/seen_members.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/observability/log.h"

namespace subguard::verifier {
namespace {

// $1, $2: the sightings' groups and users as bigint[] literals, pairwise, no pair twice (ON CONFLICT
// cannot touch one row twice in a statement).
constexpr char kUpsertSeen[] = R"sql(
  INSERT INTO seen_members (group_chat_id, user_id)
  SELECT * FROM unnest($1::bigint[], $2::bigint[])
  ON CONFLICT (group_chat_id, user_id) DO UPDATE SET last_seen_at = now())sql";

}  // namespace

SeenMembers::SeenMembers(SeenMembersOptions options, pg::Pool& pool, const base::Clock& clock)
    : options_(options), pool_(pool), written_(options.max_entries, options.refresh, clock) {
  writer_.Start(options_.flush_interval, [this] { Flush(); });
}

SeenMembers::~SeenMembers() {
  writer_.Stop();
  Flush();
}

void SeenMembers::Saw(int64_t group_chat_id, int64_t user_id) {
  const Key key{group_chat_id, user_id};
  absl::MutexLock lock(&mu_);
  if (written_.Get(key).has_value() || pending_.size() >= options_.max_pending) return;
  if (pending_.insert(key).second) written_.Put(key, true);
}

void SeenMembers::Flush() {
  absl::MutexLock flushing(&flush_mu_);
  absl::flat_hash_set<Key> batch;
  {
    absl::MutexLock lock(&mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  std::vector<int64_t> groups, users;
  groups.reserve(batch.size());
  users.reserve(batch.size());
  for (const auto& [group, user] : batch) {
    groups.push_back(group);
    users.push_back(user);
  }
  const std::string group_array = absl::StrCat("{", absl::StrJoin(groups, ","), "}");
  const std::string user_array = absl::StrCat("{", absl::StrJoin(users, ","), "}");
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kUpsertSeen, group_array, user_array);
    return absl::OkStatus();
  });
  if (status.ok()) return;
  log::Warn("seen_members_not_recorded", {{"sightings", static_cast<int64_t>(batch.size())}, {"status", status}});
  absl::MutexLock lock(&mu_);
  for (const Key& key : batch) written_.Erase(key);
}

}  // namespace subguard::verifier
