#include "common/ratelimit/local_limiter.h"

#include <gtest/gtest.h>

#include "common/base/clock.h"

namespace subguard::ratelimit {
namespace {

constexpr int64_t kGroup = -100123;
constexpr int64_t kPrivate = 42;

Scope Message(int64_t chat_id) { return Scope{.chat_id = chat_id, .call_class = CallClass::kMessage}; }
Scope Moderation(int64_t chat_id) { return Scope{.chat_id = chat_id, .call_class = CallClass::kModeration}; }
Scope Read(int64_t chat_id) { return Scope{.chat_id = chat_id, .call_class = CallClass::kRead}; }

// Asks every tick for span; returns how many calls were admitted.
int AdmittedOver(LocalLimiter& limiter, base::FakeClock& clock, const Scope& scope, absl::Duration span,
                 absl::Duration tick) {
  int admitted = 0;
  for (absl::Duration t; t < span; t += tick) {
    if (limiter.Acquire(scope) == absl::ZeroDuration()) ++admitted;
    clock.Advance(tick);
  }
  return admitted;
}

TEST(ClassOfTest, SortsMethods) {
  EXPECT_EQ(ClassOf("sendMessage"), CallClass::kMessage);
  EXPECT_EQ(ClassOf("editMessageText"), CallClass::kMessage);
  EXPECT_EQ(ClassOf("copyMessage"), CallClass::kMessage);
  EXPECT_EQ(ClassOf("restrictChatMember"), CallClass::kModeration);
  EXPECT_EQ(ClassOf("deleteMessage"), CallClass::kModeration);
  EXPECT_EQ(ClassOf("getChatMember"), CallClass::kRead);
  EXPECT_EQ(ClassOf("getChat"), CallClass::kRead);
  EXPECT_EQ(ClassOf("getChatAdministrators"), CallClass::kRead);
  EXPECT_EQ(ClassOf("getChatMemberCount"), CallClass::kRead);
  EXPECT_EQ(ClassOf("answerCallbackQuery"), CallClass::kOther);
  EXPECT_EQ(ClassOf("getMe"), CallClass::kOther);
  EXPECT_EQ(ClassOf("getUpdates"), CallClass::kOther);
}

TEST(LocalLimiterTest, ReadsHaveTheirOwnBotWideBucket) {
  base::FakeClock clock;
  LimitOptions options;
  options.bot_reads = {.rate = 50, .burst = 20};
  options.bot_other = {.rate = 1, .burst = 1};
  LocalLimiter limiter(options, 1.0, clock);
  // 20 at once in any chats, then 50 a second; other calls and messages keep their own buckets.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(limiter.Acquire(Read(kGroup - i)), absl::ZeroDuration()) << i;
  const absl::Duration wait = limiter.Acquire(Read(kPrivate));
  EXPECT_GT(wait, absl::ZeroDuration());
  EXPECT_LE(wait, absl::Milliseconds(20));
  EXPECT_EQ(limiter.Acquire(Scope{.call_class = CallClass::kOther}), absl::ZeroDuration());
  EXPECT_EQ(limiter.Acquire(Message(kPrivate)), absl::ZeroDuration());
  const int admitted = AdmittedOver(limiter, clock, Read(kGroup), absl::Seconds(10), absl::Milliseconds(1));
  EXPECT_GE(admitted, 499);
  EXPECT_LE(admitted, 501);
  // A 429 on a read pauses every read, in every chat, and nothing else.
  limiter.Pause(Read(kGroup), absl::Seconds(7));
  EXPECT_EQ(limiter.Acquire(Read(kPrivate)), absl::Seconds(7));
  EXPECT_EQ(limiter.Acquire(Moderation(kGroup)), absl::ZeroDuration());
}

TEST(LocalLimiterTest, GroupStaysUnderTwentyAMinute) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 1.0, clock);
  const int admitted = AdmittedOver(limiter, clock, Message(kGroup), absl::Minutes(1), absl::Milliseconds(50));
  EXPECT_GE(admitted, 18);
  EXPECT_LE(admitted, 19);
}

