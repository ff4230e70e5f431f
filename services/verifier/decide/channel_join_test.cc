#include "services/verifier/decide/channel_join.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders
using ::testing::IsEmpty;

constexpr int64_t kUpdate = 81;

GroupConfig Silent(std::vector<int64_t> channels = {kChannelA}) {
  GroupConfig config = ProtectedGroup(std::move(channels));
  config.silent = true;
  return config;
}

TEST(ChannelJoinTest, OnlySilentProtectedGroupsLift) {
  EXPECT_TRUE(ChannelJoinLifts(Silent()));
  EXPECT_FALSE(ChannelJoinLifts(ProtectedGroup()));  // the prompt's button lifts there
  GroupConfig off = Silent();
  off.enabled = false;
  EXPECT_FALSE(ChannelJoinLifts(off));
  const Decision decision = DecideChannelJoin(kUpdate, User(kUserId), ProtectedGroup(),
                                              {.restricted_by_us = true, .channels = {MemberStatus::kMember}});
  EXPECT_THAT(decision.actions, IsEmpty());
}

TEST(ChannelJoinTest, LiftsSubguardsMuteOnceEveryChannelIsJoined) {
  v1::ChatPermissions permissions;
  permissions.set_can_send_messages(true);
  const Decision decision = DecideChannelJoin(kUpdate, User(kUserId), Silent({kChannelA, kChannelB}),
                                              {.restricted_by_us = true,
                                               .channels = {MemberStatus::kMember, MemberStatus::kUnknown},
                                               .permissions = permissions});
  EXPECT_EQ(decision.outcome, "channel_join_lifted");
  ASSERT_EQ(decision.actions.size(), 1u);
  EXPECT_EQ(decision.actions[0].id(), "81:lift:-1001000:501");
  EXPECT_EQ(decision.actions[0].chat_id(), kGroupId);
  EXPECT_EQ(decision.actions[0].lift_restriction().user_id(), kUserId);
  EXPECT_TRUE(decision.actions[0].lift_restriction().permissions().can_send_messages());
  ASSERT_EQ(decision.audit.size(), 1u);
  EXPECT_EQ(decision.audit[0].kind, "release");
  EXPECT_TRUE(decision.release_prompt_slot);
}

TEST(ChannelJoinTest, NothingWhileAChannelIsMissingOrTheMuteIsNotOurs) {
  const Decision missing =
      DecideChannelJoin(kUpdate, User(kUserId), Silent({kChannelA, kChannelB}),
                        {.restricted_by_us = true, .channels = {MemberStatus::kMember, MemberStatus::kNotMember}});
  EXPECT_EQ(missing.outcome, "channel_join_still_missing");
  EXPECT_THAT(missing.actions, IsEmpty());
  const Decision admins = DecideChannelJoin(kUpdate, User(kUserId), Silent(), {.restricted_by_us = false});
  EXPECT_EQ(admins.outcome, "channel_join_not_restricted");
  EXPECT_THAT(admins.actions, IsEmpty());
  EXPECT_FALSE(admins.release_prompt_slot);
}

}  // namespace
}  // namespace subguard::verifier::decide
