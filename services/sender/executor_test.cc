#include "services/sender/executor.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <variant>

#include "common/observability/metrics.h"
#include "common/telegram/testing/fake_bot_api.h"
#include "gtest/gtest.h"
#include "services/sender/local_rate_limiter.h"

namespace subguard::sender {
namespace {

using telegram::testing::FakeBotApi;

constexpr int64_t kGroup = -1001234567890;

// Done marks in memory; can be made unreachable like a Redis that is down.
class FakeDoneMarks final : public DoneMarks {
 public:
  absl::StatusOr<bool> IsDone(const v1::Action& action) override {
    std::lock_guard lock(mu_);
    if (down_) return absl::UnavailableError("redis: Connection refused");
    return done_.contains(action.id());
  }
  absl::Status MarkDone(const v1::Action& action) override {
    std::lock_guard lock(mu_);
    if (down_) return absl::UnavailableError("redis: Connection refused");
    done_.insert(action.id());
    return absl::OkStatus();
  }
  void SetDown(bool down) {
    std::lock_guard lock(mu_);
    down_ = down;
  }
  bool Contains(const std::string& id) {
    std::lock_guard lock(mu_);
    return done_.contains(id);
  }

 private:
  std::mutex mu_;
  bool down_ = false;
  std::set<std::string> done_;
};

// Always the middle of the jitter range, so backoff delays are exact.
class HalfRandom final : public base::Random {
 public:
  double Uniform() override { return 0.5; }
};

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest()
      : limiter_(clock_), metrics_(registry_), executor_({}, bot_, marks_, limiter_, metrics_, clock_, random_) {}

  static v1::Action Restrict(std::string id) {
    v1::Action action;
    action.set_id(std::move(id));
    action.set_chat_id(kGroup);
    action.mutable_restrict_member()->set_user_id(5123456789);
    return action;
  }
  static v1::Action Send(std::string id) {
    v1::Action action;
    action.set_id(std::move(id));
    action.set_chat_id(kGroup);
    action.mutable_send_message()->set_text("join @wonderland_news");
    return action;
  }

  static v1::Ack AckOf(const dispatch::DeliveryResult& result) {
    EXPECT_TRUE(std::holds_alternative<v1::Ack>(result));
    return std::holds_alternative<v1::Ack>(result) ? std::get<v1::Ack>(result) : v1::Ack();
  }
  static v1::Nack NackOf(const dispatch::DeliveryResult& result) {
    EXPECT_TRUE(std::holds_alternative<v1::Nack>(result));
    return std::holds_alternative<v1::Nack>(result) ? std::get<v1::Nack>(result) : v1::Nack();
  }

