// The executor against a real Redis (done marks) and the real sandbox (the Bot API over HTTP, its flood
// limits on): what one action costs in Telegram calls, and how each kind of reply is answered.
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "common/observability/metrics.h"
#include "common/prompts/pending_prompts.h"
#include "common/ratelimit/local_limiter.h"
#include "common/redis/client.h"
#include "common/registry/outcomes.h"
#include "common/registry/permanent_errors.h"
#include "common/telegram/bot_api_client.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/sandbox_server.h"
#include "services/sender/done_marks.h"
#include "services/sender/executor.h"
#include "tests/harness/servers.h"

namespace subguard::sender {
namespace {

constexpr int64_t kGroup = -1001234567890;
constexpr int64_t kOtherGroup = -1001111111111;     // the bot is a plain member: no right to restrict
constexpr int64_t kStrangerGroup = -1002222222222;  // the bot is not in it
constexpr int64_t kUser = 5123456789;

// Answers every Bot API call with one fault instead of running it.
class FaultHook final : public sandbox::RequestHook {
 public:
  explicit FaultHook(absl::Status fault) : fault_(std::move(fault)) {}
  absl::Status BeforeCall(std::string_view, const sandbox::Params&) override { return fault_; }

 private:
  const absl::Status fault_;
};

// Always the middle of the jitter range, so backoff delays are exact.
class HalfRandom final : public base::Random {
 public:
  double Uniform() override { return 0.5; }
};

class ExecutorItest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis_server = harness::RedisServer::Start();
    ASSERT_TRUE(redis_server.ok()) << redis_server.status();
    redis_server_ = *std::move(redis_server);
    sandbox::SandboxOptions options;
    options.http.port = 0;
    auto sandbox = sandbox::SandboxServer::Start(options);
    ASSERT_TRUE(sandbox.ok()) << sandbox.status();
    sandbox_ = *std::move(sandbox);
    token_ = options.bot_token;

    control_ = std::make_unique<sandbox::ControlClient>(sandbox_->base_url());
    const int64_t bot = sandbox_->bot().id;
    ASSERT_TRUE(control_->AddUser({.id = kUser, .first_name = "Alice", .username = "alice_l"}).ok());
    for (int64_t chat : {kGroup, kOtherGroup, kStrangerGroup}) {
      ASSERT_TRUE(control_->AddChat({.id = chat, .type = "supergroup", .title = "Group"}).ok());
      ASSERT_TRUE(control_->SetMember({.chat_id = chat, .user_id = kUser, .status = "member"}).ok());
    }
    ASSERT_TRUE(control_
                    ->SetMember({.chat_id = kGroup,
                                 .user_id = bot,
                                 .status = "administrator",
                                 .fields = {{"can_restrict_members", true}, {"can_delete_messages", true}}})
                    .ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kOtherGroup, .user_id = bot, .status = "member"}).ok());

    redis_ = std::make_unique<redis::Pool>(
        redis::RedisOptions{.host = redis_server_->host(), .port = redis_server_->port()});
    bot_api_ = std::make_unique<telegram::BotApiClient>(
        telegram::BotApiOptions{.api_url = sandbox_->base_url(), .token = token_});
    marks_ = std::make_unique<RedisDoneMarks>(*redis_, absl::Hours(24));
    executor_ = MakeExecutor(*bot_api_);
  }

  void TearDown() override {
    if (sandbox_ != nullptr) sandbox_->bot_api().SetRequestHook(nullptr);
  }

  std::unique_ptr<Executor> MakeExecutor(telegram::BotApi& bot_api) {
    return std::make_unique<Executor>(ExecutorOptions{}, bot_api, *marks_, limiter_, metrics_, clock_, random_);
  }

  static v1::Action Restrict(std::string id, int64_t chat = kGroup) {
    v1::Action action;
    action.set_id(std::move(id));
    action.set_chat_id(chat);
    action.mutable_restrict_member()->set_user_id(kUser);
    return action;
  }
  static v1::Action Send(std::string id, int64_t chat = kGroup) {
    v1::Action action;
    action.set_id(std::move(id));
    action.set_chat_id(chat);
    v1::SendMessage& message = *action.mutable_send_message();
    message.set_text("Alice, join @wonderland_news to write here.");
    v1::InlineButton* button = message.add_keyboard()->add_buttons();
    button->set_text("I have joined");
    button->set_callback_data("recheck:5123456789");
    return action;
  }

  std::string Metrics() { return observability::SerializeMetrics(registry_); }

  size_t CallCount(std::string_view method) {
    absl::StatusOr<boost::json::array> calls = control_->Calls(method);
    EXPECT_TRUE(calls.ok()) << calls.status();
    return calls.ok() ? calls->size() : 0;
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
  ratelimit::LocalLimiter limiter_{ratelimit::LimitOptions{}, 1.0, clock_};
  observability::Registry registry_;
  SenderMetrics metrics_{registry_};
  std::unique_ptr<harness::RedisServer> redis_server_;
  std::unique_ptr<sandbox::SandboxServer> sandbox_;
  std::string token_;
  std::unique_ptr<sandbox::ControlClient> control_;
  std::unique_ptr<redis::Pool> redis_;
  std::unique_ptr<telegram::BotApiClient> bot_api_;
  std::unique_ptr<RedisDoneMarks> marks_;
  std::unique_ptr<Executor> executor_;
};

