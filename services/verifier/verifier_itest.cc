// The Verifier on the core story (issue 3), against real Redis and PostgreSQL and the sandbox over
// HTTP. Updates come from getUpdates; each delivery's actions are carried out as the sender would
// (sender::ToBotApiCall), so the sandbox's world shows their effect. Only the gRPC hops are left out
// (tests/e2e covers those).
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "common/telegram/bot_api_client.h"
#include "common/telegram/update_parser.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "services/sandbox/sandbox_server.h"
#include "services/sender/action_call.h"
#include "services/verifier/testing/verifier_env.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::verifier {
namespace {

constexpr int64_t kGroup = -1001000000001;
constexpr int64_t kChannel = -1001000000002;
constexpr int64_t kOtherChannel = -1001000000003;
constexpr int64_t kOwner = 1001;
constexpr int64_t kMember = 1002;
constexpr int64_t kStranger = 1003;

class VerifierItest : public harness::PostgresRedisTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PostgresRedisTest::SetUp());
    sandbox::SandboxOptions options;
    options.http.port = 0;
    // Pump() carries out actions directly, without the sender's rate limiter.
    options.flood.enabled = false;
    auto sandbox = sandbox::SandboxServer::Start(options);
    ASSERT_TRUE(sandbox.ok()) << sandbox.status();
    sandbox_ = std::move(*sandbox);
    bot_api_ = std::make_unique<telegram::BotApiClient>(
        telegram::BotApiOptions{.api_url = sandbox_->base_url(), .token = options.bot_token});
    control_ = std::make_unique<sandbox::ControlClient>(sandbox_->base_url());
    auto me = bot_api_->GetMe();
    ASSERT_TRUE(me.ok()) << me.status();
    bot_ = {.id = me->id(), .username = me->username()};
    env_ = std::make_unique<testing::VerifierEnv>(
        *bot_api_, redis::RedisOptions{.host = redis_server_->host(), .port = redis_server_->port()},
        postgres_server_->conninfo(), bot_);
    ASSERT_TRUE(env_->redis.Command({"FLUSHALL"}).ok());
    ASSERT_TRUE(env_->postgres
                    .Transact([](pqxx::work& tx) {
                      tx.exec(
                          "TRUNCATE protected_groups, linked_channels, exemptions, owners, chats, audit_log, "
                          "active_restrictions, seen_members, monitors CASCADE");
                      return absl::OkStatus();
                    })
                    .ok());
    BuildWorld();
  }

  void BuildWorld() {
    ASSERT_TRUE(control_->AddUser({.id = kOwner, .first_name = "Olga"}).ok());
    ASSERT_TRUE(control_->AddUser({.id = kMember, .first_name = "Max"}).ok());
    ASSERT_TRUE(control_->AddUser({.id = kStranger, .first_name = "Sam"}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kGroup, .type = "supergroup", .title = "Club"}).ok());
    ASSERT_TRUE(control_->AddChat({.id = kChannel, .type = "channel", .title = "News", .username = "news_ch"}).ok());
    ASSERT_TRUE(
        control_->AddChat({.id = kOtherChannel, .type = "channel", .title = "Other", .username = "other_ch"}).ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = kOwner, .status = "creator"}).ok());
    for (int64_t user : {kMember, kStranger}) {
      ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = user, .status = "member"}).ok());
    }
    ASSERT_TRUE(control_->SetMember({.chat_id = kChannel, .user_id = kMember, .status = "member"}).ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kChannel, .user_id = kOwner, .status = "creator"}).ok());
    SetBot(kGroup, true, true);
    SetBot(kChannel, false, false);
  }

  // Makes the bot an admin of chat with the given rights, or a plain member with neither.
  void SetBot(int64_t chat, bool can_restrict, bool can_delete, std::string status = "administrator") {
    ASSERT_TRUE(control_
                    ->SetMember({.chat_id = chat,
                                 .user_id = bot_.id,
                                 .status = status,
                                 .fields = status == "administrator"
                                               ? boost::json::object{{"can_restrict_members", can_restrict},
                                                                     {"can_delete_messages", can_delete}}
                                               : boost::json::object{}})
                    .ok());
  }

  // Delivers every pending update to the Verifier and carries out its actions; returns the actions.
  // redeliver: each update is delivered once more after its actions ran (a lost ack), which must decide
  // the same actions (the same ids, so the ingest and the sender drop them).
  std::vector<v1::Action> Pump(bool redeliver = false) {
    std::vector<v1::Action> all;
    while (true) {
      auto updates = bot_api_->GetUpdates(
          {.offset = offset_,
           .timeout = absl::ZeroDuration(),
           .allowed_updates = {"message", "edited_message", "callback_query", "chat_member", "my_chat_member"}});
      EXPECT_TRUE(updates.ok()) << updates.status();
      if (!updates.ok() || updates->empty()) return all;
      for (const std::string& json : *updates) {
        auto update = telegram::ParseUpdate(json);
        EXPECT_TRUE(update.ok()) << update.status();
        if (!update.ok()) continue;
        offset_ = update->update_id() + 1;
        v1::Delivery delivery;
        delivery.set_attempt(1);
        *delivery.mutable_update() = *update;
        const dispatch::DeliveryResult result = env_->verifier.Handle(delivery);
        const auto* ack = std::get_if<v1::Ack>(&result);
        EXPECT_NE(ack, nullptr) << json;
        if (ack == nullptr) continue;
        for (const v1::Action& action : ack->actions()) {
          auto call = sender::ToBotApiCall(action);
          EXPECT_TRUE(call.ok()) << call.status();
          if (!call.ok()) continue;
          auto done = bot_api_->Call(call->method, call->params);
          EXPECT_TRUE(done.ok()) << action.id() << ": " << done.status();
          all.push_back(action);
        }
        if (redeliver) {
          delivery.set_attempt(2);
          const dispatch::DeliveryResult again = env_->verifier.Handle(delivery);
          const auto* second = std::get_if<v1::Ack>(&again);
          EXPECT_NE(second, nullptr) << json;
          if (second != nullptr) {
            EXPECT_EQ(ActionIds(*second), ActionIds(*ack)) << json;
          }
        }
      }
    }
  }

  static std::vector<std::string> ActionIds(const v1::Ack& ack) {
    std::vector<std::string> ids;
    for (const v1::Action& action : ack.actions()) ids.push_back(action.id());
    return ids;
  }

  std::string Status(int64_t chat, int64_t user) {
    auto member = control_->Member(chat, user);
    if (!member.ok()) return member.status().ToString();
    return std::string(member->at("status").as_string());
  }

  // The bot's messages in the group that are still there.
  std::vector<boost::json::object> BotMessages() {
    std::vector<boost::json::object> out;
    auto messages = control_->Messages(kGroup);
    EXPECT_TRUE(messages.ok()) << messages.status();
    if (!messages.ok()) return out;
    for (const boost::json::value& message : *messages) {
      const boost::json::object& m = message.as_object();
      if (m.at("outgoing").as_bool() && !m.at("deleted").as_bool()) out.push_back(m);
    }
    return out;
  }

  std::vector<boost::json::object> Prompts() {
    std::vector<boost::json::object> prompts;
    for (auto& message : BotMessages()) {
      if (message.contains("reply_markup")) prompts.push_back(message);
    }
    return prompts;
  }

  std::string LastReply() {
    auto messages = BotMessages();
    return messages.empty() ? "" : std::string(messages.back().at("text").as_string());
  }

  void Say(int64_t user, const std::string& text, sandbox::SendOptions options = {}) {
    auto sent = control_->Send(kGroup, user, text, options);
    ASSERT_TRUE(sent.ok()) << sent.status();
  }

  std::string PressAndAnswer(int64_t message_id, int64_t user) {
    auto press = control_->Press(kGroup, message_id, user);
    EXPECT_TRUE(press.ok()) << press.status();
    if (!press.ok()) return "";
    Pump();
    auto answer = control_->GetCallbackAnswer(press->callback_query_id);
    EXPECT_TRUE(answer.ok() && answer->answered);
    return answer.ok() ? answer->text : "";
  }

  void Protect(const std::string& command = "/protect @news_ch") {
    Say(kOwner, command);
    Pump();
    ASSERT_TRUE(absl::StartsWith(LastReply(), "Protection is on.")) << LastReply();
  }

  std::unique_ptr<sandbox::SandboxServer> sandbox_;
  std::unique_ptr<telegram::BotApiClient> bot_api_;
  std::unique_ptr<sandbox::ControlClient> control_;
  decide::BotIdentity bot_;
  std::unique_ptr<testing::VerifierEnv> env_;
  int64_t offset_ = 0;
};

