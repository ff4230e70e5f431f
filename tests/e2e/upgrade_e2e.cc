// A basic group upgraded to a supergroup keeps its protection (issue 4), across separate processes
// (sandbox -> ingest -> verifier -> sender). In the basic group /protect is accepted and the policy deletes
// (Telegram lets bots mute only in supergroups); the owner's settings, channels and exemption are stored.
// The sandbox then upgrades the group (/control/upgrade: the old group's migrate_to_chat_id message, the new
// supergroup's migrate_from_chat_id message, the old id refusing every call): in the supergroup a
// non-member is muted under the old settings, the exempted user is not, and /status and /settings show the
// old configuration.
#include <string>

#include "tests/e2e/protection_fixture.h"

namespace subguard::e2e::protection {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kBasicGroup = -4007001;
constexpr int64_t kSupergroup = -1004007001;

class UpgradeE2e : public ProtectionE2e {
 protected:
  // A basic group owned by kOwner, the bot an admin, kMember, kStranger and kOther in it.
  void NewBasicGroup() {
    ASSERT_TRUE(control_->AddChat({.id = kBasicGroup, .type = "group", .title = "Basic"}).ok());
    ASSERT_TRUE(control_->SetMember({.chat_id = kBasicGroup, .user_id = kOwner, .status = "creator"}).ok());
    ASSERT_TRUE(control_->SetMember({kBasicGroup, kBotId, "administrator", AdminRights()}).ok());
    for (const int64_t user : {kMember, kStranger, kOther}) {
      ASSERT_TRUE(control_->SetMember({.chat_id = kBasicGroup, .user_id = user}).ok());
    }
  }

  // restrictChatMember calls about user in chat, successful or not.
  int RestrictAttempts(int64_t chat, int64_t user) {
    auto calls = control_->Calls("restrictChatMember");
    if (!calls.ok()) return -1;
    int count = 0;
    for (const auto& value : *calls) {
      const object& params = value.as_object().at("params").as_object();
      if (ParamInt(params, "chat_id") == chat && ParamInt(params, "user_id") == user) ++count;
    }
    return count;
  }
};

TEST_F(UpgradeE2e, ProtectionMovesToTheSupergroup) {
  NewBasicGroup();
  EXPECT_THAT(Command(kBasicGroup, kOwner, "/protect @chan_a https://t.me/chan_b"), HasSubstr("This is a basic group"));
  EXPECT_THAT(Command(kBasicGroup, kOwner, absl::StrCat("/exempt ", kOther)), HasSubstr("exempted"));
  EXPECT_THAT(Command(kBasicGroup, kOwner, "/settings mute 1h"), HasSubstr("Done"));

  // In the basic group a non-member's message is deleted and they are asked to join; nobody is muted.
  auto written = control_->Send(kBasicGroup, kStranger, "hello from a basic group");
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_GT(PromptIn(kBasicGroup), 0);
  EXPECT_TRUE(harness::WaitFor([&] { return MessageDeleted(kBasicGroup, written->message_id); }, kDeadline));
  Settle(kBasicGroup);
  EXPECT_EQ(RestrictAttempts(kBasicGroup, kStranger), 0);

  auto upgraded =
      control_->Post("/control/upgrade", {{"chat_id", kBasicGroup}, {"new_chat_id", kSupergroup}, {"user_id", kOwner}});
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();
  EXPECT_GT(upgraded->at("update_id").as_int64(), 0);
  EXPECT_GT(upgraded->at("new_update_id").as_int64(), 0);

  // The supergroup's migrate message comes before this /status in its chat, so the answer sees the move.
  const std::string status = Command(kSupergroup, kOwner, "/status");
  EXPECT_THAT(status, HasSubstr("Protection is on."));
  EXPECT_THAT(status, HasSubstr("@chan_a: ok"));
  EXPECT_THAT(status, HasSubstr("@chan_b: ok"));
  const std::string settings = Command(kSupergroup, kOwner, "/settings");
  EXPECT_THAT(settings, HasSubstr("mute: 1h"));
  EXPECT_THAT(settings, HasSubstr(absl::StrCat(kOther)));

  // A non-member is muted in the supergroup, for the old settings' hour; the exempted user is left alone.
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  ASSERT_TRUE(control_->Send(kSupergroup, kStranger, "hello from the supergroup").ok());
  ASSERT_TRUE(WaitCalls("restrictChatMember", kSupergroup, kStranger, 1)) << cluster_->LogTails();
  EXPECT_EQ(Status(kSupergroup, kStranger), "restricted");
  auto member = control_->Member(kSupergroup, kStranger);
  ASSERT_TRUE(member.ok());
  EXPECT_GE(member->at("until_date").as_int64(), before + 3000);
  EXPECT_GT(PromptIn(kSupergroup), 0);
  ASSERT_TRUE(control_->Send(kSupergroup, kOther, "exempt here too").ok());
  ASSERT_TRUE(control_->Send(kSupergroup, kMember, "a member").ok());
  Settle(kSupergroup);
  EXPECT_EQ(RestrictAttempts(kSupergroup, kOther), 0);
  EXPECT_EQ(RestrictAttempts(kSupergroup, kMember), 0);
  EXPECT_THAT(Command(kSupergroup, kOwner, "/status"), HasSubstr("Muted by me and not yet verified: 1."));

  // The old id is gone: Telegram's 400 with the new id.
  auto old = control_->Send(kBasicGroup, kOwner, "/status");
  EXPECT_FALSE(old.ok());
}

}  // namespace
}  // namespace subguard::e2e::protection
