// MembershipCache against a real Redis and the sandbox in-process (its call log counts the
// getChatMember calls; its request hook injects errors and holds calls). Also its reads under the bot's
// read bucket (ratelimit::ReadLimitedBotApi over a ClusterLimiter), as every verifier's main wires them.
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "common/ratelimit/cluster_limiter.h"
#include "common/ratelimit/read_limited_bot_api.h"
#include "gtest/gtest.h"
#include "services/sandbox/errors.h"
#include "services/verifier/membership.h"
#include "services/verifier/testing/sandbox_world.h"
#include "tests/harness/servers.h"

namespace subguard::verifier {
namespace {

using decide::MemberStatus;

constexpr int64_t kBotId = 900;
constexpr int64_t kChannel = -1002001;
constexpr int64_t kUser = 501;

// A channel the bot administers, and users kUser, kUser + 1, ...
std::unique_ptr<testing::SandboxWorld> StartWorld() {
  auto world = testing::SandboxWorld::Start("900:sandbox-token", "GuardBot");
  EXPECT_TRUE(world.ok()) << world.status();
  if (!world.ok()) return nullptr;
  sandbox::ControlClient& control = (*world)->control();
  EXPECT_TRUE(control.AddChat({.id = kChannel, .type = "channel", .title = "News", .username = "news_ch"}).ok());
  EXPECT_TRUE(control.SetMember({kChannel, kBotId, "administrator", {{"can_invite_users", true}}}).ok());
  for (int64_t user = kUser; user < kUser + 3; ++user) EXPECT_TRUE(control.AddUser({.id = user}).ok());
  return std::move(*world);
}

class MembershipTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = harness::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = std::move(*server).release();
  }
  static void TearDownTestSuite() { delete redis_server_; }

  MembershipTest()
      : world_(StartWorld()),
        redis_({.host = redis_server_->host(), .port = redis_server_->port()}),
        metrics_(registry_),
        cache_({}, redis_, world_->bot_api(), random_, base::RealClock::Instance(), metrics_) {
    redis_.Command({"FLUSHALL"}).IgnoreError();
    SetStatus("member");
  }

  // kUser's status in the channel, as the sandbox holds it.
  void SetStatus(std::string status) {
    ASSERT_TRUE(world_->control().SetMember({.chat_id = kChannel, .user_id = kUser, .status = status}).ok());
  }
  int calls() { return world_->Calls("getChatMember"); }

  int64_t Pttl(int64_t chat, int64_t user) {
    auto reply = redis_.Command({"PTTL", MembershipCache::Key(chat, user)});
    return reply.ok() ? reply->integer : -100;
  }

  static harness::RedisServer* redis_server_;
  std::unique_ptr<testing::SandboxWorld> world_;
  redis::Pool redis_;
  base::RealRandom random_{7};
  observability::Registry registry_;
  VerifierMetrics metrics_;
  MembershipCache cache_;
};
harness::RedisServer* MembershipTest::redis_server_ = nullptr;

TEST_F(MembershipTest, MemberIsCachedAboutTenMinutes) {
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(calls(), 1);
  const int64_t ttl = Pttl(kChannel, kUser);
  EXPECT_GE(ttl, absl::ToInt64Milliseconds(absl::Minutes(10) * 0.85) - 1000);
  EXPECT_LE(ttl, absl::ToInt64Milliseconds(absl::Minutes(10) * 1.15));
}

TEST_F(MembershipTest, NotMemberIsCachedAboutAMinute) {
  SetStatus("left");
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kNotMember);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kNotMember);
  EXPECT_EQ(calls(), 1);
  const int64_t ttl = Pttl(kChannel, kUser);
  EXPECT_GE(ttl, absl::ToInt64Milliseconds(absl::Minutes(1) * 0.85) - 1000);
  EXPECT_LE(ttl, absl::ToInt64Milliseconds(absl::Minutes(1) * 1.15));
}

TEST_F(MembershipTest, AdminsAreCachedAsAdmins) {
  SetStatus("creator");
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kAdmin);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kAdmin);
  EXPECT_EQ(calls(), 1);
}

TEST_F(MembershipTest, InvalidateAndBypassAskTelegramAgain) {
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  SetStatus("left");
  cache_.Invalidate(kChannel, kUser);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kNotMember);
  SetStatus("member");
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser, /*bypass_cache=*/true), MemberStatus::kMember);
  // The fresh answer was stored.
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(calls(), 3);
}

TEST_F(MembershipTest, ARememberedStandingNeedsNoCall) {
  // A chat_member update said the user left: cached as a lookup's "not member" would be, no call made.
  cache_.Remember(kChannel, kUser, MemberStatus::kNotMember);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kNotMember);
  EXPECT_LE(Pttl(kChannel, kUser), absl::ToInt64Milliseconds(absl::Minutes(1) * 1.15));
  cache_.Remember(kChannel, kUser, MemberStatus::kAdmin);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kAdmin);
  EXPECT_EQ(calls(), 0);
  // An unknown standing forgets instead: the next lookup asks.
  cache_.Remember(kChannel, kUser, MemberStatus::kUnknown);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(calls(), 1);
}

TEST_F(MembershipTest, ABurstMakesOneCall) {
  absl::Notification leader_asking;
  absl::Notification release;
  world_->faults().Before("getChatMember", [&] {
    if (!leader_asking.HasBeenNotified()) leader_asking.Notify();
    release.WaitForNotification();
  });
  std::vector<MemberStatus> results(8, MemberStatus::kUnknown);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[0] = *cache_.Lookup(kChannel, kUser); });
  leader_asking.WaitForNotification();
  for (size_t i = 1; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = *cache_.Lookup(kChannel, kUser); });
  }
  release.Notify();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(calls(), 1);
  for (MemberStatus result : results) EXPECT_EQ(result, MemberStatus::kMember);
}

