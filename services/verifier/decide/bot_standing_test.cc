#include "services/verifier/decide/bot_standing.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders
using ::testing::HasSubstr;

constexpr int64_t kUpdate = 88;
constexpr int64_t kOwnerId = 7001;

GroupConfig OwnedGroup() {
  GroupConfig config = ProtectedGroup();
  config.title = "Readers";
  config.owner_user_id = kOwnerId;
  return config;
}

BotMemberChanged InGroup(v1::ChatMember before, v1::ChatMember after) {
  return BotMemberChanged{
      .chat = Chat(kGroupId, "supergroup"), .old_member = std::move(before), .new_member = std::move(after)};
}

std::string ToldOwner(const Decision& decision) {
  EXPECT_EQ(decision.actions.size(), 1u);
  if (decision.actions.size() != 1) return "";
  EXPECT_EQ(decision.actions[0].chat_id(), kOwnerId);
  return decision.actions[0].send_message().text();
}

TEST(BotStandingTest, RemovedFromTheGroupTellsTheOwner) {
  const Decision decision =
      DecideBotMemberChanged(kUpdate, InGroup(BotAdmin(), Member(kBot.id, "left")), {OwnedGroup()});
  EXPECT_EQ(decision.outcome, "owner_told");
  EXPECT_THAT(ToldOwner(decision), HasSubstr("I was removed from \"Readers\""));
}

TEST(BotStandingTest, ALostRightIsNamed) {
  const Decision decision = DecideBotMemberChanged(
      kUpdate, InGroup(BotAdmin(), BotAdmin(/*can_restrict=*/true, /*can_delete=*/false)), {OwnedGroup()});
  EXPECT_THAT(ToldOwner(decision), HasSubstr("missing these rights: Delete messages"));
}

TEST(BotStandingTest, NothingWhenProtectionStillWorksOrWasAlreadyBrokenTheSameWay) {
  EXPECT_TRUE(
      DecideBotMemberChanged(kUpdate, InGroup(Member(kBot.id, "member"), BotAdmin()), {OwnedGroup()}).actions.empty());
  const v1::ChatMember weak = BotAdmin(true, false);
  EXPECT_TRUE(DecideBotMemberChanged(kUpdate, InGroup(weak, weak), {OwnedGroup()}).actions.empty());
}

TEST(BotStandingTest, UnknownOwnerOrInactiveGroupIsSkipped) {
  GroupConfig anonymous = OwnedGroup();
  anonymous.owner_user_id = 0;
  GroupConfig off = OwnedGroup();
  off.enabled = false;
  const Decision decision =
      DecideBotMemberChanged(kUpdate, InGroup(BotAdmin(), Member(kBot.id, "kicked")), {anonymous, off});
  EXPECT_TRUE(decision.actions.empty());
  EXPECT_EQ(decision.outcome, "bot_member_changed");
}

TEST(BotStandingTest, DemotedInALinkedChannelTellsEveryOwner) {
  GroupConfig second = OwnedGroup();
  second.chat_id = kGroupId - 1;
  second.owner_user_id = kOwnerId + 1;
  second.language = "es";
  const BotMemberChanged change{
      .chat = Chat(kChannelA, "channel", "A"), .old_member = BotAdmin(), .new_member = Member(kBot.id, "member")};
  const Decision decision = DecideBotMemberChanged(kUpdate, change, {OwnedGroup(), second});
  ASSERT_EQ(decision.actions.size(), 2u);
  EXPECT_EQ(decision.actions[1].chat_id(), kOwnerId + 1);
  EXPECT_THAT(decision.actions[0].send_message().text(), HasSubstr("no longer an admin in @chan_a"));
  EXPECT_THAT(decision.actions[1].send_message().text(), HasSubstr("Ya no soy administrador en @chan_a"));
  EXPECT_NE(decision.actions[0].id(), decision.actions[1].id());
}

}  // namespace
}  // namespace subguard::verifier::decide
