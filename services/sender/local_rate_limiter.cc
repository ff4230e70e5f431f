#include "services/sender/local_rate_limiter.h"

#include <algorithm>

namespace subguard::sender {

absl::Duration LocalRateLimiter::Acquire(const RateScope&) {
  std::lock_guard lock(mu_);
  return std::max(absl::ZeroDuration(), paused_until_ - clock_.Now());
}

void LocalRateLimiter::Pause(const RateScope&, absl::Duration retry_after) {
  std::lock_guard lock(mu_);
  paused_until_ = std::max(paused_until_, clock_.Now() + retry_after);
}

}  // namespace subguard::sender
