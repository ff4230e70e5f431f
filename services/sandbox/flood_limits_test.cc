#include "services/sandbox/flood_limits.h"

#include <gtest/gtest.h>

#include "common/base/clock.h"

namespace subguard::sandbox {
namespace {

constexpr int64_t kGroup = -100123;
constexpr int64_t kPrivate = 42;

absl::Duration RetryAfter(const std::optional<FloodLimits::Refusal>& refusal) {
  return refusal.has_value() ? refusal->retry_after : absl::ZeroDuration();
}

TEST(FloodLimitsTest, ChatTakesItsBurstThenOnePerSecond) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limits.Admit("sendMessage", kPrivate).has_value()) << i;
  const auto refusal = limits.Admit("sendMessage", kPrivate);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->scope, FloodScope::kChat);
  EXPECT_EQ(refusal->retry_after, absl::Seconds(1));
  clock.Advance(absl::Seconds(1));
  EXPECT_FALSE(limits.Admit("sendMessage", kPrivate).has_value());
  EXPECT_TRUE(limits.Admit("sendMessage", kPrivate).has_value());
  EXPECT_EQ(limits.refusals().at("chat"), 2);
}

TEST(FloodLimitsTest, GroupTakesTwentyInAnyMinute) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{}, clock);
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(limits.Admit("sendMessage", kGroup).has_value()) << i;
    clock.Advance(absl::Seconds(1));
  }
  // The first of the 20 went at 0 s; now is 20 s: 40 s until it leaves the window.
  const auto refusal = limits.Admit("sendMessage", kGroup);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->scope, FloodScope::kGroup);
  EXPECT_EQ(refusal->retry_after, absl::Seconds(40));
  clock.Advance(absl::Seconds(40));
  EXPECT_FALSE(limits.Admit("sendMessage", kGroup).has_value());
}

TEST(FloodLimitsTest, BotTakesThirtyPerSecondAcrossChats) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{}, clock);
  for (int i = 0; i < 30; ++i) EXPECT_FALSE(limits.Admit("sendMessage", 1000 + i).has_value()) << i;
  const auto refusal = limits.Admit("sendMessage", 2000);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->scope, FloodScope::kBot);
  clock.Advance(absl::Milliseconds(100));  // 3 tokens back
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limits.Admit("sendMessage", 3000 + i).has_value()) << i;
  EXPECT_TRUE(limits.Admit("sendMessage", 4000).has_value());
}

TEST(FloodLimitsTest, RefusedCallTakesNothing) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{.chat_burst = 1}, clock);
  EXPECT_FALSE(limits.Admit("sendMessage", kGroup).has_value());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limits.Admit("sendMessage", kGroup).has_value());
  clock.Advance(absl::Seconds(1));
  EXPECT_FALSE(limits.Admit("sendMessage", kGroup).has_value());
}

TEST(FloodLimitsTest, OtherCallsAreFreeUnlessLimited) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{}, clock);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limits.Admit("restrictChatMember", kGroup).has_value());
  limits.Configure(FloodLimitOptions{.other_per_second = 2});
  EXPECT_FALSE(limits.Admit("restrictChatMember", kGroup).has_value());
  EXPECT_FALSE(limits.Admit("getChatMember", kGroup).has_value());
  EXPECT_EQ(RetryAfter(limits.Admit("restrictChatMember", kGroup)), absl::Seconds(1));
  EXPECT_FALSE(limits.Admit("getUpdates", 0).has_value());
}

TEST(FloodLimitsTest, TooManyUnsentInAChatWaitAMinute) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{.max_unsent_per_chat = 2}, clock);
  EXPECT_FALSE(limits.EnterUnsent("sendMessage", kGroup).has_value());
  EXPECT_FALSE(limits.EnterUnsent("sendMessage", kGroup).has_value());
  const auto refusal = limits.EnterUnsent("sendMessage", kGroup);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->scope, FloodScope::kUnsent);
  EXPECT_EQ(refusal->retry_after, absl::Seconds(60));
  EXPECT_FALSE(limits.EnterUnsent("sendMessage", kPrivate).has_value());  // another chat
  EXPECT_FALSE(limits.EnterUnsent("deleteMessage", kGroup).has_value());  // not a message
  limits.LeaveUnsent("sendMessage", kGroup);
  EXPECT_FALSE(limits.EnterUnsent("sendMessage", kGroup).has_value());
}

TEST(FloodLimitsTest, DisabledAdmitsEverything) {
  base::FakeClock clock;
  FloodLimits limits(FloodLimitOptions{.enabled = false}, clock);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limits.Admit("sendMessage", kGroup).has_value());
}

}  // namespace
}  // namespace subguard::sandbox
