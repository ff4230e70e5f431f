// Issue 6, the owner's side of a flood: silent mode (restrict with no prompt; joining the linked
// channels lifts the mute) and Telegram's permanent refusals shown in /status and kept in audit_log
// (fixture: protection_fixture.h).
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/protection_fixture.h"

namespace subguard::e2e::protection {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kSilentUser = 1011;  // this file's own, in no channel, so no other test sees them move

// The bot's messages in group that carry a button (prompts).
int Prompts(sandbox::ControlClient& control, int64_t group) {
  auto messages = control.Messages(group);
  EXPECT_TRUE(messages.ok()) << messages.status();
  if (!messages.ok()) return -1;
  int prompts = 0;
  for (const auto& value : *messages) {
    const object& message = value.as_object();
    if (message.at("outgoing").as_bool() && message.contains("reply_markup")) ++prompts;
  }
  return prompts;
}

TEST_F(ProtectionE2e, SilentModeRestrictsWithoutAPromptAndJoiningLiftsIt) {
  ASSERT_TRUE(control_->AddUser({.id = kSilentUser, .first_name = "Quiet"}).ok());
  const int64_t group = NewGroup();
  ASSERT_TRUE(control_->SetMember({.chat_id = group, .user_id = kSilentUser}).ok());
  Protect(group);
  EXPECT_EQ(Command(group, kOwner, "/settings silent on"), "Done: silent is now on.");
  EXPECT_THAT(Command(group, kOwner, "/settings"), HasSubstr("silent: on\n"));

  ASSERT_TRUE(control_->Send(group, kSilentUser, "hi").ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kSilentUser, 1)) << cluster_->LogTails();
  EXPECT_EQ(Status(group, kSilentUser), "restricted");
  // /status's reply comes after the message was decided: no prompt went out for it.
  EXPECT_THAT(Command(group, kOwner, "/status"),
              AllOf(HasSubstr("Silent mode is on"), HasSubstr("Muted by me and not yet verified: 1.")));
  EXPECT_EQ(Prompts(*control_, group), 0);

  // One channel of two: still muted. Both: lifted, with no message either.
  ASSERT_TRUE(control_->Join(kChannelA, kSilentUser).ok());
  Settle(group);
  EXPECT_EQ(Calls("restrictChatMember", group, kSilentUser), 1);
  ASSERT_TRUE(control_->Join(kChannelB, kSilentUser).ok());
  EXPECT_TRUE(WaitCalls("restrictChatMember", group, kSilentUser, 2)) << cluster_->LogTails();
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        auto member = control_->Member(group, kSilentUser);
        return member.ok() && (member->at("status").as_string() == "member" ||
                               (member->contains("can_send_messages") && member->at("can_send_messages").as_bool()));
      },
      kDeadline));
  EXPECT_THAT(Command(group, kOwner, "/status"), HasSubstr("Muted by me and not yet verified: 0."));
  EXPECT_EQ(Prompts(*control_, group), 0);
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log WHERE group_chat_id = $1 AND kind IN ('restrict', 'release')", group),
            2);

  // Off again: the next non-member is prompted as before.
  EXPECT_EQ(Command(group, kOwner, "/settings silent off"), "Done: silent is now off.");
  ASSERT_TRUE(control_->Send(group, kStranger, "hello").ok());
  EXPECT_NE(PromptIn(group), 0) << cluster_->LogTails();
}

TEST_F(ProtectionE2e, APermanentErrorIsShownInStatusAndKeptInTheAuditLog) {
  const int64_t group = NewGroup();
  Protect(group);
  EXPECT_THAT(Command(group, kOwner, "/status"), Not(HasSubstr("Last errors from Telegram")));
  // The bot loses "Ban users" after /protect: Telegram refuses the restriction for good.
  ASSERT_TRUE(control_->SetMember({group, kBotId, "administrator", {{"can_delete_messages", true}}}).ok());
  ASSERT_TRUE(control_->Send(group, kStranger, "hi").ok());

  std::string status;
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        status = Command(group, kOwner, "/status");
        return absl::StrContains(status, "Last errors from Telegram:");
      },
      kDeadline))
      << status << cluster_->LogTails();
  EXPECT_THAT(status,
              HasSubstr(" UTC, restrictChatMember: Bad Request: not enough rights to restrict/unrestrict chat member"));
  // The refused restriction is not counted as a mute.
  EXPECT_THAT(status, HasSubstr("Muted by me and not yet verified: 0."));
  EXPECT_EQ(Status(group, kStranger), "member");
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log WHERE group_chat_id = $1 AND kind = 'error' AND method = "
                  "'restrictChatMember' AND error_code = 400 AND description LIKE '%not enough rights%'",
                  group),
            1);
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log WHERE group_chat_id = $1 AND kind = 'restrict'", group), 1);
}

}  // namespace
}  // namespace subguard::e2e::protection
