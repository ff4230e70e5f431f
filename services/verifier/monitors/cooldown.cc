#include "services/verifier/monitors/cooldown.h"

#include <algorithm>

namespace subguard::verifier::monitors {

absl::Duration Cooldown(const CooldownPolicy& policy, int consecutive_failures, base::Random& random) {
  absl::Duration delay = policy.base;
  for (int i = 1; i < consecutive_failures && delay < policy.max; ++i) delay *= 2;
  return base::Jitter(std::min(delay, policy.max), 0.2, random);
}

}  // namespace subguard::verifier::monitors
