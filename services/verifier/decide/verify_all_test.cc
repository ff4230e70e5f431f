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
  Decision decision = DecideVerifyAll(5, VerifyAllCommand(), &config, &started, "sg:verifyall:1:message");
  EXPECT_EQ(decision.outcome, "verifyall_started");
  ASSERT_EQ(decision.actions.size(), 1u);
  EXPECT_THAT(decision.actions[0].send_message().text(), HasSubstr("Checking the 33 members"));
  // The sender remembers the start message's id, so the progress can edit it.
  EXPECT_EQ(decision.actions[0].send_message().remember_id_as(), "sg:verifyall:1:message");

  const VerifyProgress running{.job_id = 1, .total = 33, .checked = 12, .restricted = 4};
  decision = DecideVerifyAll(6, VerifyAllCommand(), &config, &running, "sg:verifyall:1:message");
  EXPECT_EQ(decision.outcome, "verifyall_progress");
  EXPECT_THAT(decision.actions[0].send_message().text(), HasSubstr("12 of 33 members checked, 4 restricted"));
  EXPECT_EQ(decision.actions[0].send_message().remember_id_as(), "");

  decision = DecideVerifyAll(7, VerifyAllCommand(), nullptr, nullptr, "");
  EXPECT_EQ(decision.outcome, "verifyall_refused");
}

TEST(DecideVerifyAllTest, SpanishTexts) {
  const GroupConfig config{.chat_id = -100, .enabled = true, .language = "es"};
  const VerifyProgress started{.job_id = 1, .started = true, .total = 33};
  const Decision decision = DecideVerifyAll(5, VerifyAllCommand(), &config, &started, "k");
  EXPECT_THAT(decision.actions[0].send_message().text(), HasSubstr("Compruebo los 33 miembros"));
  const VerifyProgress done{.job_id = 3, .total = 33, .checked = 33, .restricted = 10};
  EXPECT_EQ(DecideVerifySummary(-9, -100, &config, done, 0).actions[0].send_message().text(),
            "Comprobación terminada: comprobados 33, restringidos 10.");
}

TEST(DecideVerifyAllTest, ProgressEditsTheStartMessage) {
  const VerifyProgress progress{.job_id = 3, .total = 33, .checked = 20, .restricted = 5};
  Decision decision = DecideVerifyProgress(-11, -100, nullptr, progress, 0);
  EXPECT_EQ(decision.outcome, "verifyall_progress_unshown");
  EXPECT_TRUE(decision.actions.empty());

  decision = DecideVerifyProgress(-11, -100, nullptr, progress, 42);
  ASSERT_EQ(decision.actions.size(), 1u);
  const v1::Action& edit = decision.actions[0];
  EXPECT_EQ(edit.chat_id(), -100);
  EXPECT_EQ(edit.edit_message_text().message_id(), 42);
  EXPECT_EQ(edit.edit_message_text().text(),
            "Checking the members I have seen here: 20 of 33 checked, 5 restricted so far.");
  // Another progress update (another id) is another edit.
  EXPECT_NE(DecideVerifyProgress(-12, -100, nullptr, progress, 42).actions[0].id(), edit.id());
}

TEST(DecideVerifyAllTest, SummaryEditsTheStartMessageOrIsSentAlone) {
  const VerifyProgress done{.job_id = 3, .total = 33, .checked = 33, .restricted = 10};
  const Decision edited = DecideVerifySummary(-9, -100, nullptr, done, 42);
  ASSERT_EQ(edited.actions.size(), 1u);
  EXPECT_EQ(edited.actions[0].edit_message_text().message_id(), 42);
  EXPECT_EQ(edited.actions[0].edit_message_text().text(), "Check finished: checked 33, restricted 10.");
  EXPECT_EQ(edited.actions[0].id(), DecideVerifySummary(-9, -100, nullptr, done, 42).actions[0].id());

  const Decision first = DecideVerifySummary(-9, -100, nullptr, done, 0);
  const Decision again = DecideVerifySummary(-9, -100, nullptr, done, 0);
  ASSERT_EQ(first.actions.size(), 1u);
  EXPECT_EQ(first.actions[0].id(), again.actions[0].id());
  EXPECT_EQ(first.actions[0].send_message().text(), "Check finished: checked 33, restricted 10.");
}

TEST(DecideVerifyAllTest, TheStartMessageCountsOnlyInTheJobsChat) {
  EXPECT_EQ(StartMessageIn("-100:42", -100), 42);
  // The group was upgraded since the start message was sent: its id means nothing in the supergroup.
  EXPECT_EQ(StartMessageIn("-4001:42", -1004001), 0);
  for (const char* unreadable : {"", "42", "-100:", "-100:x", "-100:42:1"}) {
    EXPECT_EQ(StartMessageIn(unreadable, -100), 0) << unreadable;
  }
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
