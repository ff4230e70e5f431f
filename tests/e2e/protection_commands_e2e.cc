// Issue 4, the owner's side: commands, settings, policies, exemptions, join requests (fixture:
// protection_fixture.h).
#include <boost/json/serialize.hpp>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/protection_fixture.h"

namespace subguard::e2e::protection {
namespace {

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

}  // namespace
}  // namespace subguard::e2e::protection
