// ClusterLimiter against a real Redis: several limiters (as several sender processes would) sharing the
// buckets never admit more than the limits, a pause set by one holds the others, and Redis going away
// falls back to the local share and comes back.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/ratelimit/cluster_limiter.h"
#include "tests/harness/process.h"
#include "tests/harness/servers.h"

namespace subguard::ratelimit {
namespace {

constexpr int64_t kGroup = -100777;

Scope Message(int64_t chat_id) { return Scope{.chat_id = chat_id, .call_class = CallClass::kMessage}; }
Scope Read(int64_t chat_id) { return Scope{.chat_id = chat_id, .call_class = CallClass::kRead}; }

class ClusterLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = harness::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // A limiter with its own connections, as in its own process.
  ClusterLimiter& AddLimiter(const LimitOptions& limits) {
    pools_.push_back(std::make_unique<redis::Pool>(redis::RedisOptions{
        .host = server_->host(), .port = server_->port(), .connect_timeout = absl::Milliseconds(200)}));
    registries_.push_back(std::make_unique<observability::Registry>());
    limiters_.push_back(std::make_unique<ClusterLimiter>(
        ClusterLimiterOptions{.limits = limits, .fallback_share = 0.5, .probe_interval = absl::Milliseconds(50)},
        *pools_.back(), base::RealClock::Instance(), *registries_.back()));
    return *limiters_.back();
  }