// A prompt the verifier put on the group's pending list (common/prompts/pending_prompts.h).
v1::Action PendingPrompt(redis::Pool& redis, int64_t user) {
  v1::Action action;
  action.set_id(absl::StrCat("300:prompt:", kGroup, ":", user));
  action.set_chat_id(kGroup);
  v1::SendMessage& message = *action.mutable_send_message();
  const std::string mention = absl::StrCat("<a href=\"tg://user?id=", user, "\">U", user, "</a>");
  message.set_parse_mode("HTML");
  message.set_text(mention + " join first");
  message.add_keyboard()->add_buttons()->set_callback_data(absl::StrCat("check:", user));
  v1::PromptBatch& batch = *message.mutable_batch();
  batch.set_user_id(user);
  batch.set_mention(mention);
  batch.set_text(absl::StrCat(prompts::kUsersMarker, " join first"));
  batch.set_callback_data(absl::StrCat("check:", user));
  batch.set_shared_callback_data("check:0");
  EXPECT_TRUE(prompts::AddPending(redis, action, absl::Minutes(10)).ok());
  return action;
}

TEST_F(ExecutorItest, PendingPromptsGoAsOnePromptNamingEveryone) {
  Executor executor(ExecutorOptions{.pending_prompts = redis_.get()}, *bot_api_, *marks_, limiter_, metrics_, clock_,
                    random_);
  const v1::Action first = PendingPrompt(*redis_, 71);
  const v1::Action second = PendingPrompt(*redis_, 72);

  EXPECT_TRUE(AckOf(executor.Execute(first, 1)).outcome().ok());
  EXPECT_TRUE(AckOf(executor.Execute(second, 1)).outcome().ok());  // named already: no call
  absl::StatusOr<boost::json::array> calls = control_->Calls("sendMessage");
  ASSERT_TRUE(calls.ok()) << calls.status();
  ASSERT_EQ(calls->size(), 1u);
  const std::string sent = boost::json::serialize(calls->at(0).as_object().at("params"));
  EXPECT_NE(sent.find("tg://user?id=71"), std::string::npos) << sent;
  EXPECT_NE(sent.find("tg://user?id=72"), std::string::npos) << sent;
  EXPECT_NE(sent.find("check:0"), std::string::npos) << sent;
  EXPECT_NE(Metrics().find("outcome=\"coalesced\""), std::string::npos);
}

TEST_F(ExecutorItest, TheSameRestrictionTwiceIsOneCall) {
  EXPECT_TRUE(AckOf(executor_->Execute(Restrict("100:0"), 1)).outcome().ok());
  EXPECT_TRUE(AckOf(executor_->Execute(Restrict("100:0"), 2)).outcome().ok());
  // Another sender process, sharing the Redis, finds the mark too.
  telegram::BotApiClient other_client({.api_url = sandbox_->base_url(), .token = token_});
  EXPECT_TRUE(AckOf(MakeExecutor(other_client)->Execute(Restrict("100:0"), 3)).outcome().ok());
  EXPECT_EQ(CallCount("restrictChatMember"), 1u);

  absl::StatusOr<boost::json::object> member = control_->Member(kGroup, kUser);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->at("status"), "restricted");
  EXPECT_EQ(member->at("can_send_messages"), false);

  absl::StatusOr<redis::Reply> ttl = redis_->Command({"TTL", "sg:done:{c-1001234567890}:100:0"});
  ASSERT_TRUE(ttl.ok()) << ttl.status();
  EXPECT_GT(ttl->integer, 86000);
  EXPECT_LE(ttl->integer, 86400);
}

