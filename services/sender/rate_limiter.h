// RateLimiter: the seam where the sender asks Telegram's limits for permission to make a call.
//
// Today's implementation (LocalRateLimiter) only honours the pause a 429 asks for, in this process.
// Issue #6 puts cluster-wide token buckets in Redis behind this same interface: the bot as a whole
// (~30 calls/s), each chat (1 message/s) and each group (20 messages/minute), with a 429 pausing its
// scope for every sender.
#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace subguard::sender {

// What a call counts against.
struct RateScope {
  int64_t chat_id = 0;         // the chat the call acts in
  bool sends_message = false;  // messages have their own per-chat and per-group limits
};

// Thread-safe implementations; called from every executor thread.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Zero when a call in scope may go now (and is counted); otherwise how long to wait before asking
  // again. Never blocks.
  virtual absl::Duration Acquire(const RateScope& scope) = 0;
  // Telegram answered a call in scope with 429 and this retry_after: hold calls back that long.
  virtual void Pause(const RateScope& scope, absl::Duration retry_after) = 0;
};

}  // namespace subguard::sender
