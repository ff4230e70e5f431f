// Issue 4's protection features across separate processes (sandbox -> ingest -> verifier -> sender):
// every command and setting, the policies, exemptions, joins, and the permission cases (a non-admin,
// the bot lacking a right, a private channel where the bot is not an admin).
//
// One cluster serves the whole suite; each test uses its own group, so tests do not see each other's
// state. A command's reply is found by reply_to_message; an update that must change nothing is
// followed by an admin's /status, whose reply proves the earlier update of that chat was decided
// (one chat's updates are handled in order).
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sandbox/control_client.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/replies.h"
#include "tests/harness/process.h"

namespace subguard::e2e {
namespace {

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

const object& AdminRights() {
  static const object rights = {{"can_restrict_members", true}, {"can_delete_messages", true},
                                {"can_invite_users", true},     {"can_manage_chat", true},
                                {"can_post_messages", true},    {"can_change_info", true}};
  return rights;
}

int64_t ParamInt(const object& params, std::string_view key) {
  const auto* value = params.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_int64()) return value->as_int64();
  int64_t parsed = 0;
  if (value->is_string() && absl::SimpleAtoi(std::string(value->as_string()), &parsed)) return parsed;
  return 0;
}

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

  void Protect(int64_t group) {
    EXPECT_THAT(Command(group, kOwner, "/protect @chan_a https://t.me/chan_b"),
                ::testing::HasSubstr("Protection is on. Members must join @chan_a, @chan_b"));
  }

  static Cluster* cluster_;
  static int groups_;
  std::unique_ptr<sandbox::ControlClient> control_;
};

Cluster* ProtectionE2e::cluster_ = nullptr;
int ProtectionE2e::groups_ = 0;

using ::testing::HasSubstr;

TEST_F(ProtectionE2e, HelpInPrivateAndInTheGroup) {
  const int64_t group = NewGroup();
  EXPECT_THAT(Command(group, kOwner, "/help"), HasSubstr("/protect @channel"));
  // A private chat with the bot is the user's own id.
  auto sent = control_->Send(kOwner, kOwner, "/start");
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        auto messages = control_->Messages(kOwner);
        if (!messages.ok()) return false;
        for (const auto& value : *messages) {
          const object& message = value.as_object();
          if (message.at("outgoing").as_bool() &&
              absl::StrContains(std::string(message.at("text").as_string()), "Ban users")) {
            return true;
          }
        }
        return false;
      },
      kDeadline))
      << cluster_->LogTails();
}

TEST_F(ProtectionE2e, OnlyAdminsAndOnlyThisBot) {
  const int64_t group = NewGroup();
  EXPECT_EQ(Command(group, kStranger, "/protect @chan_a"), "Only the group's admins can use this command.");
  // Addressed to another bot: no answer, so the next reply is /status's.
  auto other = control_->Send(group, kOwner, "/protect@OtherBot @chan_a");
  ASSERT_TRUE(other.ok());
  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("not protected"));
  EXPECT_EQ(Calls("sendMessage", group), 2);

  Protect(group);
  // In a protected group a non-admin's command is just a message: the policy applies to it.
  auto command = control_->Send(group, kStranger, "/unprotect");
  ASSERT_TRUE(command.ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kStranger, 1));
  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("Protection is on"));
}

TEST_F(ProtectionE2e, ProtectByIdAndLinkStatusUnprotect) {
  const int64_t group = NewGroup();
  EXPECT_THAT(Command(group, kOwner, absl::StrCat("/protect ", kChannelA, ", t.me/chan_b")),
              HasSubstr("@chan_a, @chan_b"));
  const std::string status = Command(group, kOwner, "/status");
  EXPECT_THAT(status, HasSubstr("• @chan_a: ok"));
  EXPECT_THAT(status, HasSubstr("• @chan_b: ok"));
  EXPECT_THAT(status, HasSubstr("My rights here: ok."));
  EXPECT_THAT(status, HasSubstr("Muted by me and not yet verified: 0."));

  EXPECT_THAT(Command(group, kOwner, "/unprotect"), HasSubstr("Protection is off"));
  auto sent = control_->Send(group, kStranger, "free to write");
  ASSERT_TRUE(sent.ok());
  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("Protection is off."));
  EXPECT_EQ(Calls("restrictChatMember", group, kStranger), 0);
  // Settings survive /unprotect.
  EXPECT_THAT(Command(group, kOwner, "/settings"), HasSubstr("policy: mute"));
}