TEST_F(ExecutorItest, TheSameMessageTwiceIsSentOnce) {
  EXPECT_TRUE(AckOf(executor_->Execute(Send("101:1"), 1)).outcome().ok());
  EXPECT_TRUE(AckOf(executor_->Execute(Send("101:1"), 2)).outcome().ok());
  EXPECT_EQ(CallCount("sendMessage"), 1u);
  absl::StatusOr<boost::json::array> messages = control_->Messages(kGroup);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 1u);
  const boost::json::object& sent = messages->at(0).as_object();
  EXPECT_EQ(sent.at("text"), "Alice, join @wonderland_news to write here.");
  EXPECT_EQ(sent.at("reply_markup").at("inline_keyboard").at(0).at(0).at("callback_data"), "recheck:5123456789");
}

TEST_F(ExecutorItest, ARememberedMessageIsNamedWithItsChat) {
  Executor executor(ExecutorOptions{.sent_messages = redis_.get()}, *bot_api_, *marks_, limiter_, metrics_, clock_,
                    random_);
  v1::Action start = Send("105:1");
  start.mutable_send_message()->set_remember_id_as("sg:verifyall:9:message");
  ASSERT_TRUE(AckOf(executor.Execute(start, 1)).outcome().ok());
  absl::StatusOr<boost::json::array> messages = control_->Messages(kGroup);
  ASSERT_TRUE(messages.ok() && messages->size() == 1u);
  absl::StatusOr<redis::Reply> remembered = redis_->Command({"GET", "sg:verifyall:9:message"});
  ASSERT_TRUE(remembered.ok()) << remembered.status();
  EXPECT_EQ(remembered->str, absl::StrCat(kGroup, ":", messages->at(0).at("message_id").as_int64()));
}

TEST_F(ExecutorItest, LiftingGivesTheGroupsPermissionsBack) {
  ASSERT_TRUE(AckOf(executor_->Execute(Restrict("102:0"), 1)).outcome().ok());
  absl::StatusOr<telegram::ChatInfo> group = bot_api_->GetChat(std::to_string(kGroup));
  ASSERT_TRUE(group.ok()) << group.status();
  v1::Action lift;
  lift.set_id("103:0");
  lift.set_chat_id(kGroup);
  lift.mutable_lift_restriction()->set_user_id(kUser);
  *lift.mutable_lift_restriction()->mutable_permissions() = group->permissions;
  EXPECT_TRUE(AckOf(executor_->Execute(lift, 1)).outcome().ok());
  absl::StatusOr<v1::ChatMember> member = bot_api_->GetChatMember(kGroup, kUser);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_TRUE(member->can_send_messages()) << member->DebugString();
}

TEST_F(ExecutorItest, PermanentErrorsAreAcknowledgedAndNotRetried) {
  const v1::Ack no_rights = AckOf(executor_->Execute(Restrict("104:0", kOtherGroup), 1));
  EXPECT_FALSE(no_rights.outcome().ok());
  EXPECT_EQ(no_rights.outcome().error_code(), 400);
  EXPECT_NE(no_rights.outcome().description().find("not enough rights"), std::string::npos)
      << no_rights.outcome().description();

  const v1::Ack not_member = AckOf(executor_->Execute(Send("105:0", kStrangerGroup), 1));
  EXPECT_FALSE(not_member.outcome().ok());
  EXPECT_EQ(not_member.outcome().error_code(), 403) << not_member.outcome().description();

  const v1::Ack no_chat = AckOf(executor_->Execute(Restrict("106:0", -1009999999999), 1));
  EXPECT_EQ(no_chat.outcome().error_code(), 400);

  // Each counted by method and reason.
  const std::string metrics = Metrics();
  for (const char* series :
       {R"(subguard_sender_permanent_errors_total{method="restrictChatMember",reason="not_enough_rights"} 1)",
        R"(subguard_sender_permanent_errors_total{method="sendMessage",reason="forbidden"} 1)",
        R"(subguard_sender_permanent_errors_total{method="restrictChatMember",reason="chat_not_found"} 1)"}) {
    EXPECT_NE(metrics.find(series), std::string::npos) << series << "\n" << metrics;
  }
}

