// LocalRateLimiter: the trivial RateLimiter until issue #6: no buckets, only the pause after a 429,
// held by this process for the whole bot (Telegram's reply does not say which limit was hit, so the
// safe reading is all of them). Thread-safe; O(1).
#pragma once

#include <mutex>

#include "absl/base/thread_annotations.h"
#include "common/base/clock.h"
#include "services/sender/rate_limiter.h"

namespace subguard::sender {

class LocalRateLimiter final : public RateLimiter {
 public:
  explicit LocalRateLimiter(const base::Clock& clock) : clock_(clock) {}

  absl::Duration Acquire(const RateScope& scope) override;
  void Pause(const RateScope& scope, absl::Duration retry_after) override;

 private:
  const base::Clock& clock_;
  std::mutex mu_;
  absl::Time paused_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace subguard::sender
