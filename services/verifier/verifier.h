// Verifier: the verifier's DeliveryHandler. For each update it classifies the event, gathers the
// facts that event needs (group configuration, memberships, the bot's rights, the prompt slot), calls
// the pure decide/ code, applies the decision's state changes (PostgreSQL, then a change
// notification) and answers Ack{actions}.
//
// Answers: a transient failure (Telegram 429/5xx/timeout, PostgreSQL or Redis away for a write) is a
// Nack, so the ingest delivers the update again later; an update that is malformed, unknown, or
// failed in a way retrying cannot fix is acked with no actions (logged), never retried forever.
// Action ids derive from the update id, so a redelivery repeats the same ids.
//
// Called by the dispatch Worker on its threads, concurrently for different chats. Thread-safe: all
// state is in the injected components.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/dispatch/worker.h"
#include "common/pg/pool.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/admin/api_keys.h"
#include "services/verifier/config_cache.h"
#include "services/verifier/decide/bot_standing.h"
#include "services/verifier/decide/check_button.h"
#include "services/verifier/decide/commands.h"
#include "services/verifier/decide/event.h"
#include "services/verifier/decide/protection.h"
#include "services/verifier/decide/settings.h"
#include "services/verifier/decide/types.h"
#include "services/verifier/group_permissions.h"
#include "services/verifier/group_store.h"
#include "services/verifier/join_requests.h"
#include "services/verifier/membership.h"
#include "services/verifier/metrics.h"
#include "services/verifier/monitors/monitors.h"
#include "services/verifier/prompt_slots.h"
#include "services/verifier/seen_members.h"
#include "services/verifier/verify_jobs.h"

namespace subguard::verifier {

// The components a Verifier works with; main (or a test) owns them.
struct VerifierDeps {
  telegram::BotApi& bot_api;
  MembershipCache& membership;
  ConfigCache& configs;
  GroupStore& store;
  PromptSlots& prompt_slots;
  JoinRequests& join_requests;
  SeenMembers& seen_members;
  GroupPermissions& permissions;
  redis::Pool& redis;  // for change notifications
  VerifierMetrics& metrics;
  monitors::Monitors* monitors = nullptr;  // forward monitors; null: channel posts are ignored
  admin::ApiKeys* api_keys = nullptr;      // owners' admin API keys (/apikey); null in tests that need none
  pg::Pool* postgres = nullptr;            // verify-all jobs (/verifyall); null: /verifyall is refused
};

struct VerifierOptions {
  // Nack.retry_after_ms when the failure did not say how long to wait (a 429 does). Fixed: 1s.
  absl::Duration retry_after = absl::Seconds(1);
};

class Verifier final : public dispatch::DeliveryHandler {
 public:
  // bot: from getMe at start.
  Verifier(VerifierOptions options, decide::BotIdentity bot, VerifierDeps deps);

  dispatch::DeliveryResult Handle(const v1::Delivery& delivery) override;

 private:
  using Decisions = std::vector<decide::Decision>;

  // A monitor's update (monitors/) or, for every other, DecideUpdate.
  absl::StatusOr<Decisions> Route(const v1::Update& update);
  absl::StatusOr<Decisions> DecideUpdate(int64_t update_id, const decide::Event& event);
  // The state changes a decision calls for; its error means the update must be retried.
  absl::Status Apply(const decide::Decision& decision);

  // verifier_protection.cc: messages, joins and leaves.
  absl::StatusOr<decide::Decision> CheckSubject(int64_t update_id, const decide::Subject& subject);
  absl::StatusOr<Decisions> OnMemberChanged(int64_t update_id, const decide::MemberChanged& change);
  // A linked channel's join: lifts subguard's mute in the linked groups in silent mode.
  absl::StatusOr<Decisions> OnChannelJoined(int64_t update_id, const decide::MemberChanged& change);
  absl::StatusOr<decide::Decision> OnJoinRequested(const decide::JoinRequested& request);
  // One per linked channel; a pending join request counts as joined when the group says so.
  absl::StatusOr<std::vector<decide::MemberStatus>> ChannelStatuses(const decide::GroupConfig& config, int64_t user_id,
                                                                    bool bypass_cache);

  // verifier_commands.cc.
  absl::StatusOr<decide::Decision> OnGroupCommand(int64_t update_id, const decide::GroupCommand& command);
  absl::StatusOr<decide::Decision> OnPrivateCommand(int64_t update_id, const decide::PrivateCommand& command);
  absl::StatusOr<decide::ProtectFacts> GatherProtectFacts(const decide::GroupCommand& command);
  absl::StatusOr<decide::StatusFacts> GatherStatusFacts(int64_t chat_id, const decide::GroupConfig& config);
  absl::StatusOr<decide::ChannelLookup> LookUpChannel(const std::string& arg);
  // The bot's own ChatMember in chat_id; a permanent failure is an empty ChatMember (no rights).
  absl::StatusOr<v1::ChatMember> BotMember(int64_t chat_id);

  // verifier_verify_all.cc: /verifyall, and one check (or the summary) of a verify-all job.
  absl::StatusOr<decide::Decision> OnVerifyAll(int64_t update_id, const decide::GroupCommand& command,
                                               const decide::GroupConfig* config);
  absl::StatusOr<decide::Decision> OnVerifyMember(int64_t update_id, const v1::VerifyMember& request);
  absl::StatusOr<decide::Decision> CheckSeenMember(int64_t update_id, int64_t chat_id, int64_t user_id);
  // The job's start message id the sender remembered; 0 when unknown or not in the job's chat.
  int64_t VerifyAllMessageId(const VerifyJob& job);

  // verifier_bot_member.cc.
  absl::StatusOr<decide::Decision> OnBotMemberChanged(int64_t update_id, const decide::BotMemberChanged& change);

  // verifier_migrate.cc: a basic group's protection and state moved to the supergroup it became.
  absl::StatusOr<decide::Decision> OnGroupMigrated(const decide::GroupMigrated& migrated);
  // Drops chat_id's cached configuration here and, through the config-change stream, in every verifier.
  void ConfigChanged(int64_t chat_id);

  // verifier_check_button.cc.
  absl::StatusOr<decide::Decision> OnCheckPressed(int64_t update_id, const decide::CheckPressed& press);

  const VerifierOptions options_;
  const decide::BotIdentity bot_;
  VerifierDeps deps_;
};

}  // namespace subguard::verifier
