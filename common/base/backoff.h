// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
// the n-th retry waits a uniform time in [0, min(cap, base * 2^n)).
#pragma once

#include <algorithm>

#include "absl/time/time.h"
#include "common/base/random.h"

namespace subguard::base {

struct BackoffPolicy {
  absl::Duration base = absl::Milliseconds(100);
  absl::Duration cap = absl::Seconds(30);
};

// attempt counts from 0 for the first retry.
inline absl::Duration FullJitterDelay(const BackoffPolicy& policy, int attempt, Random& random) {
  const double factor = static_cast<double>(uint64_t{1} << std::clamp(attempt, 0, 30));
  const absl::Duration ceiling = std::min(policy.cap, policy.base * factor);
  return ceiling * random.Uniform();
}

}  // namespace subguard::base
