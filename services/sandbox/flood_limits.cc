#include "services/sandbox/flood_limits.h"

#include <algorithm>
#include <cmath>

namespace subguard::sandbox {
namespace {

constexpr absl::Duration kGroupWindow = absl::Seconds(60);
// Beyond this many remembered chats, the idle ones are forgotten.
constexpr size_t kMaxRememberedChats = 50000;
// Telegram's answer to a chat with too many unsent messages (telegram-bot-api Client.cpp).
constexpr absl::Duration kUnsentRetryAfter = absl::Seconds(60);

bool IsGroup(int64_t chat_id) { return chat_id < 0; }

}  // namespace

std::string_view FloodScopeName(FloodScope scope) {
  switch (scope) {
    case FloodScope::kBot:
      return "bot";
    case FloodScope::kChat:
      return "chat";
    case FloodScope::kGroup:
      return "group";
    case FloodScope::kUnsent:
      return "unsent";
    case FloodScope::kOther:
      return "other";
  }
  return "unknown";
}

FloodLimits::FloodLimits(FloodLimitOptions options, const base::Clock& clock) : clock_(clock) { Configure(options); }

bool FloodLimits::IsMessageMethod(std::string_view method) {
  return method.starts_with("send") || method == "editMessageText" || method == "editMessageReplyMarkup" ||
         method == "editMessageCaption" || method == "forwardMessage" || method == "forwardMessages" ||
         method == "copyMessage" || method == "copyMessages";
}

void FloodLimits::Configure(FloodLimitOptions options) {
  std::lock_guard lock(mu_);
  options_ = options;
  const absl::Time now = clock_.Now();
  bot_ = Bucket{.tokens = options.bot_per_second, .last = now};
  other_ = Bucket{.tokens = options.other_per_second, .last = now};
  chats_.clear();
  groups_.clear();
  refusals_.clear();
}

FloodLimitOptions FloodLimits::options() const {
  std::lock_guard lock(mu_);
  return options_;
}

std::map<std::string, int64_t> FloodLimits::refusals() const {
  std::lock_guard lock(mu_);
  return refusals_;
}

absl::Duration FloodLimits::Wait(Bucket& bucket, double rate, double capacity, absl::Time now) {
  if (rate <= 0) return absl::ZeroDuration();  // unlimited
  bucket.tokens = std::min(capacity, bucket.tokens + absl::ToDoubleSeconds(now - bucket.last) * rate);
  bucket.last = now;
  if (bucket.tokens >= 1) return absl::ZeroDuration();
  return absl::Seconds((1 - bucket.tokens) / rate);
}

absl::Duration FloodLimits::GroupWait(const std::deque<absl::Time>& window, absl::Time now) const {
  if (options_.group_per_minute <= 0 || window.size() < static_cast<size_t>(options_.group_per_minute)) {
    return absl::ZeroDuration();
  }
  // window holds the newest group_per_minute sends; the oldest leaves the window at +60 s.
  return std::max(absl::ZeroDuration(), window.front() + kGroupWindow - now);
}

FloodLimits::Bucket& FloodLimits::ChatBucket(int64_t chat_id, absl::Time now) {
  auto [it, inserted] = chats_.try_emplace(chat_id);
  if (inserted) it->second = Bucket{.tokens = static_cast<double>(options_.chat_burst), .last = now};
  return it->second;
}

void FloodLimits::ForgetIdle(absl::Time now) {
  if (chats_.size() + groups_.size() < kMaxRememberedChats) return;
  const absl::Duration refill = absl::Seconds(options_.chat_burst / std::max(options_.chat_per_second, 1e-9));
  absl::erase_if(chats_, [&](const auto& entry) { return now - entry.second.last >= refill; });
  absl::erase_if(groups_, [&](const auto& entry) { return now - entry.second.back() >= kGroupWindow; });
}

std::optional<FloodLimits::Refusal> FloodLimits::Refuse(FloodScope scope, absl::Duration wait) {
  ++refusals_[std::string(FloodScopeName(scope))];
  // Telegram's retry_after is whole seconds, rounded up, never 0.
  const int64_t seconds = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(wait))));
  return Refusal{.scope = scope, .retry_after = absl::Seconds(seconds)};
}

std::optional<FloodLimits::Refusal> FloodLimits::Admit(std::string_view method, int64_t chat_id) {
  std::lock_guard lock(mu_);
  if (!options_.enabled) return std::nullopt;
  const absl::Time now = clock_.Now();
  if (!IsMessageMethod(method)) {
    if (method == "getUpdates") return std::nullopt;
    const absl::Duration wait = Wait(other_, options_.other_per_second, options_.other_per_second, now);
    if (wait > absl::ZeroDuration()) return Refuse(FloodScope::kOther, wait);
    other_.tokens -= 1;
    return std::nullopt;
  }
  ForgetIdle(now);
  if (const absl::Duration wait = Wait(bot_, options_.bot_per_second, options_.bot_per_second, now);
      wait > absl::ZeroDuration()) {
    return Refuse(FloodScope::kBot, wait);
  }
  Bucket& chat = ChatBucket(chat_id, now);
  if (const absl::Duration wait = Wait(chat, options_.chat_per_second, options_.chat_burst, now);
      wait > absl::ZeroDuration()) {
    return Refuse(FloodScope::kChat, wait);
  }
  std::deque<absl::Time>* group = IsGroup(chat_id) && options_.group_per_minute > 0 ? &groups_[chat_id] : nullptr;
  if (group != nullptr) {
    if (const absl::Duration wait = GroupWait(*group, now); wait > absl::ZeroDuration()) {
      return Refuse(FloodScope::kGroup, wait);
    }
    group->push_back(now);
    while (group->size() > static_cast<size_t>(options_.group_per_minute)) group->pop_front();
  }
  bot_.tokens -= 1;
  chat.tokens -= 1;
  return std::nullopt;
}

std::optional<FloodLimits::Refusal> FloodLimits::EnterUnsent(std::string_view method, int64_t chat_id) {
  if (!IsMessageMethod(method)) return std::nullopt;
  std::lock_guard lock(mu_);
  if (!options_.enabled) return std::nullopt;
  int& unsent = unsent_[chat_id];
  if (unsent >= options_.max_unsent_per_chat) return Refuse(FloodScope::kUnsent, kUnsentRetryAfter);
  ++unsent;
  return std::nullopt;
}

void FloodLimits::LeaveUnsent(std::string_view method, int64_t chat_id) {
  if (!IsMessageMethod(method)) return;
  std::lock_guard lock(mu_);
  auto it = unsent_.find(chat_id);
  if (it == unsent_.end()) return;
  if (--it->second <= 0) unsent_.erase(it);
}

}  // namespace subguard::sandbox