TEST_F(ProtectionE2e, PermissionProblemsAreNamed) {
  const int64_t weak = NewGroup({{"can_restrict_members", true}, {"can_delete_messages", false}});
  const std::string refused = Command(weak, kOwner, "/protect @chan_a");
  EXPECT_THAT(refused, HasSubstr("Protection is not on yet"));
  EXPECT_THAT(refused, HasSubstr("Delete messages"));

  const int64_t group = NewGroup();
  const std::string not_admin = Command(group, kOwner, absl::StrCat("/protect ", kPrivateChannel));
  EXPECT_THAT(not_admin, HasSubstr("Protection is not on yet"));
  EXPECT_THAT(not_admin, HasSubstr("I'm not an admin in Private"));
  EXPECT_THAT(Command(group, kOwner, absl::StrCat("/protect ", kUnseenChannel)),
              HasSubstr(absl::StrCat("I can't see ", kUnseenChannel)));

  // Protected first, then the bot loses a right: /status says which.
  Protect(group);
  ASSERT_TRUE(control_->SetMember({group, kBotId, "administrator", {{"can_restrict_members", true}}}).ok());
  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("missing Delete messages"));
}

TEST_F(ProtectionE2e, SettingsAreShownChangedAndKept) {
  const int64_t group = NewGroup();
  EXPECT_THAT(Command(group, kOwner, "/settings"), HasSubstr("not protected"));
  Protect(group);
  EXPECT_THAT(Command(group, kOwner, "/settings"), HasSubstr("policy: mute\n"));
  EXPECT_EQ(Command(group, kOwner, "/settings mute 2h"), "Done: mute is now 2h.");
  EXPECT_EQ(Command(group, kOwner, "/settings prompt_delete 5m"), "Done: prompt_delete is now 5m.");
  EXPECT_EQ(Command(group, kOwner, "/settings prompt Hey {user}, join {channels}!"),
            "Done: prompt is now Hey {user}, join {channels}!.");
  EXPECT_THAT(Command(group, kOwner, "/settings mute 5s"), HasSubstr("is not a value for mute"));
  // A non-admin's /settings is a message from a non-member: restricted, never answered.
  ASSERT_TRUE(control_->Send(group, kStranger, "/settings policy kick").ok());
  const std::string view = Command(group, kOwner, "/settings");
  EXPECT_THAT(view, HasSubstr("policy: mute\n"));
  EXPECT_THAT(view, HasSubstr("mute: 2h\n"));
  EXPECT_THAT(view, HasSubstr("prompt_delete: 5m\n"));
  EXPECT_THAT(view, HasSubstr("prompt: Hey {user}, join {channels}!\n"));

  // The custom prompt and the timed mute are used.
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kStranger, 1));
  auto calls = control_->Calls("restrictChatMember");
  ASSERT_TRUE(calls.ok());
  bool timed = false;
  for (const auto& call : *calls) {
    const object& params = call.as_object().at("params").as_object();
    if (ParamInt(params, "chat_id") == group && ParamInt(params, "user_id") == kStranger) {
      timed = ParamInt(params, "until_date") != 0;
    }
  }
  EXPECT_TRUE(timed);
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        auto messages = control_->Messages(group);
        if (!messages.ok()) return false;
        for (const auto& value : *messages) {
          const std::string text(value.as_object().at("text").as_string());
          if (value.as_object().at("outgoing").as_bool() && absl::StartsWith(text, "Hey ") &&
              absl::StrContains(text, "join @chan_a, @chan_b!")) {
            return true;
          }
        }
        return false;
      },
      kDeadline));
}

