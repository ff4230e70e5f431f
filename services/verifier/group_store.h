// GroupStore: the verifier's reads and writes of protection state in PostgreSQL (schema in
// common/pg/migrations/). Every method is one transaction on the pool; errors are the pool's
// (kUnavailable while PostgreSQL is away: retry later).
// Thread-safe. Cost: one transaction, a few statements.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/pg/pool.h"
#include "common/registry/permanent_errors.h"
#include "services/verifier/decide/commands.h"
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

  // A basic group became a supergroup: moves every row of from_chat_id (protection, channels, exemptions,
  // seen members, subguard's restrictions, the audit log, verify-all jobs, the chat registry) to
  // to_chat_id in one transaction. Idempotent, and safe to run from two verifiers at once; true for the
  // call that recorded the move first.
  absl::StatusOr<bool> MoveGroup(int64_t from_chat_id, int64_t to_chat_id);

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

  // Whether subguard's own restriction of user_id in chat_id is in place (active_restrictions), or
  // lift_action_id (the lift a decision would send; empty: none) already released it (audit_log kind
  // 'release'): a redelivery of the update that lifted decides as the first attempt did, even though
  // that attempt's audit entry removed the restriction before the ack.
  absl::StatusOr<bool> RestrictedBySubguard(int64_t chat_id, int64_t user_id, std::string_view lift_action_id);

  // Records a sender's permanent error in audit_log (kind 'error'; once per action id). A refused
  // restriction is no longer counted in active_restrictions: the user was never muted.
  absl::Status RecordError(const registry::PermanentError& error);

  // The group's latest permanent errors, the latest first, at most limit.
  absl::StatusOr<std::vector<decide::RecordedError>> RecentErrors(int64_t chat_id, int limit);

  // Deletes audit_log rows older than retention; returns how many.
  absl::StatusOr<int64_t> PruneAudit(absl::Duration retention);

 private:
  pg::Pool& pool_;
};

}  // namespace subguard::verifier
