#include "services/sender/executor.h"

#include <algorithm>
#include <limits>
#include <string>

#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/sender/action_call.h"

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
    return Failed(v1::Action(), absl::InvalidArgumentError("delivery to a sender carries no action"));
  }
  return Execute(delivery.action(), delivery.attempt());
}

dispatch::DeliveryResult Executor::Execute(const v1::Action& action, uint32_t attempt) {
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  if (!call.ok()) return Failed(action, call.status());

  absl::StatusOr<bool> done = done_marks_.IsDone(action);
  if (!done.ok()) {
    // Without the mark a redelivered send would be sent twice; the other kinds may simply run again.
    if (!IsIdempotent(action)) return Retry(action, "retry", done.status(), Backoff(attempt));
    log::Warn("done_check_skipped", {{"action_id", action.id()}, {"kind", KindName(action)}, {"error", done.status()}});
  } else if (*done) {
    return Succeeded(action, "already_done");
  }

  const ratelimit::Scope scope{
      .chat_id = action.chat_id(), .call_class = ratelimit::ClassOf(call->method), .ticket = action.id()};
  if (const absl::Duration wait = limiter_.Acquire(scope); wait > absl::ZeroDuration()) {
    return Retry(action, "deferred", absl::ResourceExhaustedError("rate limited"), wait);
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
  return Failed(action, error);
}

dispatch::DeliveryResult Executor::Succeeded(const v1::Action& action, std::string_view outcome) {
  metrics_.CountAction(KindName(action), outcome);
  v1::Ack ack;
  ack.mutable_outcome()->set_ok(true);
  return ack;
}

dispatch::DeliveryResult Executor::Failed(const v1::Action& action, const absl::Status& error) {
  metrics_.CountAction(KindName(action), "failed");
  const int error_code = telegram::BotApiErrorCode(error);
  log::Warn("action_failed", {{"action_id", action.id()},
                              {"kind", KindName(action)},
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