TEST_F(ProtectionE2e, DeletePolicyDeletesEveryMessageAndPromptsOnce) {
  const int64_t group = NewGroup();
  Protect(group);
  EXPECT_EQ(Command(group, kOwner, "/settings policy delete"), "Done: policy is now delete.");
  auto first = control_->Send(group, kStranger, "one");
  auto second = control_->Send(group, kStranger, "two");
  ASSERT_TRUE(first.ok() && second.ok());
  Settle(group);
  EXPECT_TRUE(harness::WaitFor(
      [&] { return MessageDeleted(group, first->message_id) && MessageDeleted(group, second->message_id); },
      kDeadline));
  EXPECT_EQ(Calls("restrictChatMember", group, kStranger), 0);
  EXPECT_EQ(Status(group, kStranger), "member");
}

TEST_F(ProtectionE2e, KickPolicyBansThenUnbansOnlyIfBanned) {
  const int64_t group = NewGroup();
  Protect(group);
  EXPECT_EQ(Command(group, kOwner, "/settings policy kick"), "Done: policy is now kick.");
  auto sent = control_->Send(group, kStranger, "hello");
  ASSERT_TRUE(sent.ok());
  EXPECT_TRUE(WaitCalls("unbanChatMember", group, kStranger, 1)) << cluster_->LogTails();
  EXPECT_EQ(Calls("banChatMember", group, kStranger), 1);
  auto unbans = control_->Calls("unbanChatMember");
  ASSERT_TRUE(unbans.ok());
  for (const auto& call : *unbans) {
    const object& params = call.as_object().at("params").as_object();
    if (ParamInt(params, "chat_id") != group) continue;
    const auto* only = params.if_contains("only_if_banned");
    ASSERT_NE(only, nullptr);
    EXPECT_TRUE(only->is_bool() ? only->as_bool() : only->as_string() == "true");
  }
  EXPECT_TRUE(harness::WaitFor([&] { return MessageDeleted(group, sent->message_id); }, kDeadline));
  EXPECT_EQ(Status(group, kStranger), "left");  // removed, free to join again
  EXPECT_EQ(Status(group, kMember), "member");
}

TEST_F(ProtectionE2e, ExemptedUsersAreNeverTouched) {
  const int64_t group = NewGroup();
  Protect(group);
  EXPECT_THAT(Command(group, kOwner, absl::StrCat("/exempt ", kStranger)), HasSubstr("is exempted"));
  EXPECT_THAT(Command(group, kOwner, "/exempt someone"), HasSubstr("Usage: /exempt"));
  auto sent = control_->Send(group, kStranger, "I am exempt");
  ASSERT_TRUE(sent.ok());
  Settle(group);
  EXPECT_EQ(Calls("restrictChatMember", group, kStranger), 0);
  EXPECT_THAT(Command(group, kOwner, "/settings"), HasSubstr(absl::StrCat("Exempted users: ", kStranger)));

  EXPECT_THAT(Command(group, kOwner, absl::StrCat("/unexempt ", kStranger)), HasSubstr("no longer exempted"));
  ASSERT_TRUE(control_->Send(group, kStranger, "and now?").ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kStranger, 1));
}

TEST_F(ProtectionE2e, ExemptAndUnexemptByReply) {
  const int64_t group = NewGroup();
  auto earlier = control_->Send(group, kStranger, "may I stay?");  // before /protect: nothing happens
  ASSERT_TRUE(earlier.ok());
  Protect(group);
  EXPECT_THAT(Command(group, kOwner, "/exempt", {.reply_to_message_id = earlier->message_id}),
              HasSubstr(absl::StrCat("User ", kStranger, " is exempted")));
  ASSERT_TRUE(control_->Send(group, kStranger, "thanks").ok());
  Settle(group);
  EXPECT_EQ(Calls("restrictChatMember", group, kStranger), 0);

  EXPECT_THAT(Command(group, kOwner, "/unexempt", {.reply_to_message_id = earlier->message_id}),
              HasSubstr("no longer exempted"));
  ASSERT_TRUE(control_->Send(group, kStranger, "and now?").ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kStranger, 1));
}

