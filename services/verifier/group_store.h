// GroupStore: the verifier's reads and writes of protection state in PostgreSQL (schema in
// common/pg/migrations/). Every method is one transaction on the pool; errors are the pool's
// (kUnavailable while PostgreSQL is away: retry later).
// Thread-safe. Cost: one transaction, a few statements.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/pg/pool.h"
#include "services/verifier/decide/types.h"

namespace subguard::verifier {

class GroupStore {
 public:
  explicit GroupStore(pg::Pool& pool) : pool_(pool) {}

  // The group's configuration with its channels and exemptions; nullopt when it never ran /protect.
  absl::StatusOr<std::optional<decide::GroupConfig>> Load(int64_t chat_id);

  // Links exactly protection.channels to the group and enables it, keeping its other settings;
  // records the owner and the resolved chats in the registry.
  absl::Status Protect(const decide::Protection& protection);

  // Disables the group's protection, keeping its settings.
  absl::Status Unprotect(int64_t chat_id);

  // Writes the settings columns of config.chat_id's row (policy, prompt, timings, switches, language).
  absl::Status SaveSettings(const decide::GroupConfig& config);

  // Records the bot's standing in chat (my_chat_member) in the chat registry.
  absl::Status RecordBotMember(const v1::Chat& chat, const v1::ChatMember& bot);

  // Adds or removes one exemption (idempotent both ways).
  absl::Status SetExemption(const decide::ExemptionChange& change);

  // The groups owner_user_id set up, or every group when owner_user_id is 0, by chat id.
  absl::StatusOr<std::vector<int64_t>> GroupIds(int64_t owner_user_id);

  // The enabled groups that link channel_id.
  absl::StatusOr<std::vector<int64_t>> GroupsLinkedTo(int64_t channel_id);

  // Appends to audit_log (an action id already there is skipped) and keeps active_restrictions in
  // step: a restrict adds the user, a release removes them.
  absl::Status RecordAudit(const std::vector<decide::AuditEntry>& entries);

  // How many users subguard restricted in chat_id and has not released (active_restrictions).
  absl::StatusOr<int64_t> CountRestricted(int64_t chat_id);

  // Whether subguard's own restriction of user_id in chat_id is in place (active_restrictions).
  absl::StatusOr<bool> RestrictedBySubguard(int64_t chat_id, int64_t user_id);

  // Deletes audit_log rows older than retention; returns how many.
  absl::StatusOr<int64_t> PruneAudit(absl::Duration retention);

 private:
  pg::Pool& pool_;
};

}  // namespace subguard::verifier