TEST_F(VerifierItest, CoreStory) {
  // An admin protects the group; the configuration lands in PostgreSQL.
  Protect("/protect@" + bot_.username + " @news_ch");
  auto config = env_->store.Load(kGroup);
  ASSERT_TRUE(config.ok() && config->has_value());
  ASSERT_EQ((*config)->channels.size(), 1u);
  EXPECT_EQ((*config)->channels[0].id, kChannel);
  EXPECT_EQ((*config)->channels[0].username, "news_ch");

  // A member of the channel writes: nothing happens.
  Say(kMember, "hello");
  EXPECT_TRUE(Pump().empty());
  EXPECT_EQ(Status(kGroup, kMember), "member");

  // A non-member writes twice before anything is done: restricted, and prompted once.
  Say(kStranger, "hi");
  Say(kStranger, "anyone?");
  Pump();
  EXPECT_EQ(Status(kGroup, kStranger), "restricted");
  auto prompts = Prompts();
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_NE(std::string(prompts[0].at("text").as_string()).find("@news_ch"), std::string::npos);
  const int64_t prompt_id = prompts[0].at("message_id").as_int64();

  // Someone else's press changes nothing; the user's own press before joining says what is missing.
  EXPECT_EQ(PressAndAnswer(prompt_id, kMember), "This button is not for you.");
  EXPECT_EQ(PressAndAnswer(prompt_id, kStranger), "You have not joined @news_ch yet.");
  EXPECT_EQ(Status(kGroup, kStranger), "restricted");

  // After joining, the press lifts the restriction and removes the prompt.
  ASSERT_TRUE(control_->Join(kChannel, kStranger).ok());
  EXPECT_EQ(PressAndAnswer(prompt_id, kStranger), "Thanks! You can write in the group now.");
  EXPECT_EQ(Status(kGroup, kStranger), "member");
  EXPECT_TRUE(Prompts().empty());

  // Leaving the channel drops the cached membership at once and restricts in the linked group.
  ASSERT_TRUE(control_->Leave(kChannel, kStranger).ok());
  Pump();
  EXPECT_EQ(Status(kGroup, kStranger), "restricted");
  EXPECT_EQ(Prompts().size(), 1u);

  // Every restriction and release is in the audit log, once.
  int64_t restricts = 0, releases = 0, active = 0;
  ASSERT_TRUE(env_->postgres
                  .Transact([&](pqxx::work& tx) {
                    restricts = tx.exec1("SELECT count(*) FROM audit_log WHERE kind = 'restrict'")[0].as<int64_t>();
                    releases = tx.exec1("SELECT count(*) FROM audit_log WHERE kind = 'release'")[0].as<int64_t>();
                    active = tx.exec1("SELECT count(*) FROM active_restrictions")[0].as<int64_t>();
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(restricts, 2);
  EXPECT_EQ(releases, 1);
  EXPECT_EQ(active, 1);
}

TEST_F(VerifierItest, ASilentLiftIsDecidedAgainOnARedelivery) {
  Protect();
  Say(kOwner, "/settings silent on");
  Pump();
  Say(kStranger, "hi");
  Pump();
  EXPECT_EQ(Status(kGroup, kStranger), "restricted");
  EXPECT_TRUE(Prompts().empty());

  // The join's release removed the restriction from active_restrictions before the (lost) ack; the
  // redelivery must still send the same lift.
  ASSERT_TRUE(control_->Join(kChannel, kStranger).ok());
  const std::vector<v1::Action> lifted = Pump(/*redeliver=*/true);
  ASSERT_EQ(lifted.size(), 1u);
  EXPECT_TRUE(lifted[0].has_lift_restriction());
  EXPECT_EQ(Status(kGroup, kStranger), "member");
}

TEST_F(VerifierItest, ProtectRefusesWhatCannotWork) {
  // A non-admin, in a group that is not protected yet.
  Say(kMember, "/protect @news_ch");
  Pump();
  EXPECT_EQ(LastReply(), "Only the group's admins can use this command.");

  // The bot lacks a right in the group.
  SetBot(kGroup, true, false);
  Say(kOwner, "/protect @news_ch");
  Pump();
  EXPECT_NE(LastReply().find("these rights: Delete messages"), std::string::npos) << LastReply();

  // The bot is no admin in the channel, or cannot see it at all.
  SetBot(kGroup, true, true);
  Say(kOwner, "/protect @other_ch @nowhere_ch");
  Pump();
  EXPECT_NE(LastReply().find("I'm not an admin in @other_ch"), std::string::npos) << LastReply();
  EXPECT_NE(LastReply().find("I can't see @nowhere_ch"), std::string::npos) << LastReply();

  auto config = env_->store.Load(kGroup);
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->has_value());
}

TEST_F(VerifierItest, CommandsForOthersAndUnknownCommandsGetNoReply) {
  Say(kOwner, "/protect@SomeOtherBot @news_ch");
  Say(kOwner, "/frobnicate");
  EXPECT_TRUE(Pump().empty());
  EXPECT_TRUE(BotMessages().empty());
}

TEST_F(VerifierItest, AnonymousAdminStatusAndUnprotect) {
  Say(kOwner, "/protect @news_ch", {.sender_chat_id = kGroup});
  Pump();
  ASSERT_TRUE(absl::StartsWith(LastReply(), "Protection is on.")) << LastReply();

  Say(kOwner, "/status");
  Pump();
  EXPECT_EQ(LastReply(),
            "Protection is on.\nChannels:\n• @news_ch: ok\nMy rights here: ok.\nMuted by me and not yet verified: 0.");

  // The bot loses its admin seat in the channel: /status says so.
  SetBot(kChannel, false, false, "left");
  Say(kOwner, "/status");
  Pump();
  EXPECT_NE(LastReply().find("@news_ch: I'm not an admin there"), std::string::npos) << LastReply();

  Say(kOwner, "/unprotect");
  Pump();
  EXPECT_TRUE(absl::StartsWith(LastReply(), "Protection is off.")) << LastReply();
  // Off means off: a non-member writes freely.
  Say(kStranger, "free at last");
  Pump();
  EXPECT_EQ(Status(kGroup, kStranger), "member");
}

TEST_F(VerifierItest, AdminsAndNonAdminCommandsInAProtectedGroup) {
  Protect();
  // A group admin who is in no channel writes freely.
  ASSERT_TRUE(control_->AddUser({.id = 1004, .first_name = "Ada"}).ok());
  ASSERT_TRUE(control_->SetMember({.chat_id = kGroup, .user_id = 1004, .status = "administrator"}).ok());
  Say(1004, "admins write freely");
  EXPECT_TRUE(Pump().empty());
  // A non-member's command is just a message: no reply, and the policy applies.
  Say(kStranger, "/protect @other_ch");
  Pump();
  EXPECT_EQ(Status(kGroup, kStranger), "restricted");
  EXPECT_EQ(Prompts().size(), 1u);
}

TEST_F(VerifierItest, AutomaticForwardsAndTheAnonymousAdminAreNeverTouched) {
  constexpr int64_t kDiscussed = -1001000000004;  // a channel whose discussion group is kGroup
  ASSERT_TRUE(
      control_->AddChat({.id = kDiscussed, .type = "channel", .title = "Source", .linked_chat_id = kGroup}).ok());
  ASSERT_TRUE(control_->SetMember({.chat_id = kDiscussed, .user_id = kOwner, .status = "creator"}).ok());
  Protect();
  auto post = control_->Send(kDiscussed, kOwner, "a post");
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_NE(post->forward_message_id, 0);
  Say(kOwner, "speaking as the group", {.sender_chat_id = kGroup});
  EXPECT_TRUE(Pump().empty());
  EXPECT_EQ(env_->Metric("subguard_verifier_decisions_total", "outcome=automatic_forward"), 1);
  EXPECT_EQ(env_->Metric("subguard_verifier_decisions_total", "outcome=anonymous_admin"), 1);
}

TEST_F(VerifierItest, GetChatMemberCallsPerThousandMessages) {
  // Issue 4's measure: 1,000 messages from 100 users in a group protected by two channels.
  SetBot(kOtherChannel, false, false);
  for (int64_t user = 2000; user < 2100; ++user) {
    ASSERT_TRUE(control_->AddUser({.id = user}).ok());
    for (int64_t chat : {kGroup, kChannel, kOtherChannel}) {
      ASSERT_TRUE(control_->SetMember({.chat_id = chat, .user_id = user, .status = "member"}).ok());
    }
  }
  Protect("/protect @news_ch @other_ch");
  const double before = env_->Metric("subguard_verifier_getchatmember_calls_total");
  for (int round = 0; round < 10; ++round) {
    for (int64_t user = 2000; user < 2100; ++user) Say(user, "message");
  }
  EXPECT_TRUE(Pump().empty());
  const double calls = env_->Metric("subguard_verifier_getchatmember_calls_total") - before;
  std::printf("getChatMember calls for 1000 messages from 100 users, 2 channels: %.0f\n", calls);
  EXPECT_EQ(calls, 200);  // one per user and channel; the other 800 messages are cache hits
  EXPECT_EQ(env_->Metric("subguard_verifier_decisions_total", "outcome=member"), 1000);
}

// A protected group that is also a monitor source: protection answers first, and the monitor takes
// only the messages protection left alone (docs/monitors.md).
TEST_F(VerifierItest, AProtectedSourceGroupForwardsOnlyWhatProtectionLeftAlone) {
  constexpr int64_t kDest = -1001000000009;
  ASSERT_TRUE(control_->AddChat({.id = kDest, .type = "supergroup", .title = "Digest"}).ok());
  SetBot(kDest, false, false, "member");
  Protect();
  ASSERT_TRUE(env_->postgres
                  .Transact([&](pqxx::work& tx) {
                    tx.exec_params(
                        "INSERT INTO monitors (owner_user_id, source_chat_id, dest_chat_id, mode) "
                        "VALUES ($1, $2, $3, 'forward')",
                        kOwner, kGroup, kDest);
                    return absl::OkStatus();
                  })
                  .ok());
  env_->sources.InvalidateAll();  // /monitor add does this through Changed

  Say(kMember, "a member's message");
  Say(kStranger, "a non-member's message");
  std::vector<int64_t> forwarded;
  for (const v1::Action& action : Pump()) {
    if (action.has_forward_message()) forwarded.push_back(action.forward_message().message_id());
  }
  EXPECT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(Status(kGroup, kStranger), "restricted");
  auto messages = control_->Messages(kDest);
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ(messages->front().at("text").as_string(), "a member's message");
}

}  // namespace
}  // namespace subguard::verifier
