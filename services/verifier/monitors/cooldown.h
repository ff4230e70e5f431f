// How long a monitor destination rests after a failure: the base (--monitor_cooldown_base, 60 s)
// doubling with each failure since the last success, up to the cap (--monitor_cooldown_max, 1 h),
// then +-20% jitter so destinations that failed together do not all come back at once. Pure.
#pragma once

#include "absl/time/time.h"
#include "common/base/random.h"

namespace subguard::verifier::monitors {

struct CooldownPolicy {
  absl::Duration base = absl::Seconds(60);
  absl::Duration max = absl::Hours(1);
};

// The cool-down after the consecutive_failures'th failure in a row (1 for the first).
absl::Duration Cooldown(const CooldownPolicy& policy, int consecutive_failures, base::Random& random);

}  // namespace subguard::verifier::monitors