  base::FakeClock clock_;
  HalfRandom random_;
  FakeBotApi bot_;
  FakeDoneMarks marks_;
  LocalRateLimiter limiter_;
  observability::Registry registry_;
  SenderMetrics metrics_;
  Executor executor_;
};

TEST_F(ExecutorTest, SuccessMarksDoneAndAcks) {
  const v1::Ack ack = AckOf(executor_.Execute(Restrict("1:0"), 1));
  EXPECT_TRUE(ack.outcome().ok());
  EXPECT_TRUE(marks_.Contains("1:0"));
  ASSERT_EQ(bot_.calls().size(), 1u);
  EXPECT_EQ(bot_.calls()[0].method, "restrictChatMember");
  const std::string metrics = observability::SerializeMetrics(registry_);
  EXPECT_NE(metrics.find(R"(subguard_sender_actions_total{kind="restrict_member",outcome="ok"} 1)"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(subguard_sender_botapi_seconds_count{method="restrictChatMember"} 1)"), std::string::npos)
      << metrics;
}

TEST_F(ExecutorTest, ARedeliveredActionIsNotCalledAgain) {
  ASSERT_TRUE(AckOf(executor_.Execute(Send("2:1"), 1)).outcome().ok());
  const v1::Ack again = AckOf(executor_.Execute(Send("2:1"), 2));
  EXPECT_TRUE(again.outcome().ok());
  EXPECT_EQ(bot_.calls().size(), 1u);
  EXPECT_NE(observability::SerializeMetrics(registry_).find(
                R"(subguard_sender_actions_total{kind="send_message",outcome="already_done"} 1)"),
            std::string::npos);
}

TEST_F(ExecutorTest, TooManyRequestsNacksWithRetryAfterAndPausesTheBot) {
  bot_.Reply(
      "restrictChatMember", 429,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}})");
  const v1::Nack nack = NackOf(executor_.Execute(Restrict("3:0"), 1));
  EXPECT_EQ(nack.retry_after_ms(), 35000u);
  EXPECT_FALSE(marks_.Contains("3:0"));

  // Any other action waits out the pause without calling Telegram.
  const v1::Nack deferred = NackOf(executor_.Execute(Send("4:0"), 1));
  EXPECT_EQ(deferred.retry_after_ms(), 35000u);
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(NackOf(executor_.Execute(Send("4:0"), 2)).retry_after_ms(), 5000u);
  EXPECT_EQ(bot_.calls().size(), 1u);

  clock_.Advance(absl::Seconds(5));
  EXPECT_TRUE(AckOf(executor_.Execute(Send("4:0"), 3)).outcome().ok());
  EXPECT_EQ(bot_.calls().size(), 2u);
  const std::string metrics = observability::SerializeMetrics(registry_);
  EXPECT_NE(metrics.find("subguard_sender_429_total 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find(R"(subguard_sender_actions_total{kind="send_message",outcome="deferred"} 2)"),
            std::string::npos)
      << metrics;
}

TEST_F(ExecutorTest, PermanentErrorsAreAcknowledgedAsFailed) {
  bot_.Reply(
      "restrictChatMember", 400,
      R"({"ok":false,"error_code":400,"description":"Bad Request: not enough rights to restrict/unrestrict chat member"})");
  const v1::Ack bad_request = AckOf(executor_.Execute(Restrict("5:0"), 1));
  EXPECT_FALSE(bad_request.outcome().ok());
  EXPECT_EQ(bad_request.outcome().error_code(), 400);
  EXPECT_EQ(bad_request.outcome().description(),
            "restrictChatMember: telegram 400: Bad Request: not enough rights to restrict/unrestrict chat member");
  EXPECT_FALSE(marks_.Contains("5:0"));

  bot_.Reply("sendMessage", 403,
             R"({"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the supergroup chat"})");
  const v1::Ack forbidden = AckOf(executor_.Execute(Send("6:0"), 1));
  EXPECT_FALSE(forbidden.outcome().ok());
  EXPECT_EQ(forbidden.outcome().error_code(), 403);
}

TEST_F(ExecutorTest, ServerAndNetworkErrorsBackOffByAttempt) {
  bot_.Reply("restrictChatMember", 502, R"({"ok":false,"error_code":502,"description":"Bad Gateway"})");
  // Full jitter at the middle of the range: base 100 ms doubling, halved.
  EXPECT_EQ(NackOf(executor_.Execute(Restrict("7:0"), 1)).retry_after_ms(), 50u);
  EXPECT_EQ(NackOf(executor_.Execute(Restrict("7:0"), 3)).retry_after_ms(), 200u);
  EXPECT_EQ(NackOf(executor_.Execute(Restrict("7:0"), 40)).retry_after_ms(), 15000u);

  bot_.On("deleteMessage", [](const boost::json::object&) -> absl::StatusOr<boost::json::value> {
    return absl::DeadlineExceededError("deleteMessage: http: Operation timed out");
  });
  v1::Action del;
  del.set_id("8:0");
  del.set_chat_id(kGroup);
  del.mutable_delete_message()->set_message_id(4821);
  const v1::Nack timeout = NackOf(executor_.Execute(del, 2));
  EXPECT_EQ(timeout.retry_after_ms(), 100u);
  EXPECT_NE(timeout.reason().find("timed out"), std::string::npos);
}

TEST_F(ExecutorTest, AWrongTokenKeepsTheActionForLater) {
  bot_.Reply("restrictChatMember", 401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})");
  EXPECT_EQ(NackOf(executor_.Execute(Restrict("9:0"), 1)).retry_after_ms(), 50u);
}

TEST_F(ExecutorTest, RedisDownStillRunsIdempotentActions) {
  marks_.SetDown(true);
  EXPECT_TRUE(AckOf(executor_.Execute(Restrict("10:0"), 1)).outcome().ok());
  EXPECT_EQ(bot_.calls().size(), 1u);
}

TEST_F(ExecutorTest, RedisDownHoldsSendsBack) {
  marks_.SetDown(true);
  const v1::Nack nack = NackOf(executor_.Execute(Send("11:0"), 1));
  EXPECT_EQ(nack.retry_after_ms(), 50u);
  EXPECT_TRUE(bot_.calls().empty());
  marks_.SetDown(false);
  EXPECT_TRUE(AckOf(executor_.Execute(Send("11:0"), 2)).outcome().ok());
  EXPECT_EQ(bot_.calls().size(), 1u);
}

TEST_F(ExecutorTest, InvalidDeliveriesFailWithoutACall) {
  v1::Action no_kind;
  no_kind.set_id("12:0");
  EXPECT_FALSE(AckOf(executor_.Execute(no_kind, 1)).outcome().ok());

  v1::Delivery update_delivery;
  update_delivery.set_delivery_id(3);
  update_delivery.mutable_update()->set_update_id(12);
  const v1::Ack ack = AckOf(executor_.Handle(update_delivery));
  EXPECT_FALSE(ack.outcome().ok());
  EXPECT_EQ(ack.outcome().error_code(), 0);
  EXPECT_TRUE(bot_.calls().empty());
}

TEST_F(ExecutorTest, HandleRunsTheDeliveredAction) {
  v1::Delivery delivery;
  delivery.set_delivery_id(4);
  delivery.set_attempt(1);
  *delivery.mutable_action() = Restrict("13:0");
  EXPECT_TRUE(AckOf(executor_.Handle(delivery)).outcome().ok());
  EXPECT_TRUE(marks_.Contains("13:0"));
}

}  // namespace
}  // namespace subguard::sender
