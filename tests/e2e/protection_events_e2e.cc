// Issue 4, what happens to members: prompt auto-delete, the owner told when the bot loses its rights, the
// group's language, who is never touched, joins, the button, the membership cache's figure (fixture:
// protection_fixture.h).
#include <boost/json/serialize.hpp>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/protection_fixture.h"

namespace subguard::e2e::protection {
namespace {

using ::testing::HasSubstr;

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
}  // namespace subguard::e2e::protection