// A private channel with join requests: a pending request counts as joined where the owner allows it.
TEST_F(ProtectionE2e, PendingJoinRequestCountsWhenAllowed) {
  constexpr int64_t kRequester = 1005;
  ASSERT_TRUE(control_->AddUser({.id = kRequester, .first_name = "Req"}).ok());
  const int64_t allowing = NewGroup();
  const int64_t strict = NewGroup();
  for (const int64_t group : {allowing, strict}) {
    ASSERT_TRUE(control_->SetMember({.chat_id = group, .user_id = kRequester}).ok());
    Protect(group);
  }
  EXPECT_EQ(Command(allowing, kOwner, "/settings join_requests on"), "Done: join_requests is now on.");
  EXPECT_THAT(Command(allowing, kOwner, "/settings"), HasSubstr("join_requests: on\n"));

  ASSERT_TRUE(control_->Send(allowing, kRequester, "hi").ok());
  const int64_t prompt_id = PromptIn(allowing);
  ASSERT_NE(prompt_id, 0) << cluster_->LogTails();
  for (const int64_t channel : {kChannelA, kChannelB}) {
    auto requested = control_->RequestJoin(channel, kRequester);
    ASSERT_TRUE(requested.ok()) << requested.status();
    EXPECT_GT(requested->update_id, 0);
  }
  // The requests are decided on their channels' own order: press until both have been recorded.
  EXPECT_TRUE(harness::WaitFor(
      [&] { return Press(allowing, prompt_id, kRequester) == "Thanks! You can write in the group now."; }, kDeadline))
      << cluster_->LogTails();
  EXPECT_TRUE(harness::WaitFor([&] { return MessageDeleted(allowing, prompt_id); }, kDeadline));

  // Without the setting the same pending requests do not count.
  ASSERT_TRUE(control_->Send(strict, kRequester, "hi").ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", strict, kRequester, 1));
}

// /settings prompt_delete: the sender deletes the prompt when it is due, also after a crash in between
// (the schedule is in Redis); the restriction stays.
TEST_F(ProtectionE2e, PromptIsDeletedWhenDueEvenAcrossASenderCrash) {
  const int64_t group = NewGroup();
  Protect(group);
  EXPECT_EQ(Command(group, kOwner, "/settings prompt_delete 3s"), "Done: prompt_delete is now 3s.");
  ASSERT_TRUE(control_->Send(group, kStranger, "hi").ok());
  const int64_t prompt_id = PromptIn(group);
  ASSERT_NE(prompt_id, 0) << cluster_->LogTails();
  // The crash comes after the sender scheduled the deletion (a crash before it is the window the sender
  // documents: that prompt stays).
  redis::Pool redis({.host = "127.0.0.1", .port = cluster_->redis().port()});
  ASSERT_TRUE(harness::WaitFor([&] {
    auto scheduled = redis.Command({"ZSCORE", "sg:{deletes}:due", absl::StrCat(group, ":", prompt_id)});
    return scheduled.ok() && !scheduled->is_nil();
  }));
  ASSERT_TRUE(cluster_->Crash(Cluster::Role::kSender, 0).ok());
  ASSERT_TRUE(cluster_->WaitReady(Cluster::Role::kSender, 0).ok());
  EXPECT_TRUE(harness::WaitFor([&] { return MessageDeleted(group, prompt_id); }, kDeadline)) << cluster_->LogTails();
  EXPECT_EQ(Status(group, kStranger), "restricted");
  EXPECT_EQ(Calls("deleteMessage", group), 1);
}

// my_chat_member: the owner is told, in private, when the bot's standing breaks protection.
TEST_F(ProtectionE2e, OwnerIsToldWhenTheBotLosesWhatProtectionNeeds) {
  constexpr int64_t kChannelC = -1009005;  // this test's own, so demoting the bot there touches no other test
  ASSERT_TRUE(control_->AddChat({.id = kChannelC, .type = "channel", .title = "C", .username = "chan_c"}).ok());
  ASSERT_TRUE(control_->SetMember({kChannelC, kBotId, "administrator", AdminRights()}).ok());
  ASSERT_TRUE(control_->Send(kOwner, kOwner, "/start").ok());  // the bot may write to the owner now
  const int64_t group = NewGroup();
  EXPECT_THAT(Command(group, kOwner, "/protect @chan_c"), HasSubstr("Protection is on"));
  const std::string title = absl::StrCat("G", group);
  auto told = [&](const std::string& text) {
    return harness::WaitFor(
        [&] {
          auto messages = control_->Messages(kOwner);
          if (!messages.ok()) return false;
          for (const auto& value : *messages) {
            const std::string message(value.as_object().at("text").as_string());
            if (value.as_object().at("outgoing").as_bool() && absl::StrContains(message, text)) return true;
          }
          return false;
        },
        kDeadline);
  };

  ASSERT_TRUE(control_->SetMember({kChannelC, kBotId, "member"}).ok());
  EXPECT_TRUE(told("I'm no longer an admin in @chan_c")) << cluster_->LogTails();
  ASSERT_TRUE(control_->SetMember({group, kBotId, "administrator", {{"can_restrict_members", true}}}).ok());
  EXPECT_TRUE(told(absl::StrCat("In \"", title, "\" I'm missing these rights: Delete messages")));
  ASSERT_TRUE(control_->SetMember({group, kBotId, "left"}).ok());
  EXPECT_TRUE(told(absl::StrCat("I was removed from \"", title, "\"")));
}

// A second language, chosen per group: replies, /status and the prompt speak it.
TEST_F(ProtectionE2e, SpanishIsSpokenWhereTheOwnerChoseIt) {
  const int64_t group = NewGroup();
  Protect(group);
  EXPECT_EQ(Command(group, kOwner, "/settings language es"), "Hecho: language ahora es es.");
  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("La protección está activa."));
  EXPECT_THAT(Command(group, kOwner, "/help"), HasSubstr("Administradores: /protect @canal"));
  ASSERT_TRUE(control_->Send(group, kStranger, "hola").ok());
  const int64_t prompt_id = PromptIn(group);
  ASSERT_NE(prompt_id, 0) << cluster_->LogTails();
  EXPECT_EQ(Press(group, prompt_id, kOther), "Este botón no es para ti.");
  auto messages = control_->Messages(group);
  ASSERT_TRUE(messages.ok());
  for (const auto& value : *messages) {
    const object& message = value.as_object();
    if (message.at("message_id").as_int64() != prompt_id) continue;
    EXPECT_THAT(std::string(message.at("text").as_string()), HasSubstr("únete primero a @chan_a, @chan_b"));
  }
  // Another group keeps English.
  EXPECT_THAT(Command(NewGroup(), kOwner, "/settings"), HasSubstr("not protected"));
}

