// Verifier: a basic group upgraded to a supergroup (migrate_to_chat_id / migrate_from_chat_id). Its
// protection, settings, channels, exemptions and state move to the new id in one transaction
// (GroupStore::MoveGroup), then every verifier forgets both ids' cached configuration. Whichever of the
// two messages comes first moves the group; the other finds nothing left to move. Redis state keyed by
// the old group (prompt slots, pending prompts) is left to expire: its prompts stay in the old chat, which
// nobody can write in any more, so a non-member gets a fresh prompt in the supergroup.
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "services/verifier/verifier.h"

namespace subguard::verifier {

absl::StatusOr<decide::Decision> Verifier::OnGroupMigrated(const decide::GroupMigrated& migrated) {
  ASSIGN_OR_RETURN(const bool first, deps_.store.MoveGroup(migrated.from_chat_id, migrated.to_chat_id));
  ConfigChanged(migrated.from_chat_id);
  ConfigChanged(migrated.to_chat_id);
  log::Info("group_migrated",
            {{"from_chat_id", migrated.from_chat_id}, {"to_chat_id", migrated.to_chat_id}, {"first", first}});
  return decide::Decision{.outcome = first ? "group_migrated" : "group_migrated_again"};
}

}  // namespace subguard::verifier
