// The fixture of issue 4's protection tests (protection_commands_e2e.cc, protection_events_e2e.cc), which
// drive the protection features across separate processes (sandbox -> ingest -> verifier -> sender):
// every command and setting, the policies, exemptions, joins, and the permission cases (a non-admin,
// the bot lacking a right, a private channel where the bot is not an admin).
//
// One cluster serves the whole suite; each test uses its own group, so tests do not see each other's
// state. A command's reply is found by reply_to_message; an update that must change nothing is
// followed by an admin's /status, whose reply proves the earlier update of that chat was decided
// (one chat's updates are handled in order).
#pragma once

#include <boost/json/serialize.hpp>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/pg/pool.h"
#include "common/redis/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/admin_rights.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"
#include "tests/harness/postgres_fixture.h"
#include "tests/harness/process.h"

namespace subguard::e2e::protection {

using boost::json::array;
using boost::json::object;

constexpr int64_t kBotId = 424242;  // ClusterOptions' default token
constexpr int64_t kOwner = 1001;
constexpr int64_t kMember = 1002;  // in both channels
constexpr int64_t kStranger = 1003;
constexpr int64_t kOther = 1004;
constexpr int64_t kChannelA = -1009001;
constexpr int64_t kChannelB = -1009002;
constexpr int64_t kPrivateChannel = -1009003;  // the bot is a member there, not an admin
constexpr int64_t kUnseenChannel = -1009004;   // the bot is not in it at all
constexpr absl::Duration kDeadline = absl::Seconds(60);

class ProtectionE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cluster = Cluster::Start({});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster).release();
    sandbox::ControlClient control(cluster_->sandbox_url());
    ASSERT_TRUE(control.Reset().ok());
    for (const int64_t user : {kOwner, kMember, kStranger, kOther}) {
      ASSERT_TRUE(control.AddUser({.id = user, .first_name = absl::StrCat("U", user)}).ok());
    }
    ASSERT_TRUE(control.AddChat({.id = kChannelA, .type = "channel", .title = "A", .username = "chan_a"}).ok());
    ASSERT_TRUE(control.AddChat({.id = kChannelB, .type = "channel", .title = "B", .username = "chan_b"}).ok());
    ASSERT_TRUE(control.AddChat({.id = kPrivateChannel, .type = "channel", .title = "Private"}).ok());
    ASSERT_TRUE(control.SetMember({.chat_id = kPrivateChannel, .user_id = kBotId}).ok());
    ASSERT_TRUE(control.AddChat({.id = kUnseenChannel, .type = "channel", .title = "Unseen"}).ok());
    for (const int64_t channel : {kChannelA, kChannelB}) {
      ASSERT_TRUE(control.SetMember({channel, kBotId, "administrator", AdminRights()}).ok());
      ASSERT_TRUE(control.SetMember({.chat_id = channel, .user_id = kMember}).ok());
    }
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr);
    control_ = std::make_unique<sandbox::ControlClient>(cluster_->sandbox_url());
    postgres_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = cluster_->postgres().conninfo()});
  }

  // A new supergroup owned by kOwner, the bot an admin with rights (all by default), kMember,
  // kStranger and kOther in it.
  int64_t NewGroup(object bot_rights = AdminRights()) {
    const int64_t group = -1008000 - ++groups_;
    EXPECT_TRUE(control_->AddChat({.id = group, .type = "supergroup", .title = absl::StrCat("G", group)}).ok());
    EXPECT_TRUE(control_->SetMember({.chat_id = group, .user_id = kOwner, .status = "creator"}).ok());
    EXPECT_TRUE(control_->SetMember({group, kBotId, "administrator", std::move(bot_rights)}).ok());
    for (const int64_t user : {kMember, kStranger, kOther}) {
      EXPECT_TRUE(control_->SetMember({.chat_id = group, .user_id = user}).ok());
    }
    return group;
  }

  // The text of the bot's reply to message_id, or "" when none came within the deadline.
  std::string ReplyTo(int64_t group, int64_t message_id) {
    return WaitForReply(*control_, group, message_id, kDeadline);
  }

  // Sends text as user in group and returns the bot's reply.
  std::string Command(int64_t group, int64_t user, std::string_view text, sandbox::SendOptions options = {}) {
    auto sent = control_->Send(group, user, text, options);
    EXPECT_TRUE(sent.ok()) << sent.status();
    if (!sent.ok()) return "";
    return ReplyTo(group, sent->message_id);
  }

  // Waits until every update sent to group so far was decided (see the file comment).
  void Settle(int64_t group) { EXPECT_THAT(Command(group, kOwner, "/status"), ::testing::HasSubstr("rotection")); }

  // The successful calls of method in group (about user, when user is not 0).
  int Calls(std::string_view method, int64_t group, int64_t user = 0) {
    auto calls = control_->Calls(method);
    EXPECT_TRUE(calls.ok()) << calls.status();
    if (!calls.ok()) return -1;
    int count = 0;
    for (const auto& value : *calls) {
      const object& call = value.as_object();
      const object& params = call.at("params").as_object();
      if (call.at("ok").as_bool() && ParamInt(params, "chat_id") == group &&
          (user == 0 || ParamInt(params, "user_id") == user)) {
        ++count;
      }
    }
    return count;
  }

  bool WaitCalls(std::string_view method, int64_t group, int64_t user, int at_least) {
    return harness::WaitFor([&] { return Calls(method, group, user) >= at_least; }, kDeadline);
  }

  std::string Status(int64_t group, int64_t user) {
    auto member = control_->Member(group, user);
    return member.ok() ? std::string(member->at("status").as_string()) : "?";
  }

  bool MessageDeleted(int64_t group, int64_t message_id) {
    auto messages = control_->Messages(group);
    if (!messages.ok()) return false;
    for (const auto& value : *messages) {
      const object& message = value.as_object();
      if (message.at("message_id").as_int64() == message_id) return message.at("deleted").as_bool();
    }
    return false;
  }

  // The message id of the first prompt (a message of the bot's with a button) in group; 0 when none
  // came within the deadline.
  int64_t PromptIn(int64_t group) {
    int64_t prompt_id = 0;
    harness::WaitFor(
        [&] {
          auto messages = control_->Messages(group);
          if (!messages.ok()) return false;
          for (const auto& value : *messages) {
            const object& message = value.as_object();
            if (message.at("outgoing").as_bool() && message.contains("reply_markup")) {
              prompt_id = message.at("message_id").as_int64();
              return true;
            }
          }
          return false;
        },
        kDeadline);
    return prompt_id;
  }

  // Presses the prompt's button as user and returns the callback's answer ("" when none came).
  std::string Press(int64_t group, int64_t prompt_id, int64_t user) {
    auto pressed = control_->Press(group, prompt_id, user);
    EXPECT_TRUE(pressed.ok()) << pressed.status();
    if (!pressed.ok()) return "";
    sandbox::CallbackAnswer answer;
    harness::WaitFor(
        [&] {
          auto got = control_->GetCallbackAnswer(pressed->callback_query_id);
          if (got.ok()) answer = *got;
          return answer.answered;
        },
        kDeadline);
    return answer.text;
  }

  // harness::QueryInt on the cluster's database, with $1 = chat.
  int64_t Query(const std::string& sql, int64_t chat) { return harness::QueryInt(*postgres_, sql, chat); }

  void Protect(int64_t group) {
    EXPECT_THAT(Command(group, kOwner, "/protect @chan_a https://t.me/chan_b"),
                ::testing::HasSubstr("Protection is on. Members must join @chan_a, @chan_b"));
  }

  inline static Cluster* cluster_ = nullptr;
  inline static int groups_ = 0;
  std::unique_ptr<sandbox::ControlClient> control_;
  std::unique_ptr<pg::Pool> postgres_;
};

}  // namespace subguard::e2e::protection