TEST_F(ExecutorItest, PermanentErrorsAreReportedForTheAuditLogBeforeTheAck) {
  Executor executor(ExecutorOptions{.permanent_errors = redis_.get()}, *bot_api_, *marks_, limiter_, metrics_, clock_,
                    random_);
  EXPECT_FALSE(AckOf(executor.Execute(Restrict("110:0", kOtherGroup), 1)).outcome().ok());
  auto entries = redis_->Command({"XRANGE", registry::kPermanentErrorsStream, "-", "+"});
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->elements.size(), 1u);
  const std::optional<registry::PermanentError> error = registry::ParsePermanentError(entries->elements[0].elements[1]);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->action_id, "110:0");
  EXPECT_EQ(error->chat_id, kOtherGroup);
  EXPECT_EQ(error->user_id, kUser);
  EXPECT_EQ(error->method, "restrictChatMember");
  EXPECT_EQ(error->reason, "not_enough_rights");
  EXPECT_EQ(error->error_code, 400);

  // No report, no ack: the action is retried until the refusal can be recorded.
  redis_server_->Kill();
  EXPECT_GT(NackOf(executor.Execute(Restrict("111:0", kOtherGroup), 1)).retry_after_ms(), 0u);
}

TEST_F(ExecutorItest, AnEditOfADeletedMessageIsDoneNotAnError) {
  Executor executor(ExecutorOptions{.permanent_errors = redis_.get()}, *bot_api_, *marks_, limiter_, metrics_, clock_,
                    random_);
  v1::Action edit;
  edit.set_id("112:0");
  edit.set_chat_id(kGroup);
  edit.mutable_edit_message_text()->set_message_id(999999);
  edit.mutable_edit_message_text()->set_text("Checked 10 of 20");
  EXPECT_TRUE(AckOf(executor.Execute(edit, 1)).outcome().ok());
  EXPECT_NE(Metrics().find(R"(kind="edit_message_text",outcome="edit_target_gone"} 1)"), std::string::npos)
      << Metrics();
  auto entries = redis_->Command({"XLEN", registry::kPermanentErrorsStream});
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(entries->integer, 0);
}