TEST_F(ProtectionE2e, AnonymousAdminAndChannelMembersAreNotTouched) {
  const int64_t group = NewGroup();
  Protect(group);
  ASSERT_TRUE(control_->Send(group, kOwner, "as the group", {.sender_chat_id = group}).ok());
  ASSERT_TRUE(control_->Send(group, kMember, "I joined both").ok());
  // The anonymous admin may run commands.
  EXPECT_THAT(Command(group, kOwner, "/settings join off", {.sender_chat_id = group}), HasSubstr("join is now off"));
  Settle(group);
  EXPECT_EQ(Calls("restrictChatMember", group), 0);
}

TEST_F(ProtectionE2e, JoinsAreCheckedUnlessSwitchedOff) {
  const int64_t group = NewGroup();
  Protect(group);
  ASSERT_TRUE(control_->Leave(group, kOther).ok());
  ASSERT_TRUE(control_->Join(group, kOther).ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kOther, 1)) << cluster_->LogTails();

  EXPECT_THAT(Command(group, kOwner, "/settings join off"), HasSubstr("join is now off"));
  ASSERT_TRUE(control_->Leave(group, kStranger).ok());
  ASSERT_TRUE(control_->Join(group, kStranger).ok());
  Settle(group);
  EXPECT_EQ(Calls("restrictChatMember", group, kStranger), 0);
}

