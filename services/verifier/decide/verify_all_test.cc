#include "services/verifier/decide/verify_all.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/protection.h"

namespace subguard::verifier::decide {
namespace {

using ::testing::HasSubstr;

GroupCommand VerifyAllCommand() {
  GroupCommand command;
  command.message.set_message_id(7);
  command.message.mutable_chat()->set_id(-100);
  command.command.name = CommandName::kVerifyAll;
  return command;
}

TEST(DecideVerifyAllTest, StartedRunningAndRefused) {
  const GroupConfig config{.chat_id = -100, .enabled = true};
  const VerifyProgress started{.job_id = 1, .started = true, .total = 33};
  Decision decision = DecideVerifyAll(5, VerifyAllCommand(), &config, &started);
  EXPECT_EQ(decision.outcome, "verifyall_started");
  ASSERT_EQ(decision.actions.size(), 1u);
  EXPECT_THAT(decision.actions[0].send_message().text(), HasSubstr("Checking the 33 members"));

  const VerifyProgress running{.job_id = 1, .total = 33, .checked = 12, .restricted = 4};
  decision = DecideVerifyAll(6, VerifyAllCommand(), &config, &running);
  EXPECT_EQ(decision.outcome, "verifyall_progress");
  EXPECT_THAT(decision.actions[0].send_message().text(), HasSubstr("12 of 33 members checked, 4 restricted"));

  decision = DecideVerifyAll(7, VerifyAllCommand(), nullptr, nullptr);
  EXPECT_EQ(decision.outcome, "verifyall_refused");
}

TEST(DecideVerifyAllTest, SummaryIdIsStablePerJob) {
  const VerifyProgress done{.job_id = 3, .total = 33, .checked = 33, .restricted = 10};
  const Decision first = DecideVerifySummary(-9, -100, done);
  const Decision again = DecideVerifySummary(-9, -100, done);
  ASSERT_EQ(first.actions.size(), 1u);
  EXPECT_EQ(first.actions[0].id(), again.actions[0].id());
  EXPECT_EQ(first.actions[0].send_message().text(), "Check finished: checked 33, restricted 10.");
}

TEST(DecideVerifyAllTest, RestrictsCountsRestrictionsKicksAndPrompts) {
  for (const char* outcome : {"restricted", "kicked", "prompted"}) EXPECT_TRUE(Restricts({.outcome = outcome}));
  for (const char* outcome : {"member", "admin", "bot", "exempt", "not_in_group"}) {
    EXPECT_FALSE(Restricts({.outcome = outcome}));
  }
}

TEST(DecideVerifyAllTest, OnlyUsersStillInTheGroupArePrompted) {
  const Subject subject{.trigger = Trigger::kVerify, .chat_id = -100};
  EXPECT_TRUE(NeedsPromptSlot(subject, MemberStatus::kMember));
  EXPECT_FALSE(NeedsPromptSlot(subject, MemberStatus::kNotMember));
  EXPECT_FALSE(NeedsPromptSlot(subject, MemberStatus::kAdmin));
}

}  // namespace
}  // namespace subguard::verifier::decide