TEST(LocalLimiterTest, ChatStaysUnderOneASecond) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 1.0, clock);
  const int admitted = AdmittedOver(limiter, clock, Message(kPrivate), absl::Seconds(10), absl::Milliseconds(10));
  EXPECT_LE(admitted, 2 + 9);
  EXPECT_GE(admitted, 10);
}

TEST(LocalLimiterTest, BotMessagesSharedByEveryChat) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 1.0, clock);
  int admitted = 0;
  // One message to each of many chats, every 1 ms, for 10 s: the bot's 29/s (plus its burst of 5) binds.
  for (int i = 0; i < 10000; ++i) {
    if (limiter.Acquire(Message(1000 + i)) == absl::ZeroDuration()) ++admitted;
    clock.Advance(absl::Milliseconds(1));
  }
  EXPECT_GE(admitted, 290);
  EXPECT_LE(admitted, 295);
}

TEST(LocalLimiterTest, ClassesHaveTheirOwnBuckets) {
  base::FakeClock clock;
  LimitOptions options;
  options.bot_moderation = {.rate = 30, .burst = 10};
  LocalLimiter limiter(options, 1.0, clock);
  ASSERT_EQ(limiter.Acquire(Message(kGroup)), absl::ZeroDuration());
  ASSERT_EQ(limiter.Acquire(Message(kGroup)), absl::ZeroDuration());
  EXPECT_GT(limiter.Acquire(Message(kGroup)), absl::ZeroDuration());  // the chat's burst is spent
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.Acquire(Moderation(kGroup)), absl::ZeroDuration()) << i;
  EXPECT_GT(limiter.Acquire(Moderation(kGroup)), absl::ZeroDuration());  // moderation's burst of 10
}

TEST(LocalLimiterTest, RefusalSaysHowLongAndTakesNothing) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 1.0, clock);
  limiter.Acquire(Message(kPrivate));
  limiter.Acquire(Message(kPrivate));
  const absl::Duration wait = limiter.Acquire(Message(kPrivate));
  EXPECT_GT(wait, absl::Milliseconds(1100));
  EXPECT_LT(wait, absl::Milliseconds(1112));
  clock.Advance(wait);
  EXPECT_EQ(limiter.Acquire(Message(kPrivate)), absl::ZeroDuration());
}

TEST(LocalLimiterTest, PauseHoldsAMessagesChatOrAClass) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 1.0, clock);
  limiter.Pause(Message(kGroup), absl::Seconds(5));
  EXPECT_EQ(limiter.Acquire(Message(kGroup)), absl::Seconds(5));
  EXPECT_EQ(limiter.Acquire(Message(kPrivate)), absl::ZeroDuration());   // another chat
  EXPECT_EQ(limiter.Acquire(Moderation(kGroup)), absl::ZeroDuration());  // another class
  limiter.Pause(Moderation(kPrivate), absl::Seconds(3));
  EXPECT_EQ(limiter.Acquire(Moderation(kGroup)), absl::Seconds(3));  // the whole class
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(limiter.Acquire(Message(kGroup)), absl::ZeroDuration());
  EXPECT_EQ(limiter.Acquire(Moderation(kGroup)), absl::ZeroDuration());
}

TEST(LocalLimiterTest, ShareScalesRatesAndBursts) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 0.25, clock);
  int admitted = 0;
  for (int i = 0; i < 10000; ++i) {
    if (limiter.Acquire(Message(1000 + i)) == absl::ZeroDuration()) ++admitted;
    clock.Advance(absl::Milliseconds(1));
  }
  // 29 / 4 = 7.25 a second for 10 s, plus a burst of 1.25.
  EXPECT_GE(admitted, 72);
  EXPECT_LE(admitted, 74);
}

TEST(LocalLimiterTest, ForgetsIdleChatsBeyondItsBound) {
  base::FakeClock clock;
  LocalLimiter limiter(LimitOptions{}, 1.0, clock, /*max_chats=*/10);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.Acquire(Message(i + 1)), absl::ZeroDuration()) << i;
    clock.Advance(absl::Seconds(3));  // every chat full again, and the bot's bucket too
  }
  // A forgotten chat starts full, as a remembered one would be by now.
  EXPECT_EQ(limiter.Acquire(Message(1)), absl::ZeroDuration());
}

}  // namespace
}  // namespace subguard::ratelimit
