// Token-bucket arithmetic, pure: the one definition of refilling and taking that LocalLimiter runs in C++
// and ClusterLimiter's Lua script (cluster_limiter.cc) mirrors line for line. Unit-tested with a FakeClock.
#pragma once

#include "absl/time/time.h"
#include "common/ratelimit/limits.h"

namespace subguard::ratelimit {

struct BucketState {
  double tokens = 0;
  absl::Time last = absl::InfinitePast();  // InfinitePast: never used, so full
};

// Refills state to now and returns how long until it holds one token (zero: a call may take it now).
absl::Duration Refill(BucketState& state, const BucketSpec& spec, absl::Time now);
// Takes one token; call after Refill said zero for every bucket the call counts against.
void Take(BucketState& state, const BucketSpec& spec);
// When a bucket untouched since state.last is full again: it can be forgotten then.
absl::Time FullAt(const BucketState& state, const BucketSpec& spec);

}  // namespace subguard::ratelimit
