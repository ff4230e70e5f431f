// MembershipCache against a real Redis and a scripted Bot API.
#include <atomic>
#include <boost/json/parse.hpp>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/telegram/testing/fake_bot_api.h"
#include "gtest/gtest.h"
#include "services/verifier/membership.h"
#include "tests/harness/servers.h"

namespace subguard::verifier {
namespace {

using decide::MemberStatus;

constexpr int64_t kChannel = -1002001;
constexpr int64_t kUser = 501;

boost::json::value ChatMemberJson(int64_t user_id, const std::string& status) {
  return boost::json::parse(
      absl::StrCat(R"({"user":{"id":)", user_id, R"(,"is_bot":false,"first_name":"U"},"status":")", status, R"("})"));
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
      : redis_({.host = redis_server_->host(), .port = redis_server_->port()}),
        metrics_(registry_),
        cache_({}, redis_, bot_, random_, base::RealClock::Instance(), metrics_) {
    redis_.Command({"FLUSHALL"}).IgnoreError();
    SetStatus("member");
  }

  void SetStatus(std::string status) {
    bot_.On("getChatMember", [this, status](const boost::json::object& params) -> absl::StatusOr<boost::json::value> {
      ++calls_;
      return ChatMemberJson(params.at("user_id").as_int64(), status);
    });
  }

  int64_t Pttl(int64_t chat, int64_t user) {
    auto reply = redis_.Command({"PTTL", MembershipCache::Key(chat, user)});
    return reply.ok() ? reply->integer : -100;
  }

  static harness::RedisServer* redis_server_;
  redis::Pool redis_;
  telegram::testing::FakeBotApi bot_;
  base::RealRandom random_{7};
  observability::Registry registry_;
  VerifierMetrics metrics_;
  MembershipCache cache_;
  std::atomic<int> calls_ = 0;
};
harness::RedisServer* MembershipTest::redis_server_ = nullptr;

TEST_F(MembershipTest, MemberIsCachedAboutTenMinutes) {
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(calls_, 1);
  const int64_t ttl = Pttl(kChannel, kUser);
  EXPECT_GE(ttl, absl::ToInt64Milliseconds(absl::Minutes(10) * 0.85) - 1000);
  EXPECT_LE(ttl, absl::ToInt64Milliseconds(absl::Minutes(10) * 1.15));
}

TEST_F(MembershipTest, NotMemberIsCachedAboutAMinute) {
  SetStatus("left");
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kNotMember);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kNotMember);
  EXPECT_EQ(calls_, 1);
  const int64_t ttl = Pttl(kChannel, kUser);
  EXPECT_GE(ttl, absl::ToInt64Milliseconds(absl::Minutes(1) * 0.85) - 1000);
  EXPECT_LE(ttl, absl::ToInt64Milliseconds(absl::Minutes(1) * 1.15));
}

TEST_F(MembershipTest, AdminsAreCachedAsAdmins) {
  SetStatus("creator");
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kAdmin);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kAdmin);
  EXPECT_EQ(calls_, 1);
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
  EXPECT_EQ(calls_, 3);
}

TEST_F(MembershipTest, ABurstMakesOneCall) {
  absl::Notification leader_asking;
  absl::Notification release;
  bot_.On("getChatMember", [&](const boost::json::object& params) -> absl::StatusOr<boost::json::value> {
    ++calls_;
    leader_asking.Notify();
    release.WaitForNotification();
    return ChatMemberJson(params.at("user_id").as_int64(), "member");
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
  EXPECT_EQ(calls_, 1);
  for (MemberStatus result : results) EXPECT_EQ(result, MemberStatus::kMember);
}

TEST_F(MembershipTest, PermanentErrorsAreUnknownTransientOnesAreErrors) {
  bot_.Reply("getChatMember", 400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kUnknown);
  EXPECT_EQ(*cache_.Lookup(kChannel, kUser), MemberStatus::kUnknown);  // cached briefly
  bot_.Reply("getChatMember", 502, "Bad Gateway");
  auto transient = cache_.Lookup(kChannel, kUser + 1);
  EXPECT_EQ(transient.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Pttl(kChannel, kUser + 1), -2);  // nothing cached
}

TEST(MembershipNoRedisTest, RedisAwayGoesStraightToTelegram) {
  redis::Pool redis({.host = "127.0.0.1", .port = harness::FreePort()});
  telegram::testing::FakeBotApi bot;
  int calls = 0;
  bot.On("getChatMember", [&](const boost::json::object& params) -> absl::StatusOr<boost::json::value> {
    ++calls;
    return ChatMemberJson(params.at("user_id").as_int64(), "member");
  });
  observability::Registry registry;
  VerifierMetrics metrics(registry);
  base::RealRandom random;
  MembershipCache cache({}, redis, bot, random, base::RealClock::Instance(), metrics);
  EXPECT_EQ(*cache.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(*cache.Lookup(kChannel, kUser), MemberStatus::kMember);
  EXPECT_EQ(calls, 2);
  cache.Invalidate(kChannel, kUser);  // logged, harmless
}

}  // namespace
}  // namespace subguard::verifier
