#pragma once

#include "absl/time/clock.h"

namespace subguard::harness {

template <typename Condition>
bool WaitFor(Condition condition, absl::Duration deadline, absl::Duration interval) {
  const absl::Time until = absl::Now() + deadline;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= until) return false;
    absl::SleepFor(interval);
  }
}

}  // namespace subguard::harness
