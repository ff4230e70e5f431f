// How the Verifier answers when things fail: Telegram errors, PostgreSQL away, malformed updates,
// redeliveries. Real Redis and PostgreSQL; the sandbox in-process, whose request hook injects the
// Bot API's errors.
#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/sandbox/errors.h"
#include "services/verifier/decide/test_util.h"
#include "services/verifier/testing/sandbox_world.h"
#include "services/verifier/testing/verifier_env.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::verifier {
namespace {

using decide::testing::GroupText;
using decide::testing::kBot;
using decide::testing::kChannelA;
using decide::testing::kGroupId;
using decide::testing::kUserId;
using decide::testing::MessageUpdate;

class VerifierFailuresItest : public harness::PostgresRedisTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PostgresRedisTest::SetUp());
    auto world = testing::SandboxWorld::Start(absl::StrCat(kBot.id, ":sandbox-token"), kBot.username);
    ASSERT_TRUE(world.ok()) << world.status();
    world_ = std::move(*world);
    sandbox::ControlClient& control = world_->control();
    ASSERT_TRUE(control.AddUser({.id = kUserId}).ok());
    ASSERT_TRUE(control.AddChat({.id = kGroupId, .type = "supergroup", .title = "Group"}).ok());
    ASSERT_TRUE(control.AddChat({.id = kChannelA, .type = "channel", .title = "A", .username = "chan_a"}).ok());
    const boost::json::object rights = {{"can_restrict_members", true}, {"can_delete_messages", true}};
    ASSERT_TRUE(control.SetMember({kGroupId, kBot.id, "administrator", rights}).ok());
    ASSERT_TRUE(control.SetMember({kChannelA, kBot.id, "administrator", rights}).ok());
    ASSERT_TRUE(control.SetMember({.chat_id = kGroupId, .user_id = kUserId}).ok());
    env_ = MakeEnv(postgres_server_->conninfo());
    ASSERT_TRUE(env_->redis.Command({"FLUSHALL"}).ok());
    decide::Protection protection{.chat_id = kGroupId, .title = "Group"};
    protection.owner.set_id(1);
    protection.channels.push_back({.id = kChannelA, .username = "chan_a", .title = "A"});
    ASSERT_TRUE(env_->store.Protect(protection).ok());
  }

  std::unique_ptr<testing::VerifierEnv> MakeEnv(const std::string& conninfo) {
    return std::make_unique<testing::VerifierEnv>(
        world_->bot_api(), redis::RedisOptions{.host = redis_server_->host(), .port = redis_server_->port()}, conninfo,
        kBot);
  }

  // The user's status in the linked channel.
  void MemberStatus(const std::string& status) {
    ASSERT_TRUE(world_->control().SetMember({.chat_id = kChannelA, .user_id = kUserId, .status = status}).ok());
  }

  static v1::Delivery Delivery(v1::Update update) {
    v1::Delivery delivery;
    delivery.set_delivery_id(1);
    delivery.set_attempt(1);
    *delivery.mutable_update() = std::move(update);
    return delivery;
  }

  std::unique_ptr<testing::SandboxWorld> world_;
  std::unique_ptr<testing::VerifierEnv> env_;
};

TEST_F(VerifierFailuresItest, TelegramServerErrorIsRetriedLater) {
  world_->faults().Fail("getChatMember", sandbox::InternalServerError("try again"));
  const auto result = env_->verifier.Handle(Delivery(MessageUpdate(GroupText("hi"))));
  const auto* nack = std::get_if<v1::Nack>(&result);
  ASSERT_NE(nack, nullptr);
  EXPECT_EQ(nack->retry_after_ms(), 1000u);
  EXPECT_EQ(env_->Metric("subguard_verifier_answers_total", "answer=nack"), 1);
}

TEST_F(VerifierFailuresItest, TooManyRequestsWaitsAsTelegramSays) {
  world_->faults().Fail("getChatMember", sandbox::TooManyRequests(7));
  const auto result = env_->verifier.Handle(Delivery(MessageUpdate(GroupText("hi"))));
  const auto* nack = std::get_if<v1::Nack>(&result);
  ASSERT_NE(nack, nullptr);
  EXPECT_EQ(nack->retry_after_ms(), 7000u);
}

TEST_F(VerifierFailuresItest, AChannelTheBotCannotSeeNeverRestricts) {
  world_->faults().Fail("getChatMember", sandbox::BadRequest("chat not found"));
  const auto result = env_->verifier.Handle(Delivery(MessageUpdate(GroupText("hi"))));
  const auto* ack = std::get_if<v1::Ack>(&result);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->actions_size(), 0);
}

TEST_F(VerifierFailuresItest, MalformedAndUnknownUpdatesAreSkipped) {
  v1::Delivery empty;
  const auto no_update = env_->verifier.Handle(empty);
  ASSERT_TRUE(std::holds_alternative<v1::Ack>(no_update));
  EXPECT_EQ(std::get<v1::Ack>(no_update).actions_size(), 0);

  v1::Update unknown;
  unknown.set_update_id(5);
  unknown.set_raw_json(R"({"update_id":5,"poll":{}})");
  const auto skipped = env_->verifier.Handle(Delivery(unknown));
  ASSERT_TRUE(std::holds_alternative<v1::Ack>(skipped));
  EXPECT_EQ(std::get<v1::Ack>(skipped).actions_size(), 0);
  EXPECT_EQ(world_->Calls(""), 0);
}

TEST_F(VerifierFailuresItest, ARedeliveryRepeatsTheSameActions) {
  MemberStatus("left");
  const v1::Delivery delivery = Delivery(MessageUpdate(GroupText("hi")));
  const auto first = env_->verifier.Handle(delivery);
  const auto again = env_->verifier.Handle(delivery);
  ASSERT_TRUE(std::holds_alternative<v1::Ack>(first));
  ASSERT_TRUE(std::holds_alternative<v1::Ack>(again));
  const v1::Ack& a = std::get<v1::Ack>(first);
  const v1::Ack& b = std::get<v1::Ack>(again);
  ASSERT_EQ(a.actions_size(), 2);
  ASSERT_EQ(b.actions_size(), 2);
  for (int i = 0; i < a.actions_size(); ++i) EXPECT_EQ(a.actions(i).id(), b.actions(i).id());

  // Another message from the same user while the prompt is out: nothing more.
  const auto later = env_->verifier.Handle(Delivery(MessageUpdate(GroupText("again", kUserId, 11), 78)));
  EXPECT_EQ(std::get<v1::Ack>(later).actions_size(), 0);
}

TEST_F(VerifierFailuresItest, PostgresAwayWithNothingCachedIsRetriedLater) {
  auto away = MakeEnv(absl::StrCat("host=127.0.0.1 port=", harness::FreePort(), " user=postgres dbname=subguard"));
  MemberStatus("left");
  const auto message = away->verifier.Handle(Delivery(MessageUpdate(GroupText("hi"))));
  ASSERT_TRUE(std::holds_alternative<v1::Nack>(message));
  const auto command = away->verifier.Handle(Delivery(MessageUpdate(GroupText("/unprotect"))));
  ASSERT_TRUE(std::holds_alternative<v1::Nack>(command));
}

}  // namespace
}  // namespace subguard::verifier