TEST_F(MembershipTest, PermanentErrorsAreUnknownTransientOnesAreErrors) {
  world_->faults().Fail("getChatMember", sandbox::BadRequest("chat not found"));
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kUnknown);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kUnknown);  // cached briefly
  world_->faults().Fail("getChatMember", sandbox::InternalServerError("try again"));
  auto transient = cache_.Lookup(kChannel, kUser + 1);
  EXPECT_EQ(transient.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Pttl(kChannel, kUser + 1), -2);  // nothing cached
}

// One verifier process's lookups: its own Redis connections, limiter and read-limited Bot API.
struct LimitedVerifier {
  LimitedVerifier(const harness::RedisServer& server, telegram::BotApi& bot_api, ratelimit::BucketSpec reads,
                  absl::Duration max_wait)
      : redis({.host = server.host(), .port = server.port()}),
        limiter({.limits = {.bot_reads = reads}}, redis, base::RealClock::Instance(), registry),
        limited({.max_wait = max_wait}, bot_api, limiter, base::RealClock::Instance(), registry),
        metrics(registry),
        cache({}, redis, limited, random, base::RealClock::Instance(), metrics) {}

  redis::Pool redis;
  observability::Registry registry;
  ratelimit::ClusterLimiter limiter;
  ratelimit::ReadLimitedBotApi limited;
  base::RealRandom random{11};
  VerifierMetrics metrics;
  MembershipCache cache;
};

TEST_F(MembershipTest, A429OnAReadPausesReadsForEveryVerifier) {
  for (int64_t user = kUser; user < kUser + 3; ++user) {
    ASSERT_TRUE(world_->control().SetMember({.chat_id = kChannel, .user_id = user}).ok());
  }
  LimitedVerifier a(*redis_server_, world_->bot_api(), {.rate = 100, .burst = 500}, absl::Seconds(1));
  LimitedVerifier b(*redis_server_, world_->bot_api(), {.rate = 100, .burst = 500}, absl::Seconds(1));
  world_->faults().Fail("getChatMember", sandbox::TooManyRequests(30));
  const auto limited = a.cache.Lookup(kChannel, kUser);
  EXPECT_EQ(limited.status().code(), absl::StatusCode::kResourceExhausted) << limited.status();
  EXPECT_EQ(calls(), 1);
  world_->faults().Clear();
  // Telegram would answer now, but every verifier holds its reads for the 30 s asked: the lookups fail at
  // once (longer than their bounded wait), transiently, and nothing reaches the Bot API.
  const auto b_held = b.cache.Lookup(kChannel, kUser + 1);
  EXPECT_EQ(b_held.status().code(), absl::StatusCode::kUnavailable) << b_held.status();
  const auto a_held = a.cache.Lookup(kChannel, kUser + 2);
  EXPECT_EQ(a_held.status().code(), absl::StatusCode::kUnavailable) << a_held.status();
  EXPECT_EQ(calls(), 1);
  // Nothing was cached for them: the update is retried and asks again.
  EXPECT_EQ(Pttl(kChannel, kUser + 1), -2);
}

TEST_F(MembershipTest, AShortPauseIsWaitedOutWithinTheBoundedWait) {
  LimitedVerifier a(*redis_server_, world_->bot_api(), {.rate = 100, .burst = 500}, absl::Seconds(5));
  LimitedVerifier b(*redis_server_, world_->bot_api(), {.rate = 100, .burst = 500}, absl::Seconds(5));
  world_->faults().Fail("getChatMember", sandbox::TooManyRequests(1));
  EXPECT_EQ(a.cache.Lookup(kChannel, kUser).status().code(), absl::StatusCode::kResourceExhausted);
  world_->faults().Clear();
  EXPECT_EQ(*b.cache.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(calls(), 2);
}

TEST_F(MembershipTest, VerifiersShareOneReadBucket) {
  for (int64_t user = kUser; user < kUser + 3; ++user) {
    ASSERT_TRUE(world_->control().SetMember({.chat_id = kChannel, .user_id = user}).ok());
  }
  // A burst of 2 reads for the whole bot, refilled far slower than the test runs, and no waiting.
  LimitedVerifier a(*redis_server_, world_->bot_api(), {.rate = 0.001, .burst = 2}, absl::ZeroDuration());
  LimitedVerifier b(*redis_server_, world_->bot_api(), {.rate = 0.001, .burst = 2}, absl::ZeroDuration());
  EXPECT_EQ(*a.cache.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(*b.cache.Lookup(kChannel, kUser + 1), MemberStatus::kMember);
  EXPECT_EQ(a.cache.Lookup(kChannel, kUser + 2).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(b.cache.Lookup(kChannel, kUser + 2).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*a.cache.Lookup(kChannel, kUser), MemberStatus::kMember);  // a cached answer takes no token
  EXPECT_EQ(calls(), 2);
}

TEST(MembershipNoRedisTest, RedisAwayGoesStraightToTelegram) {
  std::unique_ptr<testing::SandboxWorld> world = StartWorld();
  ASSERT_NE(world, nullptr);
  ASSERT_TRUE(world->control().SetMember({.chat_id = kChannel, .user_id = kUser}).ok());
  redis::Pool redis({.host = "127.0.0.1", .port = harness::FreePort()});
  observability::Registry registry;
  VerifierMetrics metrics(registry);
  base::RealRandom random;
  MembershipCache cache({}, redis, world->bot_api(), random, base::RealClock::Instance(), metrics);
  EXPECT_EQ(*cache.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(*cache.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(world->Calls("getChatMember"), 2);
  cache.Invalidate(kChannel, kUser);  // logged, harmless
}

}  // namespace
}  // namespace subguard::verifier
