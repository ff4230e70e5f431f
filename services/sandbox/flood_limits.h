// FloodLimits: Telegram's published flood limits, as the sandbox enforces them on the bot's calls.
//
// Messages (sendMessage, editMessageText, forwardMessage, copyMessage, send*) count against three limits at
// once, each at least as strict as Telegram's own server:
//   the bot      a token bucket, bot_per_second (30) refilled per second, holding at most that many;
//   each chat    a token bucket, chat_per_second (1) with a burst of chat_burst (3);
//   each group   (a negative chat id) a sliding window: at most group_per_minute (20) in any 60 s.
// Other calls (moderation, reads) are only limited when other_per_second > 0, one bot-wide bucket.
// A call over a limit is refused with how long until it would pass (Telegram's retry_after, whole seconds,
// at least 1) and takes nothing from any limit; an admitted call takes from every limit it counts against.
// The refusals are counted by scope. Chats idle long enough to be full again are forgotten, so memory stays
// bounded by the chats active in the last minute.
// Thread-safe (one mutex). Cost: O(1) amortised per call.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace subguard::sandbox {

struct FloodLimitOptions {
  bool enabled = true;            // --flood_limits (default true)
  double bot_per_second = 30;     // --flood_bot_per_second: messages per second, the whole bot
  double chat_per_second = 1;     // --flood_chat_per_second: messages per second in one chat
  int chat_burst = 3;             // --flood_chat_burst: messages a quiet chat takes at once
  int group_per_minute = 20;      // --flood_group_per_minute: messages in any 60 s in one group
  int max_unsent_per_chat = 310;  // --flood_max_unsent_per_chat: messages of a chat in flight at once
  double other_per_second = 0;    // --flood_other_per_second: other calls per second; 0 = unlimited
};

// Which limit refused a call; a label of subguard_sandbox_flood_refusals_total.
enum class FloodScope { kBot, kChat, kGroup, kUnsent, kOther };
std::string_view FloodScopeName(FloodScope scope);

class FloodLimits {
 public:
  FloodLimits(FloodLimitOptions options, const base::Clock& clock);

  // True for the methods that send or edit a message.
  static bool IsMessageMethod(std::string_view method);

  // nullopt when the call may go now (and is counted); otherwise the refusal's scope and retry_after.
  struct Refusal {
    FloodScope scope;
    absl::Duration retry_after;
  };
  std::optional<Refusal> Admit(std::string_view method, int64_t chat_id);

  // The official server refuses a message with retry_after 60 while more than max_unsent_per_chat of the
  // chat's messages are still unsent. Enter before the call's delay (injected latency) and Leave after;
  // Enter refuses (and counts nothing) when the chat already has that many in flight.
  std::optional<Refusal> EnterUnsent(std::string_view method, int64_t chat_id);
  void LeaveUnsent(std::string_view method, int64_t chat_id);

  // Replaces the limits and forgets every bucket and count.
  void Configure(FloodLimitOptions options);
  FloodLimitOptions options() const;
  // Refusals so far by scope name, since the last Configure.
  std::map<std::string, int64_t> refusals() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time last;
  };
  // The wait until bucket holds one token at rate per second (refilling it to now first).
  static absl::Duration Wait(Bucket& bucket, double rate, double capacity, absl::Time now);
  absl::Duration GroupWait(const std::deque<absl::Time>& window, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Bucket& ChatBucket(int64_t chat_id, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ForgetIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::optional<Refusal> Refuse(FloodScope scope, absl::Duration wait) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const base::Clock& clock_;
  mutable std::mutex mu_;
  FloodLimitOptions options_ ABSL_GUARDED_BY(mu_);
  Bucket bot_ ABSL_GUARDED_BY(mu_);
  Bucket other_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, Bucket> chats_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, std::deque<absl::Time>> groups_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, int> unsent_ ABSL_GUARDED_BY(mu_);  // chats with messages in flight
  std::map<std::string, int64_t> refusals_ ABSL_GUARDED_BY(mu_);
};

}  // namespace subguard::sandbox
