#include "services/verifier/decide/membership_rule.h"

#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using testing::Member;

TEST(StatusOfTest, FollowsTheBotApiServer) {
  EXPECT_EQ(StatusOf(Member(1, "creator")), MemberStatus::kAdmin);
  EXPECT_EQ(StatusOf(Member(1, "administrator")), MemberStatus::kAdmin);
  EXPECT_EQ(StatusOf(Member(1, "member")), MemberStatus::kMember);
  EXPECT_EQ(StatusOf(Member(1, "left")), MemberStatus::kNotMember);
  EXPECT_EQ(StatusOf(Member(1, "kicked")), MemberStatus::kNotMember);
  EXPECT_EQ(StatusOf(Member(1, "")), MemberStatus::kUnknown);
  EXPECT_EQ(StatusOf(Member(1, "owner")), MemberStatus::kUnknown);
}

TEST(StatusOfTest, RestrictedCountsOnlyWithIsMember) {
  v1::ChatMember restricted = Member(1, "restricted");
  EXPECT_EQ(StatusOf(restricted), MemberStatus::kNotMember);
  restricted.set_is_member(true);
  EXPECT_EQ(StatusOf(restricted), MemberStatus::kMember);
}

TEST(IsMemberTest, AdminsAreMembers) {
  EXPECT_TRUE(IsMember(MemberStatus::kAdmin));
  EXPECT_TRUE(IsMember(MemberStatus::kMember));
  EXPECT_FALSE(IsMember(MemberStatus::kNotMember));
  EXPECT_FALSE(IsMember(MemberStatus::kUnknown));
}

}  // namespace
}  // namespace subguard::verifier::decide
