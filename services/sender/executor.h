// Executor: the sender's DeliveryHandler. The Worker (common/dispatch/worker.h) hands it each action
// delivered by an ingest; Execute carries it out against the Bot API and answers:
//   Ack{outcome ok}    done now, or found already done (its done mark in Redis), or an edit Telegram
//                      found "not modified" or whose message is gone (EditDoneAnyway); an action naming a basic group
//                      that became a supergroup is run there instead (migrated_chat.h)
//   Ack{outcome !ok}   a permanent error (400, 403, an action that can never work): never retried,
//                      logged as a warning with Telegram's description
//   Nack{retry_after}  429 (Telegram's retry_after, which also pauses the call's scope for every
//                      sender), 5xx, network, timeout (full-jitter backoff by attempt, capped), a wrong
//                      token (401/404: every call fails until it is fixed), the limiter saying wait
//                      (common/ratelimit: the bot's buckets by call class, the chat's and the group's
//                      for messages), or Redis unreachable before a non-idempotent send
// A Nack is never slept on: the ingest's Dispatcher holds the action (and its chat's later ones) for
// retry_after_ms and delivers it again; after --dispatch_max_attempts failures it dead-letters it.
//
// Exactly once, as far as the Bot API allows: an action is marked done (SET sg:done:... EX) right
// after Telegram confirms it, and a redelivery finds the mark and acknowledges without calling again.
// One window stays open: a crash (or a lost Redis) after Telegram has executed the call and before
// the mark is written, or a reply lost to a timeout after Telegram executed it, makes the redelivery
// execute the action a second time. Restrict, lift, answer and delete are idempotent, so only
// sendMessage can show it, as a duplicate message. The Bot API cannot close the window: sendMessage
// takes no idempotency key, and a bot cannot read a chat's history to see whether its message
// arrived. The sender chooses at-least-once for sends (the prompt matters more than a rare twin).
//
// Thread-safe: the Worker calls Handle concurrently from its pool (one delivery per chat at a time).
// Cost: one Redis round trip, one Bot API call, one more Redis round trip on success.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "common/base/backoff.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/dispatch/worker.h"
#include "common/ratelimit/limiter.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/sender/action_call.h"
#include "services/sender/done_marks.h"
#include "services/sender/scheduled_deletes.h"
#include "services/sender/sender_metrics.h"
#include "subguard/v1/action.pb.h"

namespace subguard::sender {

struct ExecutorOptions {
  // How long a done mark lasts: 24 h (EX 86400), far beyond any redelivery. Not a flag.
  absl::Duration done_ttl = absl::Hours(24);
  // Retry delays after 5xx, network errors and timeouts: full jitter, 100 ms doubling to 30 s.
  // Not a flag.
  base::BackoffPolicy backoff;
  // Where the outcomes of monitor deliveries (forward/copy) are reported for the verifiers' chat
  // registry (common/registry/outcomes.h); nullptr: not reported. main passes its Redis. Not a flag.
  redis::Pool* monitor_outcomes = nullptr;
  // Where permanent errors are reported for the verifiers' audit_log
  // (common/registry/permanent_errors.h); nullptr: only counted and logged. main passes its Redis. Not a
  // flag.
  redis::Pool* permanent_errors = nullptr;
  // Where a sent message's auto-delete is scheduled (SendMessage.delete_after_seconds); nullptr: never
  // deleted. main passes its ScheduledDeletes. Not a flag.
  ScheduledDeletes* scheduled_deletes = nullptr;
  // Where the ids of sent messages that ask for it are remembered (SendMessage.remember_id_as,
  // sent_messages.h); nullptr: not remembered. main passes its Redis. Not a flag.
  redis::Pool* sent_messages = nullptr;
  // Where the groups' pending prompts are (prompt coalescing, common/prompts/pending_prompts.h);
  // nullptr: every prompt goes alone. main passes its Redis. Not a flag.
  redis::Pool* pending_prompts = nullptr;
  // Most users one coalesced prompt names: --prompt_batch_max_users / SUBGUARD_PROMPT_BATCH_MAX_USERS;
  // default 30 (30 mentions stay well inside Telegram's 4,096 characters).
  int prompt_batch_max_users = 30;
  // How long a gathered batch is kept for a redelivery of its action: 1 h. Not a flag.
  absl::Duration prompt_batch_ttl = absl::Hours(1);
};

class Executor final : public dispatch::DeliveryHandler {
 public:
  Executor(ExecutorOptions options, telegram::BotApi& bot_api, DoneMarks& done_marks, ratelimit::Limiter& limiter,
           SenderMetrics& metrics, const base::Clock& clock, base::Random& random);

  dispatch::DeliveryResult Handle(const v1::Delivery& delivery) override;

  // Carries out action; attempt counts from 1 (Delivery.attempt).
  dispatch::DeliveryResult Execute(const v1::Action& action, uint32_t attempt);

 private:
  // For a coalesced prompt (SendMessage.batch), once the limiter let it go: replaces call with the
  // prompt naming everyone gathered, or returns the result when there is nothing to send.
  std::optional<dispatch::DeliveryResult> GatherPrompt(const v1::Action& action, uint32_t attempt, BotApiCall& call);
  dispatch::DeliveryResult Succeeded(const v1::Action& action, std::string_view outcome);
  // method: the Bot API call that failed, "none" when the action never became one.
  dispatch::DeliveryResult Failed(const v1::Action& action, std::string_view method, const absl::Status& error);
  // Reports a monitor delivery's outcome (a no-op for other kinds); false when it could not be.
  bool ReportOutcome(const v1::Action& action, const absl::Status& error);
  // Reports Telegram's permanent refusal of action's call for the audit log; false when it could not be.
  bool ReportPermanentError(const v1::Action& action, std::string_view method, const absl::Status& error);
  dispatch::DeliveryResult Retry(const v1::Action& action, std::string_view outcome, const absl::Status& reason,
                                 absl::Duration after);
  absl::Duration Backoff(uint32_t attempt);

  const ExecutorOptions options_;
  telegram::BotApi& bot_api_;
  DoneMarks& done_marks_;
  ratelimit::Limiter& limiter_;
  SenderMetrics& metrics_;
  const base::Clock& clock_;
  base::Random& random_;
};

}  // namespace subguard::sender
