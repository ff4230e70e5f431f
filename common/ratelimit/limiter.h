// Limiter: where a caller of the Bot API asks the bot's limits for permission to make one call.
// Implementations: LocalLimiter (this process only) and ClusterLimiter (every process, through Redis).
// Thread-safe implementations; called from every executor thread.
#pragma once

#include "absl/time/time.h"
#include "common/ratelimit/limits.h"

namespace subguard::ratelimit {

class Limiter {
 public:
  virtual ~Limiter() = default;
  // Zero when a call in scope may go now (and is counted against every bucket of scope); otherwise how
  // long to wait before asking again (nothing counted). Never blocks on the limits themselves.
  virtual absl::Duration Acquire(const Scope& scope) = 0;
  // Telegram answered a call in scope with 429 and this retry_after. A message pauses its chat; other
  // classes pause their bot-wide class (Telegram's reply does not say which limit was hit: the narrowest
  // scope that explains it).
  virtual void Pause(const Scope& scope, absl::Duration retry_after) = 0;
};

}  // namespace subguard::ratelimit
