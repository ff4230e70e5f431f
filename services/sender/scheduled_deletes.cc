#include "services/sender/scheduled_deletes.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/sender/action_call.h"

namespace subguard::sender {
namespace {

// KEYS[1] the set; ARGV[1] now (unix ms); ARGV[2] the lease (ms). The earliest due member, its score
// moved a lease ahead, or nil when nothing is due.
constexpr char kClaimScript[] = R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), due[1])
return due[1]
)lua";

std::string Millis(absl::Time time) { return absl::StrCat(absl::ToUnixMillis(time)); }

}  // namespace

ScheduledDeletes::ScheduledDeletes(ScheduledDeletesOptions options, redis::Pool& redis, telegram::BotApi& bot_api,
                                   ratelimit::Limiter& limiter, SenderMetrics& metrics, const base::Clock& clock)
    : options_(options),
      redis_(redis),
      bot_api_(bot_api),
      limiter_(limiter),
      metrics_(metrics),
      clock_(clock),
      claim_(kClaimScript) {}

absl::Status ScheduledDeletes::Schedule(int64_t chat_id, int64_t message_id, absl::Duration delay) {
  return redis_.Command({"ZADD", kKey, Millis(clock_.Now() + delay), absl::StrCat(chat_id, ":", message_id)}).status();
}

void ScheduledDeletes::AfterSend(const v1::Action& action, const boost::json::value& sent) {
  if (!action.has_send_message() || action.send_message().delete_after_seconds() == 0) return;
  const boost::json::value* message_id = sent.is_object() ? sent.as_object().if_contains("message_id") : nullptr;
  if (message_id == nullptr || !message_id->is_int64()) {
    log::Warn("scheduled_delete_without_message_id", {{"action_id", action.id()}});
    return;
  }
  const absl::Duration delay = absl::Seconds(action.send_message().delete_after_seconds());
  if (absl::Status status = Schedule(action.chat_id(), message_id->as_int64(), delay); !status.ok()) {
    log::Warn("scheduled_delete_lost", {{"action_id", action.id()}, {"error", status}});
  }
}

void ScheduledDeletes::Reschedule(const std::string& member, absl::Time due) {
  if (absl::Status status = redis_.Command({"ZADD", kKey, "XX", Millis(due), member}).status(); !status.ok()) {
    log::Warn("scheduled_delete_not_rescheduled", {{"member", member}, {"error", status}});  // the lease brings it back
  }
}

void ScheduledDeletes::Remove(const std::string& member) {
  if (absl::Status status = redis_.Command({"ZREM", kKey, member}).status(); !status.ok()) {
    log::Warn("scheduled_delete_not_removed", {{"member", member}, {"error", status}});  // deleted again: harmless
  }
}

int ScheduledDeletes::RunOnce() {
  int finished = 0;
  for (int i = 0; i < options_.max_per_pass && !loop_.stopping(); ++i) {
    const absl::Time now = clock_.Now();
    auto claimed = claim_.Run(redis_, {kKey}, {Millis(now), absl::StrCat(absl::ToInt64Milliseconds(options_.lease))});
    if (!claimed.ok()) {
      log::Warn("scheduled_deletes_unavailable", {{"error", claimed.status()}});
      break;
    }
    if (claimed->is_nil()) break;
    const std::string member = claimed->str;
    std::vector<absl::string_view> parts = absl::StrSplit(member, ':');
    v1::DeleteMessage message;
    int64_t chat_id = 0;
    int64_t message_id = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &chat_id) || !absl::SimpleAtoi(parts[1], &message_id)) {
      Remove(member);  // not ours to read: nothing can ever delete it
      continue;
    }
    message.set_message_id(message_id);
    absl::StatusOr<BotApiCall> call = DeleteMessageCall(chat_id, message);
    if (!call.ok()) {
      Remove(member);
      continue;
    }
    const ratelimit::Scope scope{.chat_id = chat_id, .call_class = ratelimit::ClassOf(call->method), .ticket = member};
    if (const absl::Duration wait = limiter_.Acquire(scope); wait > absl::ZeroDuration()) {
      metrics_.CountAction("scheduled_delete", "deferred");
      Reschedule(member, now + wait);
      continue;
    }
    const absl::StatusOr<boost::json::value> result = bot_api_.Call(call->method, call->params);
    if (result.ok()) {
      metrics_.CountAction("scheduled_delete", "ok");
      Remove(member);
      ++finished;
      continue;
    }
    const absl::Status& error = result.status();
    if (const std::optional<absl::Duration> retry_after = telegram::RetryAfter(error); retry_after.has_value()) {
      limiter_.Pause(scope, *retry_after);
      metrics_.CountAction("scheduled_delete", "retry");
      Reschedule(member, now + *retry_after);
    } else if (telegram::IsRetryable(error)) {
      metrics_.CountAction("scheduled_delete", "retry");  // due again when the lease ends
    } else {
      metrics_.CountAction("scheduled_delete", "failed");
      log::Info("scheduled_delete_dropped", {{"chat_id", chat_id}, {"message_id", message_id}, {"error", error}});
      Remove(member);
      ++finished;
    }
  }
  return finished;
}

void ScheduledDeletes::Start() {
  loop_.Start(options_.poll, [this] { RunOnce(); });
}

void ScheduledDeletes::Stop() { loop_.Stop(); }

}  // namespace subguard::sender
