// LocalLimiter: the bot's limits held in this process alone: the same buckets as ClusterLimiter (bucket.h),
// scaled by share. ClusterLimiter falls back to one while Redis is away, with share = this process's part
// of the cluster (--ratelimit_fallback_share), so the senders together still stay under the limits.
// Chats whose buckets are full again and whose pauses ended are forgotten once more than max_chats are
// held, so memory stays bounded by the chats active lately.
// Thread-safe (one mutex). Cost: O(1) amortised per call.
#pragma once

#include <array>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "common/base/clock.h"
#include "common/ratelimit/bucket.h"
#include "common/ratelimit/limiter.h"
#include "common/ratelimit/limits.h"

namespace subguard::ratelimit {

class LocalLimiter final : public Limiter {
 public:
  // share in (0, 1]: the part of every rate and burst (bursts at least 1) this process may use.
  LocalLimiter(const LimitOptions& options, double share, const base::Clock& clock, size_t max_chats = 100000);

  absl::Duration Acquire(const Scope& scope) override;
  void Pause(const Scope& scope, absl::Duration retry_after) override;

 private:
  struct Chat {
    BucketState messages;
    BucketState group;
    absl::Time paused_until = absl::InfinitePast();
  };
  void ForgetIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const LimitOptions options_;  // scaled by share
  const base::Clock& clock_;
  const size_t max_chats_;
  std::mutex mu_;
  std::array<BucketState, kCallClasses> bot_ ABSL_GUARDED_BY(mu_);                // by CallClass
  std::array<absl::Time, kCallClasses> class_paused_until_ ABSL_GUARDED_BY(mu_);  // by CallClass
  absl::flat_hash_map<int64_t, Chat> chats_ ABSL_GUARDED_BY(mu_);
};

// options with every rate and burst multiplied by share (bursts at least 1).
LimitOptions Scaled(const LimitOptions& options, double share);
// The bot-wide bucket of a class.
const BucketSpec& BotBucket(const LimitOptions& options, CallClass call_class);

}  // namespace subguard::ratelimit