TEST_F(ExecutorItest, TooManyRequestsNacksWithRetryAfterAndHoldsCallsBack) {
  FaultHook hook(sandbox::TooManyRequests(7));
  sandbox_->bot_api().SetRequestHook(&hook);
  const v1::Nack too_many = NackOf(executor_->Execute(Restrict("107:0"), 1));
  EXPECT_EQ(too_many.retry_after_ms(), 7000u);
  EXPECT_FALSE(too_many.deferred());  // Telegram's refusal counts as a failed attempt
  EXPECT_EQ(NackOf(executor_->Execute(Send("108:0"), 1)).retry_after_ms(), 7000u);
  sandbox_->bot_api().SetRequestHook(nullptr);
  // A moderation call's 429 holds moderation back for the whole bot; a message's holds its chat. Neither
  // asks Telegram again until the pause has passed.
  EXPECT_EQ(NackOf(executor_->Execute(Restrict("109:0", kOtherGroup), 1)).retry_after_ms(), 7000u);
  EXPECT_EQ(NackOf(executor_->Execute(Send("108:0"), 2)).retry_after_ms(), 7000u);
  EXPECT_EQ(CallCount("restrictChatMember"), 1u);
  EXPECT_EQ(CallCount("sendMessage"), 1u);
  clock_.Advance(absl::Seconds(3));
  EXPECT_EQ(NackOf(executor_->Execute(Restrict("107:0"), 2)).retry_after_ms(), 4000u);
  clock_.Advance(absl::Seconds(4));
  EXPECT_TRUE(AckOf(executor_->Execute(Restrict("107:0"), 3)).outcome().ok());
  EXPECT_TRUE(AckOf(executor_->Execute(Send("108:0"), 3)).outcome().ok());
  EXPECT_EQ(CallCount("restrictChatMember"), 2u);
  const std::string metrics = Metrics();
  EXPECT_NE(metrics.find("subguard_sender_429_total 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find(R"(subguard_sender_actions_total{kind="restrict_member",outcome="deferred"} 2)"),
            std::string::npos)
      << metrics;
}

TEST_F(ExecutorItest, TheSandboxsFloodLimitsAreHeldBackNotHit) {
  // The chat's bucket (burst 2, 0.9/s) defers the third message before the sandbox (burst 3) refuses it.
  EXPECT_TRUE(AckOf(executor_->Execute(Send("120:0"), 1)).outcome().ok());
  EXPECT_TRUE(AckOf(executor_->Execute(Send("121:0"), 1)).outcome().ok());
  const v1::Nack deferred = NackOf(executor_->Execute(Send("122:0"), 1));
  EXPECT_GT(deferred.retry_after_ms(), 1000u);
  EXPECT_TRUE(deferred.deferred());  // waiting for a slot is no failure: it never dead-letters the action
  EXPECT_EQ(CallCount("sendMessage"), 2u);
  clock_.Advance(absl::Milliseconds(deferred.retry_after_ms()));
  EXPECT_TRUE(AckOf(executor_->Execute(Send("122:0"), 2)).outcome().ok());
  absl::StatusOr<boost::json::object> flood = control_->Get("/control/flood");
  ASSERT_TRUE(flood.ok()) << flood.status();
  EXPECT_EQ(flood->at("total").as_int64(), 0);
}

TEST_F(ExecutorItest, ServerErrorsAndOutagesBackOffByAttempt) {
  FaultHook hook(sandbox::InternalServerError("injected"));
  sandbox_->bot_api().SetRequestHook(&hook);
  const v1::Nack server_error = NackOf(executor_->Execute(Restrict("109:0"), 1));
  EXPECT_NE(server_error.reason().find("telegram 500"), std::string::npos) << server_error.reason();
  // Full jitter at the middle of the range: base 100 ms doubling, halved, capped at 30 s.
  EXPECT_EQ(server_error.retry_after_ms(), 50u);
  EXPECT_EQ(NackOf(executor_->Execute(Restrict("109:0"), 3)).retry_after_ms(), 200u);
  EXPECT_EQ(NackOf(executor_->Execute(Restrict("109:0"), 40)).retry_after_ms(), 15000u);
  sandbox_->bot_api().SetRequestHook(nullptr);

  sandbox_->Stop();
  const v1::Nack outage = NackOf(executor_->Execute(Restrict("109:0"), 2));
  EXPECT_NE(outage.reason().find("restrictChatMember"), std::string::npos) << outage.reason();
  EXPECT_EQ(outage.reason().find(token_), std::string::npos);
  EXPECT_EQ(outage.retry_after_ms(), 100u);
}

TEST_F(ExecutorItest, ATimeoutIsRetried) {
  // The sandbox holds deleteMessage past the client's timeout.
  ASSERT_TRUE(
      control_->Post("/control/faults", {{"timeout_rate", 1}, {"hang_ms", 1500}, {"methods", {"deleteMessage"}}}).ok());
  telegram::BotApiClient impatient(
      {.api_url = sandbox_->base_url(), .token = token_, .timeout = absl::Milliseconds(300)});
  v1::Action del;
  del.set_id("113:0");
  del.set_chat_id(kGroup);
  del.mutable_delete_message()->set_message_id(4821);
  const v1::Nack timeout = NackOf(MakeExecutor(impatient)->Execute(del, 2));
  EXPECT_EQ(timeout.retry_after_ms(), 100u);
  EXPECT_NE(timeout.reason().find("deleteMessage"), std::string::npos) << timeout.reason();
}

TEST_F(ExecutorItest, InvalidDeliveriesFailWithoutACall) {
  v1::Action no_kind;
  no_kind.set_id("114:0");
  EXPECT_FALSE(AckOf(executor_->Execute(no_kind, 1)).outcome().ok());
  v1::Delivery update_delivery;
  update_delivery.set_delivery_id(3);
  update_delivery.mutable_update()->set_update_id(12);
  const v1::Ack ack = AckOf(executor_->Handle(update_delivery));
  EXPECT_FALSE(ack.outcome().ok());
  EXPECT_EQ(ack.outcome().error_code(), 0);
  absl::StatusOr<boost::json::array> calls = control_->Calls();
  ASSERT_TRUE(calls.ok());
  EXPECT_TRUE(calls->empty());
}

TEST_F(ExecutorItest, HandleRunsTheDeliveredActionAndCountsIt) {
  v1::Delivery delivery;
  delivery.set_delivery_id(4);
  delivery.set_attempt(1);
  *delivery.mutable_action() = Restrict("115:0");
  EXPECT_TRUE(AckOf(executor_->Handle(delivery)).outcome().ok());
  EXPECT_TRUE(AckOf(executor_->Handle(delivery)).outcome().ok());
  const std::string metrics = Metrics();
  EXPECT_NE(metrics.find(R"(subguard_sender_actions_total{kind="restrict_member",outcome="ok"} 1)"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(subguard_sender_actions_total{kind="restrict_member",outcome="already_done"} 1)"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(subguard_sender_botapi_seconds_count{method="restrictChatMember"} 1)"), std::string::npos)
      << metrics;
}

TEST_F(ExecutorItest, AWrongTokenIsRetriedNotDropped) {
  telegram::BotApiClient wrong({.api_url = sandbox_->base_url(), .token = "123456:not-the-token"});
  const v1::Nack nack = NackOf(MakeExecutor(wrong)->Execute(Restrict("110:0"), 1));
  EXPECT_NE(nack.reason().find("telegram 401"), std::string::npos) << nack.reason();
  EXPECT_EQ(nack.reason().find("not-the-token"), std::string::npos);
}

TEST_F(ExecutorItest, WithRedisDownOnlyIdempotentActionsRun) {
  redis_server_->Kill();
  EXPECT_TRUE(AckOf(executor_->Execute(Restrict("111:0"), 1)).outcome().ok());
  EXPECT_EQ(CallCount("restrictChatMember"), 1u);
  NackOf(executor_->Execute(Send("112:0"), 1));
  EXPECT_EQ(CallCount("sendMessage"), 0u);

  ASSERT_TRUE(redis_server_->Restart().ok());
  EXPECT_TRUE(AckOf(executor_->Execute(Send("112:0"), 2)).outcome().ok());
  EXPECT_EQ(CallCount("sendMessage"), 1u);
}

// Monitor deliveries report their outcome for the verifiers' chat registry; a refusal is acknowledged
// only once its report is written, so the post can be held.
TEST_F(ExecutorItest, MonitorOutcomesAreReportedAndARefusalWaitsForItsReport) {
  auto posted = control_->Send(kGroup, kUser, "a post");
  ASSERT_TRUE(posted.ok()) << posted.status();
  const auto forward = [&](std::string id, int64_t dest) {
    v1::Action action;
    action.set_id(std::move(id));
    action.set_chat_id(dest);
    action.mutable_forward_message()->set_from_chat_id(kGroup);
    action.mutable_forward_message()->set_message_id(posted->message_id);
    return action;
  };
  Executor reporting({.monitor_outcomes = redis_.get()}, *bot_api_, *marks_, limiter_, metrics_, clock_, random_);
  EXPECT_TRUE(AckOf(reporting.Execute(forward("120:0", kOtherGroup), 1)).outcome().ok());
  EXPECT_FALSE(AckOf(reporting.Execute(forward("121:0", kStrangerGroup), 1)).outcome().ok());
  EXPECT_TRUE(AckOf(reporting.Execute(Restrict("122:0"), 1)).outcome().ok());  // not a monitor delivery

  auto entries = redis_->Command({"XRANGE", registry::kMonitorOutcomesStream, "-", "+"});
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->elements.size(), 2u);
  const auto ok = registry::ParseMonitorOutcome(entries->elements[0].elements[1]);
  const auto refused = registry::ParseMonitorOutcome(entries->elements[1].elements[1]);
  ASSERT_TRUE(ok.has_value() && refused.has_value());
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->action.id(), "120:0");
  EXPECT_FALSE(refused->ok);
  EXPECT_EQ(refused->action.id(), "121:0");
  EXPECT_EQ(refused->error_code, 403);

  redis::Pool unreachable({.port = 1, .connect_timeout = absl::Milliseconds(200)});
  Executor unreported({.monitor_outcomes = &unreachable}, *bot_api_, *marks_, limiter_, metrics_, clock_, random_);
  EXPECT_GT(NackOf(unreported.Execute(forward("123:0", kStrangerGroup), 1)).retry_after_ms(), 0u);
}

}  // namespace
}  // namespace subguard::sender
