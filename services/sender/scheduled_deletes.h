// ScheduledDeletes: messages to delete some time after they were sent (SendMessage.delete_after_seconds,
// the groups' prompt auto-delete), kept in Redis so that a restart of any sender loses none, and the
// loop that deletes them when due.
//
// Key sg:{deletes}:due, a sorted set of "<chat_id>:<message_id>" scored by the due time (unix ms).
// The Executor calls Schedule after a successful send. RunOnce claims due entries one at a time with a
// Lua script that moves the entry's score one lease ahead, so exactly one sender holds each entry; it
// calls deleteMessage under the rate limiter (the moderation class) and then removes the entry. A
// sender that dies mid-delete leaves the entry due again after the lease; the limiter's wait or a 429's
// retry_after reschedules it; a permanent refusal (the message is already gone, the bot lost the
// right) drops it. One window stays open: a crash between Telegram's reply to the send and Schedule
// leaves that prompt in place.
//
// Thread-safe: Schedule from the executor's threads; RunOnce from the one thread Start runs (Start and
// Stop are called once each, from main). Cost: one Redis round trip to schedule; two and one Bot API
// call per deletion.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/periodic_thread.h"
#include "common/ratelimit/limiter.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/sender/sender_metrics.h"
#include "subguard/v1/action.pb.h"

namespace subguard::sender {

struct ScheduledDeletesOptions {
  // --scheduled_delete_poll / SUBGUARD_SCHEDULED_DELETE_POLL: how often the loop looks for due
  // deletions; default 1s.
  absl::Duration poll = absl::Seconds(1);
  // How long a claimed deletion stays with its sender before another may take it. Fixed: 30s.
  absl::Duration lease = absl::Seconds(30);
  // Deletions one pass handles at most, so Stop is never kept waiting. Fixed: 200.
  int max_per_pass = 200;
};

class ScheduledDeletes {
 public:
  ScheduledDeletes(ScheduledDeletesOptions options, redis::Pool& redis, telegram::BotApi& bot_api,
                   ratelimit::Limiter& limiter, SenderMetrics& metrics, const base::Clock& clock);
  ~ScheduledDeletes() { Stop(); }

  // Deletes message_id in chat_id after delay.
  absl::Status Schedule(int64_t chat_id, int64_t message_id, absl::Duration delay);
  // Telegram accepted action and answered sent: schedules the deletion a send_message with
  // delete_after_seconds asks for (nothing for any other action). Logs what it could not schedule.
  void AfterSend(const v1::Action& action, const boost::json::value& sent);

  // Deletes what is due now; returns how many deletions it finished (done or dropped).
  int RunOnce();

  void Start();
  void Stop();

  static constexpr char kKey[] = "sg:{deletes}:due";

 private:
  // Schedules member again at due; logs when Redis refuses.
  void Reschedule(const std::string& member, absl::Time due);
  void Remove(const std::string& member);

  const ScheduledDeletesOptions options_;
  redis::Pool& redis_;
  telegram::BotApi& bot_api_;
  ratelimit::Limiter& limiter_;
  SenderMetrics& metrics_;
  const base::Clock& clock_;
  const redis::Script claim_;
  base::PeriodicThread loop_;
};

}  // namespace subguard::sender