  // Runs every limiter on its own thread, each asking for scope_of(i) until `total` calls were admitted
  // among them; returns the admission times, sorted. With tickets, each thread asks again for its call
  // with the same ticket until admitted, as a sender does for an action.
  std::vector<absl::Time> Admit(int total, const std::function<Scope(int)>& scope_of, bool tickets = false) {
    std::mutex mu;
    std::vector<absl::Time> admitted;
    std::vector<std::thread> threads;
    for (auto& limiter : limiters_) {
      threads.emplace_back([&, limiter = limiter.get(), thread = threads.size()] {
        int call = 0;
        for (int i = 0;; ++i) {
          {
            std::lock_guard lock(mu);
            if (static_cast<int>(admitted.size()) >= total) return;
          }
          const std::string ticket = tickets ? absl::StrCat(thread, "-", call) : "";
          Scope scope = scope_of(tickets ? call : i);
          scope.ticket = ticket;
          const absl::Duration wait = limiter->Acquire(scope);
          if (wait == absl::ZeroDuration()) {
            ++call;
            std::lock_guard lock(mu);
            admitted.push_back(absl::Now());
          } else {
            absl::SleepFor(std::min(wait, absl::Milliseconds(5)));
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    std::sort(admitted.begin(), admitted.end());
    return admitted;
  }

  // Fails if some span between two admissions holds more than burst + rate * (span + grace) (+1 for the gap
  // between Redis's clock and the moment a thread noted the admission).
  static void ExpectWithin(const std::vector<absl::Time>& times, const BucketSpec& spec,
                           absl::Duration grace = absl::ZeroDuration()) {
    for (size_t i = 0; i < times.size(); ++i) {
      for (size_t j = i + 1; j < times.size(); ++j) {
        const double allowed = spec.burst + spec.rate * absl::ToDoubleSeconds(times[j] - times[i] + grace) + 1;
        ASSERT_LE(static_cast<double>(j - i + 1), allowed) << "admissions " << i << ".." << j;
      }
    }
  }

  std::unique_ptr<harness::RedisServer> server_;
  std::vector<std::unique_ptr<redis::Pool>> pools_;
  std::vector<std::unique_ptr<observability::Registry>> registries_;
  std::vector<std::unique_ptr<ClusterLimiter>> limiters_;
};

TEST_F(ClusterLimiterTest, FourLimitersShareTheBotBucket) {
  LimitOptions limits;
  limits.bot_messages = {.rate = 50, .burst = 5};
  limits.chat_messages = {};  // unlimited, so only the bot's bucket binds
  for (int i = 0; i < 4; ++i) AddLimiter(limits);
  const std::vector<absl::Time> times = Admit(150, [](int i) { return Message(1000 + i); });
  ASSERT_EQ(times.size(), 150u);
  ExpectWithin(times, limits.bot_messages);
  // And the budget is used: 150 admissions need at least (150 - 5) / 50 s, and not much more.
  EXPECT_GE(times.back() - times.front(), absl::Milliseconds(2800));
}

TEST_F(ClusterLimiterTest, TicketsReserveSlotsAndStillKeepTheRate) {
  LimitOptions limits;
  limits.bot_messages = {.rate = 50, .burst = 5};
  limits.chat_messages = {};
  for (int i = 0; i < 4; ++i) AddLimiter(limits);
  const std::vector<absl::Time> times = Admit(
      150, [](int i) { return Message(1000 + i); }, /*tickets=*/true);
  ASSERT_EQ(times.size(), 150u);
  ExpectWithin(times, limits.bot_messages, ClusterLimiterOptions().reserve_grace);
  EXPECT_GE(times.back() - times.front(), absl::Milliseconds(2800));
}

TEST_F(ClusterLimiterTest, ATicketWaitsForItsSlotThenGoesWithoutTakingAgain) {
  LimitOptions limits;
  limits.bot_messages = {.rate = 2, .burst = 1};
  limits.chat_messages = {};
  ClusterLimiter& limiter = AddLimiter(limits);
  Scope first = Message(1);
  first.ticket = "first";
  Scope second = Message(2);
  second.ticket = "second";
  Scope third = Message(3);
  third.ticket = "third";
  ASSERT_EQ(limiter.Acquire(first), absl::ZeroDuration());
  const absl::Duration second_wait = limiter.Acquire(second);  // reserved: the next token, 500 ms on
  EXPECT_GT(second_wait, absl::Milliseconds(400));
  EXPECT_LE(second_wait, absl::Milliseconds(500));
  const absl::Duration third_wait = limiter.Acquire(third);  // reserved after it: 1 s on
  EXPECT_GT(third_wait, absl::Milliseconds(900));
  EXPECT_LE(limiter.Acquire(second), second_wait);  // asking again: the rest of its wait
  EXPECT_TRUE(harness::WaitFor([&] { return limiter.Acquire(second) == absl::ZeroDuration(); }));
  // Its reservation is spent: the third still waits for its own slot, and a call without a ticket behind both.
  EXPECT_GT(limiter.Acquire(Message(4)), absl::ZeroDuration());
  EXPECT_TRUE(harness::WaitFor([&] { return limiter.Acquire(third) == absl::ZeroDuration(); }));
}

TEST_F(ClusterLimiterTest, AGroupsMessageReservesBeyondTheHorizonOfPrivateChats) {
  LimitOptions limits;
  limits.bot_messages = {.rate = 10, .burst = 1};
  limits.chat_messages = {};
  ClusterLimiter& limiter = AddLimiter(limits);
  const absl::Duration horizon = ClusterLimiterOptions().reserve_horizon;
  // Private chats reserve the bot's slots up to the horizon, then are refused (nothing reserved).
  absl::Duration wait;
  for (int i = 0; wait <= horizon; ++i) {
    Scope scope = Message(1000 + i);
    const std::string ticket = absl::StrCat("private-", i);
    scope.ticket = ticket;
    wait = limiter.Acquire(scope);
  }
  Scope refused = Message(1);
  refused.ticket = "refused";
  EXPECT_GT(limiter.Acquire(refused), horizon);
  // A group's message still reserves the next free slot: asking again returns the rest of that wait.
  Scope group = Message(kGroup);
  group.ticket = "group";
  const absl::Duration group_wait = limiter.Acquire(group);
  EXPECT_GT(group_wait, horizon);
  EXPECT_LE(limiter.Acquire(group), group_wait);
  EXPECT_GT(limiter.Acquire(refused), group_wait);  // the private chat now waits behind it
}

TEST_F(ClusterLimiterTest, FourLimitersShareAGroupBucket) {
  LimitOptions limits;
  limits.chat_messages = {};
  limits.group_messages = {.rate = 20, .burst = 2};
  for (int i = 0; i < 4; ++i) AddLimiter(limits);
  const std::vector<absl::Time> times = Admit(60, [](int) { return Message(kGroup); });
  ExpectWithin(times, limits.group_messages);
}

TEST_F(ClusterLimiterTest, APauseHoldsEveryLimiter) {
  ClusterLimiter& a = AddLimiter(LimitOptions{});
  ClusterLimiter& b = AddLimiter(LimitOptions{});
  a.Pause(Message(kGroup), absl::Seconds(30));
  const absl::Duration wait = b.Acquire(Message(kGroup));
  EXPECT_GT(wait, absl::Seconds(29));
  EXPECT_LE(wait, absl::Seconds(30));
  EXPECT_EQ(b.Acquire(Message(kGroup + 1)), absl::ZeroDuration());  // another chat
  // A shorter pause never shortens a longer one.
  b.Pause(Message(kGroup), absl::Seconds(1));
  EXPECT_GT(a.Acquire(Message(kGroup)), absl::Seconds(28));
  // Moderation pauses the class bot-wide.
  a.Pause(Scope{.chat_id = kGroup, .call_class = CallClass::kModeration}, absl::Seconds(10));
  EXPECT_GT(b.Acquire(Scope{.chat_id = 5, .call_class = CallClass::kModeration}), absl::Seconds(9));
}

TEST_F(ClusterLimiterTest, ReadsShareTheirOwnBotBucketAndPause) {
  LimitOptions limits;
  limits.bot_reads = {.rate = 100, .burst = 20};
  limits.bot_other = {.rate = 1, .burst = 1};
  for (int i = 0; i < 3; ++i) AddLimiter(limits);
  // Reads in many chats from three verifiers together keep the one read bucket.
  const std::vector<absl::Time> times = Admit(120, [](int i) { return Read(kGroup - i); });
  ASSERT_EQ(times.size(), 120u);
  ExpectWithin(times, limits.bot_reads);
  EXPECT_GE(times.back() - times.front(), absl::Milliseconds(900));
  // Not the other class's bucket, nor messages'.
  EXPECT_EQ(limiters_[0]->Acquire(Scope{.call_class = CallClass::kOther}), absl::ZeroDuration());
  EXPECT_EQ(limiters_[0]->Acquire(Message(5)), absl::ZeroDuration());
  // A 429 on a read seen by one pauses every read of the others, in every chat, and nothing else.
  limiters_[0]->Pause(Read(kGroup), absl::Seconds(20));
  EXPECT_GT(limiters_[1]->Acquire(Read(kGroup - 1000)), absl::Seconds(19));
  EXPECT_GT(limiters_[2]->Acquire(Read(42)), absl::Seconds(19));
  EXPECT_EQ(limiters_[1]->Acquire(Scope{.chat_id = kGroup, .call_class = CallClass::kModeration}),
            absl::ZeroDuration());
}

TEST_F(ClusterLimiterTest, FallsBackToItsShareWhileRedisIsAway) {
  LimitOptions limits;
  limits.bot_messages = {};                        // unlimited: only the chat's bucket binds
  limits.chat_messages = {.rate = 1, .burst = 4};  // a share of 0.5: burst 2
  ClusterLimiter& limiter = AddLimiter(limits);
  ASSERT_TRUE(limiter.Health().ok());
  server_->Kill();
  EXPECT_TRUE(harness::WaitFor([&] {
    limiter.Acquire(Message(7));
    return !limiter.Health().ok();
  }));
  EXPECT_EQ(limiter.Health().code(), absl::StatusCode::kUnavailable);
  int admitted = 0;
  for (int i = 0; i < 4; ++i) admitted += limiter.Acquire(Message(8)) == absl::ZeroDuration() ? 1 : 0;
  EXPECT_EQ(admitted, 2);
  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(harness::WaitFor([&] {
    limiter.Acquire(Message(9));
    return limiter.Health().ok();
  }));
}

}  // namespace
}  // namespace subguard::ratelimit