TEST_F(ProtectionE2e, TheButtonLiftsOnlyItsOwnRestriction) {
  const int64_t group = NewGroup();
  Protect(group);
  auto sent = control_->Send(group, kStranger, "hi");
  ASSERT_TRUE(sent.ok());
  const int64_t prompt_id = PromptIn(group);
  ASSERT_NE(prompt_id, 0) << cluster_->LogTails();
  EXPECT_EQ(Status(group, kStranger), "restricted");

  // Someone else's press changes nothing.
  EXPECT_EQ(Press(group, prompt_id, kOther), "This button is not for you.");

  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("Muted by me and not yet verified: 1."));

  // Joined both: lifted to the group's permissions, the prompt deleted.
  ASSERT_TRUE(control_->Join(kChannelA, kStranger).ok());
  ASSERT_TRUE(control_->Join(kChannelB, kStranger).ok());
  ASSERT_TRUE(control_->Press(group, prompt_id, kStranger).ok());
  EXPECT_TRUE(harness::WaitFor([&] { return MessageDeleted(group, prompt_id); }, kDeadline));
  EXPECT_NE(Status(group, kStranger), "kicked");
  auto member = control_->Member(group, kStranger);
  ASSERT_TRUE(member.ok());
  EXPECT_TRUE(Status(group, kStranger) == "member" || member->at("can_send_messages").as_bool());
  EXPECT_EQ(Calls("unbanChatMember", group), 0);
  ASSERT_TRUE(control_->Leave(kChannelA, kStranger).ok());
  ASSERT_TRUE(control_->Leave(kChannelB, kStranger).ok());
}

// The membership cache at work: 1,000 messages from 100 users, all members of both linked channels,
// cost one getChatMember per user and channel (issue 4's figure, printed for the report).
TEST_F(ProtectionE2e, GetChatMemberCallsPerThousandMessages) {
  constexpr int64_t kFirstUser = 5000;
  constexpr int kUsers = 100;
  constexpr int kMessages = 1000;
  const int64_t group = NewGroup();
  for (int64_t user = kFirstUser; user < kFirstUser + kUsers; ++user) {
    ASSERT_TRUE(control_->AddUser({.id = user}).ok());
    for (const int64_t chat : {group, kChannelA, kChannelB}) {
      ASSERT_TRUE(control_->SetMember({.chat_id = chat, .user_id = user}).ok());
    }
  }
  Protect(group);
  auto before = control_->Calls("getChatMember");
  ASSERT_TRUE(before.ok());
  const int64_t since = before->empty() ? 0 : before->back().as_object().at("seq").as_int64();
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(control_->Send(group, kFirstUser + i % kUsers, absl::StrCat("message ", i)).ok());
  }
  Settle(group);
  auto calls = control_->Calls("getChatMember", since);
  ASSERT_TRUE(calls.ok());
  int lookups = 0;
  for (const auto& call : *calls) {
    const int64_t user = ParamInt(call.as_object().at("params").as_object(), "user_id");
    if (user >= kFirstUser && user < kFirstUser + kUsers) ++lookups;
  }
  std::printf("getChatMember calls for %d messages from %d users, 2 channels: %d\n", kMessages, kUsers, lookups);
  EXPECT_EQ(lookups, 2 * kUsers);
  EXPECT_EQ(Calls("restrictChatMember", group), 0);
}

}  // namespace
}  // namespace subguard::e2e
