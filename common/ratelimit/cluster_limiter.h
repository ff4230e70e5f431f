// ClusterLimiter: the bot's limits shared by every process that calls the Bot API, as token buckets in
// Redis. One Lua script per acquisition checks the pauses and refills every bucket the call counts against
// (the bot's bucket of its class; for a message also its chat's and, in a group, the group's), and takes a
// token from each only if all have one: no read-modify-write race between processes. Time is Redis's own
// (TIME), so the processes' clocks need not agree. A 429 sets a pause key with the retry_after as its TTL,
// which every process's next acquisition sees.
//
// Keys (one Redis primary; the script spans the bot's and a chat's hash tags, so a Redis Cluster would need
// the bot's keys per chat slot):
//   sg:rl:{bot}:<class>            hash {t: tokens, ts: ms}   the bot-wide bucket of a class
//   sg:rl:{c<chat>}:msg / :grp     hash                       a chat's message and group buckets
//   sg:rl:{bot}:pause:<class>      string, PX retry_after     a class paused for the bot
//   sg:rl:{c<chat>}:pause          string, PX retry_after     a chat's messages paused
//   sg:rl:{c<chat>}:t:<ticket>     string, the reserved slot (ms) of a waiting call
// Every key expires once its bucket would be full again.
//
// Reservations: a call with a ticket that must wait at most reserve_horizon takes its tokens at once (the
// buckets go into debt, so later calls wait longer) and its ticket remembers the slot; asking again with the
// ticket before the slot returns the rest of the wait, at the slot (up to grace late) admits it without
// taking again, and later still voids it (the tokens are lost: never a burst of stale reservations; counted
// in subguard_ratelimit_reservations_voided_total). So the server sees at most burst + rate * (span + grace)
// calls in any span; the defaults leave that margin.
//
// Priority of groups: a message to a group reserves up to group_reserve_horizon ahead, far beyond the others'
// reserve_horizon, so it always gets the bot's next free slot after the reservations already made (at most
// reserve_horizon of them) instead of competing with every private chat for a slot. A group's own limit (20 a
// minute) makes its messages the long pole of any flood; this way they run at that limit from the start,
// and the private chats, whose own limit is loose, fill the bot's remaining budget. A group takes at most its
// own rate from the bot, so the private chats are never starved.
//
// Redis away: each call falls back to a LocalLimiter with share of the limits, logs the change once
// ("ratelimit_fallback", then "ratelimit_redis_back"), reports it through Health() (for /readyz) and the
// gauge subguard_ratelimit_fallback; Redis is tried again at most every probe_interval.
// Thread-safe. Cost: one Redis round trip per call (none while falling back between probes).
#pragma once

#include <atomic>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "common/base/clock.h"
#include "common/observability/metrics.h"
#include "common/ratelimit/limiter.h"
#include "common/ratelimit/local_limiter.h"
#include "common/redis/client.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"

namespace subguard::ratelimit {

struct ClusterLimiterOptions {
  LimitOptions limits;
  // --ratelimit_fallback_share (0.25): this process's part of the limits while Redis is away; 1 / the
  // number of sender processes.
  double fallback_share = 0.25;
  // How often Redis is tried again while falling back. Not a flag.
  absl::Duration probe_interval = absl::Seconds(1);
  // The longest wait a ticket reserves, and how late a reservation may still be used. Not flags. The
  // horizon is also how far behind the bot's reservations a group's message can be (about a group's
  // interval, 60 / 17 s, so a group keeps its own pace); a shorter one makes refused calls ask more often.
  absl::Duration reserve_horizon = absl::Seconds(3);
  absl::Duration reserve_grace = absl::Milliseconds(500);
  // The longest wait a message to a group reserves (see "Priority of groups"). Not a flag.
  absl::Duration group_reserve_horizon = absl::Seconds(60);
};

class ClusterLimiter final : public Limiter {
 public:
  ClusterLimiter(ClusterLimiterOptions options, redis::Pool& redis, const base::Clock& clock,
                 observability::Registry& registry);

  absl::Duration Acquire(const Scope& scope) override;
  void Pause(const Scope& scope, absl::Duration retry_after) override;

  // OK while the limits are shared through Redis; kUnavailable while this process holds them alone.
  absl::Status Health() const;

 private:
  // Whether to ask Redis now: always unless falling back and the last probe was recent.
  bool ShouldTryRedis();
  void NoteRedis(const absl::Status& status);

  const ClusterLimiterOptions options_;
  redis::Pool& redis_;
  const base::Clock& clock_;
  LocalLimiter fallback_;
  prometheus::Gauge& fallback_gauge_;
  prometheus::Counter& voided_;
  std::atomic<bool> falling_back_{false};
  std::mutex mu_;
  absl::Time last_probe_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace subguard::ratelimit
