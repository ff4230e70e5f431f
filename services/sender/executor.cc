#include "services/sender/executor.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "common/observability/log.h"
#include "common/prompts/pending_prompts.h"
#include "common/registry/outcomes.h"
#include "common/telegram/errors.h"
#include "services/sender/action_call.h"
#include "services/sender/migrated_chat.h"
#include "services/sender/permanent_error.h"
#include "services/sender/sent_messages.h"

namespace subguard::sender {
namespace {

uint32_t ToMillis(absl::Duration d) {
  // Rounded up: a retry a fraction of a millisecond early would only be deferred again.
  const int64_t millis = absl::ToInt64Milliseconds(absl::Ceil(d, absl::Milliseconds(1)));
  return static_cast<uint32_t>(std::clamp<int64_t>(millis, 0, std::numeric_limits<uint32_t>::max()));
}

}  // namespace

Executor::Executor(ExecutorOptions options, telegram::BotApi& bot_api, DoneMarks& done_marks,
                   ratelimit::Limiter& limiter, SenderMetrics& metrics, const base::Clock& clock, base::Random& random)
    : options_(std::move(options)),
      bot_api_(bot_api),
      done_marks_(done_marks),
      limiter_(limiter),
      metrics_(metrics),
      clock_(clock),
      random_(random) {}

dispatch::DeliveryResult Executor::Handle(const v1::Delivery& delivery) {
  if (!delivery.has_action()) {
    // An update sent to a sender is the ingest's mistake; retrying cannot fix it.
    return Failed(v1::Action(), "none", absl::InvalidArgumentError("delivery to a sender carries no action"));
  }
  return Execute(delivery.action(), delivery.attempt());
}

dispatch::DeliveryResult Executor::Execute(const v1::Action& action, uint32_t attempt) {
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  if (!call.ok()) return Failed(action, "none", call.status());

  absl::StatusOr<bool> done = done_marks_.IsDone(action);
  if (!done.ok()) {
    // Without the mark a redelivered send would be sent twice; the other kinds may simply run again.
    if (!IsIdempotent(action)) return Retry(action, "retry", done.status(), Backoff(attempt));
    log::Warn("done_check_skipped", {{"action_id", action.id()}, {"kind", KindName(action)}, {"error", done.status()}});
  } else if (*done) {
    ReportOutcome(action, absl::OkStatus());
    return Succeeded(action, "already_done");
  }

  const bool batched = options_.pending_prompts != nullptr && prompts::IsBatched(action);
  if (batched) {
    // Named by another prompt already: nothing to send, and no token taken for it.
    absl::StatusOr<bool> needed = prompts::StillNeeded(*options_.pending_prompts, action);
    if (!needed.ok()) return Retry(action, "retry", needed.status(), Backoff(attempt));
    if (!*needed) return Succeeded(action, "coalesced");
  }

  const ratelimit::Scope scope{
      .chat_id = action.chat_id(), .call_class = ratelimit::ClassOf(call->method), .ticket = action.id()};
  if (const absl::Duration wait = limiter_.Acquire(scope); wait > absl::ZeroDuration()) {
    return Retry(action, "deferred", absl::ResourceExhaustedError("rate limited"), wait);
  }
  if (batched) {
    if (std::optional<dispatch::DeliveryResult> result = GatherPrompt(action, attempt, *call)) return *result;
  }

  const absl::Time start = clock_.Now();
  const absl::StatusOr<boost::json::value> result = bot_api_.Call(call->method, call->params);
  metrics_.ObserveCall(call->method, clock_.Now() - start);

  if (result.ok()) {
    // The crash window of the header comment is from here to the mark. If the mark is not written,
    // the ack still is; only a redelivery (the ack lost as well) would repeat the action.
    if (absl::Status marked = done_marks_.MarkDone(action); !marked.ok()) {
      log::Warn("done_mark_failed", {{"action_id", action.id()}, {"kind", KindName(action)}, {"error", marked}});
    }
    ReportOutcome(action, absl::OkStatus());
    if (options_.scheduled_deletes != nullptr) options_.scheduled_deletes->AfterSend(action, *result);
    if (options_.sent_messages != nullptr) {
      // Without the id a later edit is skipped (its edits are progress only), so this never fails the send.
      if (absl::Status remembered = RememberSentMessage(*options_.sent_messages, action, *result); !remembered.ok()) {
        log::Warn("sent_message_not_remembered", {{"action_id", action.id()}, {"error", remembered}});
      }
    }
    return Succeeded(action, "ok");
  }
  const absl::Status& error = result.status();
  if (error.code() == absl::StatusCode::kResourceExhausted) {
    metrics_.Count429();
    const std::optional<absl::Duration> retry_after = telegram::RetryAfter(error);
    if (retry_after.has_value()) limiter_.Pause(scope, *retry_after);
    return Retry(action, "retry", error, retry_after.value_or(Backoff(attempt)));
  }
  if (error.code() == absl::StatusCode::kUnauthenticated) {
    // The token is wrong for every call, not this one: keep the action until an operator fixes it.
    log::Error("bot_token_rejected", {{"method", call->method}, {"error", error}});
    return Retry(action, "retry", error, Backoff(attempt));
  }
  if (telegram::IsRetryable(error)) return Retry(action, "retry", error, Backoff(attempt));
  if (const std::optional<std::string_view> done = EditDoneAnyway(action, error)) return Succeeded(action, *done);
  if (std::optional<v1::Action> moved = InMigratedChat(action, telegram::MigrateToChatId(error).value_or(0))) {
    log::Info("action_chat_migrated",
              {{"action_id", action.id()}, {"from_chat_id", action.chat_id()}, {"to_chat_id", moved->chat_id()}});
    return Execute(*moved, attempt);
  }
  // A refused monitor post is held by the registry only once it has heard of the refusal.
  // The same for the audit log's record of the refusal: an action is acknowledged only once it is reported.
  if (!ReportOutcome(action, error) || !ReportPermanentError(action, call->method, error)) {
    return Retry(action, "retry", error, Backoff(attempt));
  }
  return Failed(action, call->method, error);
}

std::optional<dispatch::DeliveryResult> Executor::GatherPrompt(const v1::Action& action, uint32_t attempt,
                                                               BotApiCall& call) {
  absl::StatusOr<std::vector<std::string>> mentions =
      prompts::Gather(*options_.pending_prompts, action, options_.prompt_batch_max_users, options_.prompt_batch_ttl);
  if (!mentions.ok()) return Retry(action, "retry", mentions.status(), Backoff(attempt));
  // Another prompt took the user between the check and now; its token is spent, the prompt is not.
  if (mentions->empty()) return Succeeded(action, "coalesced");
  metrics_.ObservePromptBatch(mentions->size());
  absl::StatusOr<BotApiCall> named =
      SendMessageCall(action.chat_id(), prompts::Named(action.send_message(), *mentions));
  if (!named.ok()) return Failed(action, "none", named.status());
  call = *std::move(named);
  return std::nullopt;
}

bool Executor::ReportOutcome(const v1::Action& action, const absl::Status& error) {
  if (options_.monitor_outcomes == nullptr || !registry::IsMonitorDelivery(action)) return true;
  const absl::Status reported = registry::ReportMonitorOutcome(
      *options_.monitor_outcomes, {.action = action,
                                   .ok = error.ok(),
                                   .error_code = error.ok() ? 0 : telegram::BotApiErrorCode(error),
                                   .description = std::string(error.message())});
  if (!reported.ok()) log::Warn("monitor_outcome_not_reported", {{"action_id", action.id()}, {"error", reported}});
  return reported.ok();
}

bool Executor::ReportPermanentError(const v1::Action& action, std::string_view method, const absl::Status& error) {
  if (options_.permanent_errors == nullptr) return true;
  const absl::Status reported = registry::ReportPermanentError(
      *options_.permanent_errors, DescribePermanentError(action, method, error, clock_.Now()));
  if (!reported.ok()) log::Warn("permanent_error_not_reported", {{"action_id", action.id()}, {"error", reported}});
  return reported.ok();
}

dispatch::DeliveryResult Executor::Succeeded(const v1::Action& action, std::string_view outcome) {
  metrics_.CountAction(KindName(action), outcome);
  v1::Ack ack;
  ack.mutable_outcome()->set_ok(true);
  return ack;
}

dispatch::DeliveryResult Executor::Failed(const v1::Action& action, std::string_view method,
                                          const absl::Status& error) {
  metrics_.CountAction(KindName(action), "failed");
  const std::string_view reason = PermanentErrorReason(error);
  metrics_.CountPermanentError(method, reason);
  const int error_code = telegram::BotApiErrorCode(error);
  log::Warn("action_failed", {{"action_id", action.id()},
                              {"kind", KindName(action)},
                              {"method", method},
                              {"reason", reason},
                              {"chat_id", action.chat_id()},
                              {"error_code", error_code},
                              {"error", error}});
  v1::Ack ack;
  v1::Outcome& outcome = *ack.mutable_outcome();
  outcome.set_ok(false);
  outcome.set_error_code(error_code);
  outcome.set_description(std::string(error.message()));
  return ack;
}

dispatch::DeliveryResult Executor::Retry(const v1::Action& action, std::string_view outcome, const absl::Status& reason,
                                         absl::Duration after) {
  metrics_.CountAction(KindName(action), outcome);
  // A limiter's deferral is routine under load; an error worth a retry is worth a line.
  log::Write(
      outcome == "deferred" ? log::Level::kDebug : log::Level::kInfo, "action_retry",
      {{"action_id", action.id()}, {"kind", KindName(action)}, {"error", reason}, {"retry_after_ms", ToMillis(after)}});
  v1::Nack nack;
  nack.set_reason(std::string(reason.message()));
  nack.set_retry_after_ms(ToMillis(after));
  nack.set_deferred(outcome == "deferred");
  return nack;
}

absl::Duration Executor::Backoff(uint32_t attempt) {
  return base::FullJitterDelay(options_.backoff, static_cast<int>(std::max<uint32_t>(attempt, 1)) - 1, random_);
}

}  // namespace subguard::sender
