// The Bot API limits subguard keeps, as plain values: which bucket class a method counts against, the
// buckets' rates, and what one call is charged to. Flags fill LimitOptions in a service's main.
//
// Telegram publishes limits for messages only (about 30/s for the bot, 1/s per chat, 20/minute per group).
// Moderation calls (restrictChatMember, banChatMember, deleteMessage...), reads (getChatMember, getChat...)
// and everything else (answerCallbackQuery) have unpublished limits, so each class has its own bot-wide
// bucket and a 429 drawn by one class pauses that class only. Defaults sit a little under Telegram's figures, so
// jitter between a bucket and the server never shows as a 429.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/time/time.h"

namespace subguard::ratelimit {

enum class CallClass { kMessage, kModeration, kOther, kRead };
inline constexpr int kCallClasses = 4;
// "message", "moderation", "other", "read": key parts and log fields.
std::string_view CallClassName(CallClass call_class);
// sendMessage, editMessageText, forward/copy -> kMessage; restrict/ban/unban/delete -> kModeration;
// getChat, getChatMember, getChatAdministrators, getChatMemberCount -> kRead (the verifiers' lookups);
// the rest (answerCallbackQuery, getMe, getUpdates) -> kOther.
CallClass ClassOf(std::string_view method);

// A token bucket: rate tokens a second, holding at most burst. It admits at most burst + rate * T calls in
// any span T. rate <= 0 means unlimited.
struct BucketSpec {
  double rate = 0;   // tokens per second
  double burst = 1;  // tokens a full bucket holds (>= 1)
};

struct LimitOptions {
  // --ratelimit_bot_messages_per_second (29), burst 5: the bot's sendMessage & co. together.
  BucketSpec bot_messages{.rate = 29, .burst = 5};
  // --ratelimit_chat_messages_per_second (0.9), burst 2: messages in one chat.
  BucketSpec chat_messages{.rate = 0.9, .burst = 2};
  // --ratelimit_group_messages_per_minute (17), burst 2: messages in one group (a negative chat id);
  // 2 + 17 = 19 in any minute, under Telegram's 20.
  BucketSpec group_messages{.rate = 17.0 / 60, .burst = 2};
  // --ratelimit_moderation_per_second (100), --ratelimit_moderation_burst (500): restrict, ban, unban,
  // delete, bot-wide. Telegram publishes no limit for these; a raid needs hundreds of restrictions at once
  // (with a burst of 100, the raid e2e's 400 restrictions queued for 3 s: most of its mute latency).
  BucketSpec bot_moderation{.rate = 100, .burst = 500};
  // --ratelimit_other_per_second (30), burst 10: every other call, bot-wide.
  BucketSpec bot_other{.rate = 30, .burst = 10};
  // --ratelimit_reads_per_second (200), --ratelimit_reads_burst (1000): getChatMember & co., bot-wide, taken
  // by the verifiers. Reads are cheap for Telegram and a raid needs one per newcomer and channel at once.
  BucketSpec bot_reads{.rate = 200, .burst = 1000};
};

// What one call is charged to.
struct Scope {
  int64_t chat_id = 0;  // the chat the call acts in; 0 when none (answerCallbackQuery)
  CallClass call_class = CallClass::kOther;
  // The caller's name for this call across retries (an action's id), or "". With a ticket, a short wait
  // reserves the call's slot (ClusterLimiter), so a flood of waiting calls is served in turn instead of all
  // asking again at once.
  std::string_view ticket;
};

inline bool IsGroup(int64_t chat_id) { return chat_id < 0; }

}  // namespace subguard::ratelimit
