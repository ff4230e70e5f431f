#include "services/verifier/decide/check_button.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders
using ::testing::ElementsAre;

constexpr int64_t kUpdate = 80;

CheckPressed Press(int64_t from = kUserId) {
  return CheckPressed{.callback_query_id = "cb-1",
                      .from = User(from),
                      .target_user_id = kUserId,
                      .chat_id = kGroupId,
                      .prompt_message_id = 44};
}

CheckFacts Facts(std::vector<MemberStatus> channels) {
  CheckFacts facts{.channels = std::move(channels)};
  facts.permissions.set_can_send_messages(true);
  return facts;
}

std::vector<std::string> Ids(const Decision& decision) {
  std::vector<std::string> ids;
  for (const v1::Action& action : decision.actions) ids.push_back(action.id());
  return ids;
}

TEST(DecideCheckTest, SomeoneElsesButtonChangesNothing) {
  const CheckPressed press = Press(/*from=*/999);
  EXPECT_FALSE(CheckNeedsLookups(press));
  const GroupConfig config = ProtectedGroup();
  const Decision decision = DecideCheck(kUpdate, press, &config, CheckFacts{});
  EXPECT_EQ(decision.outcome, "not_for_you");
  ASSERT_EQ(decision.actions.size(), 1u);
  EXPECT_EQ(decision.actions[0].answer_callback().text(), "This button is not for you.");
  EXPECT_TRUE(decision.actions[0].answer_callback().show_alert());
  EXPECT_FALSE(decision.release_prompt_slot);
  EXPECT_TRUE(decision.audit.empty());
}

TEST(DecideCheckTest, StillMissingNamesTheChannels) {
  EXPECT_TRUE(CheckNeedsLookups(Press()));
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  const Decision decision =
      DecideCheck(kUpdate, Press(), &config, Facts({MemberStatus::kNotMember, MemberStatus::kMember}));
  EXPECT_EQ(decision.outcome, "still_missing");
  ASSERT_EQ(decision.actions.size(), 1u);
  EXPECT_EQ(decision.actions[0].id(), "80:answer:-1001000:0");
  EXPECT_EQ(decision.actions[0].answer_callback().text(), "You have not joined @chan_a yet.");
  EXPECT_FALSE(decision.release_prompt_slot);
}

TEST(DecideCheckTest, AllJoinedLiftsDeletesThePromptAndAnswers) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  const Decision decision =
      DecideCheck(kUpdate, Press(), &config, Facts({MemberStatus::kMember, MemberStatus::kAdmin}));
  EXPECT_EQ(decision.outcome, "verified");
  EXPECT_THAT(Ids(decision), ElementsAre("80:lift:-1001000:501", "80:delete:-1001000:44", "80:answer:-1001000:0"));
  EXPECT_TRUE(decision.actions[0].lift_restriction().permissions().can_send_messages());
  EXPECT_EQ(decision.actions[0].lift_restriction().user_id(), kUserId);
  EXPECT_EQ(decision.actions[1].delete_message().message_id(), 44);
  EXPECT_FALSE(decision.actions[2].answer_callback().show_alert());
  EXPECT_TRUE(decision.release_prompt_slot);
  ASSERT_EQ(decision.audit.size(), 1u);
  EXPECT_EQ(decision.audit[0].kind, "release");
}

TEST(DecideCheckTest, ASharedPromptLetsThroughOnlyWhomItNamedAndStays) {
  const GroupConfig config = ProtectedGroup({kChannelA});
  CheckPressed press = Press();
  press.shared = true;
  CheckFacts stranger = Facts({MemberStatus::kMember});
  stranger.restricted_by_us = false;
  stranger.named = false;
  EXPECT_EQ(DecideCheck(kUpdate, press, &config, stranger).outcome, "not_for_you");

  CheckFacts named = stranger;
  named.named = true;
  const Decision verified = DecideCheck(kUpdate, press, &config, named);
  EXPECT_EQ(verified.outcome, "verified");
  EXPECT_THAT(Ids(verified), ElementsAre("80:answer:-1001000:0"));  // nothing to lift, the prompt stays
  EXPECT_TRUE(verified.release_prompt_slot);

  CheckFacts restricted = stranger;
  restricted.restricted_by_us = true;
  EXPECT_THAT(Ids(DecideCheck(kUpdate, press, &config, restricted)),
              ElementsAre("80:lift:-1001000:501", "80:answer:-1001000:0"));
}

TEST(DecideCheckTest, AnUnknownChannelDoesNotBlockTheRelease) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  EXPECT_EQ(DecideCheck(kUpdate, Press(), &config, Facts({MemberStatus::kMember, MemberStatus::kUnknown})).outcome,
            "verified");
}

TEST(DecideCheckTest, OnlyItsOwnRestrictionIsLifted) {
  // An admin's mute, or a delete-only policy that never muted: no active_restrictions row.
  CheckFacts facts = Facts({MemberStatus::kMember});
  facts.restricted_by_us = false;
  const GroupConfig config = ProtectedGroup();
  const Decision decision = DecideCheck(kUpdate, Press(), &config, facts);
  EXPECT_EQ(decision.outcome, "verified");
  EXPECT_THAT(Ids(decision), ElementsAre("80:delete:-1001000:44", "80:answer:-1001000:0"));
  EXPECT_TRUE(decision.audit.empty());
}

TEST(DecideCheckTest, ABotThatLostItsRightsChangesNothing) {
  CheckFacts facts = Facts({MemberStatus::kMember});
  facts.bot_can_restrict = false;
  const GroupConfig config = ProtectedGroup();
  const Decision decision = DecideCheck(kUpdate, Press(), &config, facts);
  EXPECT_EQ(decision.outcome, "bot_not_admin");
  EXPECT_THAT(Ids(decision), ElementsAre("80:answer:-1001000:0"));
  EXPECT_TRUE(decision.actions[0].answer_callback().show_alert());
  EXPECT_FALSE(decision.release_prompt_slot);
}

TEST(DecideCheckTest, UnprotectedOrForgottenGroupReleases) {
  GroupConfig config = ProtectedGroup();
  config.enabled = false;
  EXPECT_EQ(DecideCheck(kUpdate, Press(), &config, Facts({})).outcome, "verified");
  const Decision decision = DecideCheck(kUpdate, Press(), nullptr, Facts({}));
  EXPECT_EQ(decision.outcome, "verified");
  EXPECT_EQ(decision.actions[0].id(), "80:lift:-1001000:501");
}

}  // namespace
}  // namespace subguard::verifier::decide
