#include "common/ratelimit/local_limiter.h"

#include <algorithm>

namespace subguard::ratelimit {
namespace {

BucketSpec ScaledSpec(const BucketSpec& spec, double share) {
  return BucketSpec{.rate = spec.rate * share, .burst = std::max(1.0, spec.burst * share)};
}

size_t Index(CallClass call_class) { return static_cast<size_t>(call_class); }

}  // namespace

LimitOptions Scaled(const LimitOptions& options, double share) {
  share = std::clamp(share, 1e-6, 1.0);
  return LimitOptions{.bot_messages = ScaledSpec(options.bot_messages, share),
                      .chat_messages = ScaledSpec(options.chat_messages, share),
                      .group_messages = ScaledSpec(options.group_messages, share),
                      .bot_moderation = ScaledSpec(options.bot_moderation, share),
                      .bot_other = ScaledSpec(options.bot_other, share),
                      .bot_reads = ScaledSpec(options.bot_reads, share)};
}

const BucketSpec& BotBucket(const LimitOptions& options, CallClass call_class) {
  switch (call_class) {
    case CallClass::kMessage:
      return options.bot_messages;
    case CallClass::kModeration:
      return options.bot_moderation;
    case CallClass::kRead:
      return options.bot_reads;
    case CallClass::kOther:
      break;
  }
  return options.bot_other;
}

LocalLimiter::LocalLimiter(const LimitOptions& options, double share, const base::Clock& clock, size_t max_chats)
    : options_(Scaled(options, share)), clock_(clock), max_chats_(max_chats) {
  class_paused_until_.fill(absl::InfinitePast());
}

absl::Duration LocalLimiter::Acquire(const Scope& scope) {
  std::lock_guard lock(mu_);
  const absl::Time now = clock_.Now();
  const size_t index = Index(scope.call_class);
  absl::Duration wait = std::max(absl::ZeroDuration(), class_paused_until_[index] - now);
  const BucketSpec& bot_spec = BotBucket(options_, scope.call_class);
  wait = std::max(wait, Refill(bot_[index], bot_spec, now));
  Chat* chat = nullptr;
  if (scope.call_class == CallClass::kMessage) {
    ForgetIdle(now);
    chat = &chats_[scope.chat_id];
    wait = std::max(wait, chat->paused_until - now);
    wait = std::max(wait, Refill(chat->messages, options_.chat_messages, now));
    if (IsGroup(scope.chat_id)) wait = std::max(wait, Refill(chat->group, options_.group_messages, now));
  }
  if (wait > absl::ZeroDuration()) return wait;
  Take(bot_[index], bot_spec);
  if (chat != nullptr) {
    Take(chat->messages, options_.chat_messages);
    if (IsGroup(scope.chat_id)) Take(chat->group, options_.group_messages);
  }
  return absl::ZeroDuration();
}

void LocalLimiter::Pause(const Scope& scope, absl::Duration retry_after) {
  std::lock_guard lock(mu_);
  const absl::Time until = clock_.Now() + retry_after;
  if (scope.call_class == CallClass::kMessage) {
    absl::Time& paused_until = chats_[scope.chat_id].paused_until;
    paused_until = std::max(paused_until, until);
    return;
  }
  absl::Time& paused_until = class_paused_until_[Index(scope.call_class)];
  paused_until = std::max(paused_until, until);
}

void LocalLimiter::ForgetIdle(absl::Time now) {
  if (chats_.size() < max_chats_) return;
  absl::erase_if(chats_, [&](const auto& entry) {
    const Chat& chat = entry.second;
    return chat.paused_until <= now && FullAt(chat.messages, options_.chat_messages) <= now &&
           FullAt(chat.group, options_.group_messages) <= now;
  });
}

}  // namespace subguard::ratelimit
