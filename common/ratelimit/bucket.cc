#include "common/ratelimit/bucket.h"

#include <algorithm>

namespace subguard::ratelimit {

absl::Duration Refill(BucketState& state, const BucketSpec& spec, absl::Time now) {
  if (spec.rate <= 0) return absl::ZeroDuration();
  if (state.last == absl::InfinitePast()) {
    state.tokens = spec.burst;
  } else if (now > state.last) {
    state.tokens = std::min(spec.burst, state.tokens + absl::ToDoubleSeconds(now - state.last) * spec.rate);
  }
  state.last = std::max(state.last, now);
  if (state.tokens >= 1) return absl::ZeroDuration();
  return absl::Seconds((1 - state.tokens) / spec.rate);
}

void Take(BucketState& state, const BucketSpec& spec) {
  if (spec.rate > 0) state.tokens -= 1;
}

absl::Time FullAt(const BucketState& state, const BucketSpec& spec) {
  if (spec.rate <= 0) return state.last;
  return state.last + absl::Seconds(std::max(0.0, spec.burst - state.tokens) / spec.rate);
}

}  // namespace subguard::ratelimit
