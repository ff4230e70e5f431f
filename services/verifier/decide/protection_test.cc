#include "services/verifier/decide/protection.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kUpdate = 77;

Subject MessageSubject() { return SubjectOf(GroupMessage{GroupText("hi")}); }

SubjectFacts NonMember(bool prompt_slot = true) {
  return SubjectFacts{
      .channels = {MemberStatus::kNotMember}, .in_group = MemberStatus::kMember, .prompt_slot = prompt_slot};
}

std::vector<std::string> Ids(const Decision& decision) {
  std::vector<std::string> ids;
  for (const v1::Action& action : decision.actions) ids.push_back(action.id());
  return ids;
}

TEST(SubjectTest, FromAMessage) {
  v1::Message message = GroupText("hi", kUserId, 12);
  message.set_is_automatic_forward(true);
  *message.mutable_sender_chat() = Chat(kChannelA, "channel");
  const Subject subject = SubjectOf(GroupMessage{message});
  EXPECT_EQ(subject.trigger, Trigger::kMessage);
  EXPECT_EQ(subject.chat_id, kGroupId);
  EXPECT_EQ(subject.user.id(), kUserId);
  EXPECT_EQ(subject.message_id, 12);
  EXPECT_EQ(subject.date, 1'700'000'000);
  EXPECT_TRUE(subject.is_automatic_forward);
  EXPECT_EQ(subject.sender_chat_id, kChannelA);
}

TEST(SubjectTest, FromJoinsAndChannelLeaves) {
  const auto subjects = SubjectsOf(MembersJoined{.chat_id = kGroupId, .date = 5, .users = {User(1), User(2)}});
  ASSERT_EQ(subjects.size(), 2u);
  EXPECT_EQ(subjects[1].trigger, Trigger::kJoin);
  EXPECT_EQ(subjects[1].user.id(), 2);
  EXPECT_EQ(subjects[1].date, 5);

  const MemberChanged left{.chat = Chat(kChannelA, "channel"), .user = User(kUserId), .date = 9};
  const Subject subject = SubjectOf(left, kGroupId, Trigger::kChannelLeave);
  EXPECT_EQ(subject.chat_id, kGroupId);
  EXPECT_EQ(subject.trigger, Trigger::kChannelLeave);
  EXPECT_EQ(subject.date, 9);
}

TEST(DecidedWithoutLookupsTest, ProtectionOff) {
  GroupConfig config = ProtectedGroup();
  config.enabled = false;
  EXPECT_EQ(DecidedWithoutLookups(MessageSubject(), config), "not_protected");
  EXPECT_EQ(DecidedWithoutLookups(MessageSubject(), ProtectedGroup({})), "not_protected");
  EXPECT_EQ(DecidedWithoutLookups(MessageSubject(), ProtectedGroup()), std::nullopt);
}

TEST(DecidedWithoutLookupsTest, JoinChecksCanBeOff) {
  Subject join = MessageSubject();
  join.trigger = Trigger::kJoin;
  GroupConfig config = ProtectedGroup();
  EXPECT_EQ(DecidedWithoutLookups(join, config), std::nullopt);
  config.check_on_join = false;
  EXPECT_EQ(DecidedWithoutLookups(join, config), "join_unchecked");
  EXPECT_EQ(DecidedWithoutLookups(MessageSubject(), config), std::nullopt);
}

TEST(DecidedWithoutLookupsTest, NeverTouched) {
  const GroupConfig config = ProtectedGroup();
  Subject subject = MessageSubject();
  subject.is_automatic_forward = true;
  EXPECT_EQ(DecidedWithoutLookups(subject, config), "automatic_forward");

  subject = MessageSubject();
  subject.user = User(kTelegramServiceUserId);
  EXPECT_EQ(DecidedWithoutLookups(subject, config), "automatic_forward");

  subject = MessageSubject();
  subject.sender_chat_id = kGroupId;
  EXPECT_EQ(DecidedWithoutLookups(subject, config), "anonymous_admin");

  subject = MessageSubject();
  subject.user = User(kGroupAnonymousBotId);
  EXPECT_EQ(DecidedWithoutLookups(subject, config), "anonymous_admin");

  subject = MessageSubject();
  subject.sender_chat_id = kChannelB;
  EXPECT_EQ(DecidedWithoutLookups(subject, config), "sent_as_chat");
}

TEST(DecidedWithoutLookupsTest, BotsUnlessTheOwnerSaysSo) {
  GroupConfig config = ProtectedGroup();
  Subject subject = MessageSubject();
  subject.user.set_is_bot(true);
  EXPECT_EQ(DecidedWithoutLookups(subject, config), "bot");
  config.restrict_bots = true;
  EXPECT_EQ(DecidedWithoutLookups(subject, config), std::nullopt);
}

TEST(DecidedWithoutLookupsTest, ExemptedUsers) {
  GroupConfig config = ProtectedGroup();
  config.exempt_users.insert(kUserId);
  EXPECT_EQ(DecidedWithoutLookups(MessageSubject(), config), "exempt");
  EXPECT_EQ(DecideSubject(kUpdate, MessageSubject(), config, NonMember()).outcome, "exempt");
}

TEST(MissingChannelsTest, OnlyKnownNonMembersAreMissing) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  EXPECT_THAT(MissingChannels(config, {MemberStatus::kMember, MemberStatus::kAdmin}), IsEmpty());
  EXPECT_THAT(MissingChannels(config, {MemberStatus::kUnknown, MemberStatus::kUnknown}), IsEmpty());
  const auto missing = MissingChannels(config, {MemberStatus::kNotMember, MemberStatus::kMember});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].id, kChannelA);
  EXPECT_EQ(MissingChannels(config, {MemberStatus::kNotMember, MemberStatus::kNotMember}).size(), 2u);
  EXPECT_THAT(MissingChannels(config, {}), IsEmpty());  // nothing looked up yet
}

TEST(NeedsTest, GroupLookupOnlyWhenAChannelIsMissing) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  EXPECT_FALSE(NeedsGroupLookup(config, {MemberStatus::kMember, MemberStatus::kUnknown}));
  EXPECT_TRUE(NeedsGroupLookup(config, {MemberStatus::kMember, MemberStatus::kNotMember}));
}

TEST(NeedsTest, PromptSlotNotForAdminsNorForLeaversOutsideTheGroup) {
  Subject subject = MessageSubject();
  EXPECT_TRUE(NeedsPromptSlot(subject, MemberStatus::kMember));
  EXPECT_TRUE(NeedsPromptSlot(subject, MemberStatus::kUnknown));
  EXPECT_FALSE(NeedsPromptSlot(subject, MemberStatus::kAdmin));
  subject.trigger = Trigger::kChannelLeave;
  EXPECT_TRUE(NeedsPromptSlot(subject, MemberStatus::kMember));
  EXPECT_FALSE(NeedsPromptSlot(subject, MemberStatus::kNotMember));
  EXPECT_FALSE(NeedsPromptSlot(subject, MemberStatus::kUnknown));
}

TEST(DecideSubjectTest, MembersAreLeftAlone) {
  const SubjectFacts facts{.channels = {MemberStatus::kMember}};
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), facts);
  EXPECT_EQ(decision.outcome, "member");
  EXPECT_THAT(decision.actions, IsEmpty());
}

TEST(DecideSubjectTest, AnUnknownChannelNeverRestricts) {
  const SubjectFacts facts{.channels = {MemberStatus::kUnknown}, .prompt_slot = true};
  EXPECT_EQ(DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), facts).outcome, "member");
}

TEST(DecideSubjectTest, GroupAdminsAreLeftAlone) {
  SubjectFacts facts = NonMember();
  facts.in_group = MemberStatus::kAdmin;
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), facts);
  EXPECT_EQ(decision.outcome, "admin");
  EXPECT_THAT(decision.actions, IsEmpty());
}

TEST(DecideSubjectTest, MutePolicyRestrictsAndPromptsOnce) {
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), NonMember());
  EXPECT_EQ(decision.outcome, "restricted");
  EXPECT_THAT(Ids(decision), ElementsAre("77:restrict:-1001000:501", "77:prompt:-1001000:501"));
  EXPECT_EQ(decision.actions[0].restrict_member().user_id(), kUserId);
  EXPECT_EQ(decision.actions[0].restrict_member().until_date(), 0);
  EXPECT_EQ(decision.actions[1].chat_id(), kGroupId);
  EXPECT_EQ(decision.actions[1].send_message().parse_mode(), "HTML");
  ASSERT_EQ(decision.audit.size(), 1u);
  EXPECT_EQ(decision.audit[0].kind, "restrict");
  EXPECT_EQ(decision.audit[0].action_id, "77:restrict:-1001000:501");
  EXPECT_EQ(decision.audit[0].group_chat_id, kGroupId);
  EXPECT_EQ(decision.audit[0].user_id, kUserId);
  EXPECT_EQ(decision.audit[0].reason, "message; not a member of @chan_a");
  EXPECT_FALSE(decision.protect.has_value());
}

TEST(DecideSubjectTest, SilentModeRestrictsWithoutAPrompt) {
  GroupConfig config = ProtectedGroup();
  config.silent = true;
  const Decision muted = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
  EXPECT_EQ(muted.outcome, "restricted");
  EXPECT_THAT(Ids(muted), ElementsAre("77:restrict:-1001000:501"));
  ASSERT_EQ(muted.audit.size(), 1u);
  EXPECT_EQ(muted.audit[0].kind, "restrict");

  config.policy = Policy::kDelete;
  const Decision deleted = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
  EXPECT_EQ(deleted.outcome, "silent");
  EXPECT_THAT(Ids(deleted), ElementsAre("77:delete:-1001000:10"));
}

TEST(DecideSubjectTest, ABasicGroupDeletesAndPromptsUnderEveryPolicy) {
  GroupConfig config = ProtectedGroup();
  config.basic_group = true;
  for (Policy policy : {Policy::kMute, Policy::kMuteAndDelete, Policy::kKick, Policy::kDelete}) {
    config.policy = policy;
    const Decision decision = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
    EXPECT_EQ(decision.outcome, "prompted");
    EXPECT_THAT(Ids(decision), ElementsAre("77:delete:-1001000:10", "77:prompt:-1001000:501"));
  }
}

TEST(DecideSubjectTest, WithThePromptAlreadyOutNothingMoreUnderMute) {
  const Decision decision =
      DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), NonMember(/*prompt_slot=*/false));
  EXPECT_EQ(decision.outcome, "prompt_pending");
  EXPECT_THAT(decision.actions, IsEmpty());
}

TEST(DecideSubjectTest, TimedMuteCountsFromTheMessage) {
  GroupConfig config = ProtectedGroup();
  config.mute_duration = absl::Hours(1);
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
  EXPECT_EQ(decision.actions[0].restrict_member().until_date(), 1'700'000'000 + 3600);
}

TEST(DecideSubjectTest, DeletePolicyDeletesEveryMessageAndPromptsOnce) {
  GroupConfig config = ProtectedGroup();
  config.policy = Policy::kDelete;
  const Decision first = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
  EXPECT_EQ(first.outcome, "prompted");
  EXPECT_THAT(Ids(first), ElementsAre("77:delete:-1001000:10", "77:prompt:-1001000:501"));
  ASSERT_EQ(first.audit.size(), 1u);
  EXPECT_EQ(first.audit[0].kind, "delete");

  const Decision later = DecideSubject(78, MessageSubject(), config, NonMember(/*prompt_slot=*/false));
  EXPECT_EQ(later.outcome, "prompt_pending");
  EXPECT_THAT(Ids(later), ElementsAre("78:delete:-1001000:10"));
}

TEST(DecideSubjectTest, MuteAndDeleteDoesBoth) {
  GroupConfig config = ProtectedGroup();
  config.policy = Policy::kMuteAndDelete;
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
  EXPECT_EQ(decision.outcome, "restricted");
  EXPECT_THAT(Ids(decision),
              ElementsAre("77:delete:-1001000:10", "77:restrict:-1001000:501", "77:prompt:-1001000:501"));
  EXPECT_EQ(decision.audit.size(), 2u);
}

TEST(DecideSubjectTest, KickDeletesThenBansAndUnbansOnlyIfBanned) {
  GroupConfig config = ProtectedGroup();
  config.policy = Policy::kKick;
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), config, NonMember());
  EXPECT_EQ(decision.outcome, "kicked");
  EXPECT_THAT(Ids(decision), ElementsAre("77:delete:-1001000:10", "77:ban:-1001000:501", "77:unban:-1001000:501"));
  EXPECT_TRUE(decision.actions[2].unban_member().only_if_banned());
  ASSERT_EQ(decision.audit.size(), 2u);
  EXPECT_EQ(decision.audit[1].kind, "kick");

  SubjectFacts pending = NonMember();
  pending.prompt_slot = false;
  EXPECT_THAT(Ids(DecideSubject(kUpdate, MessageSubject(), config, pending)), ElementsAre("77:delete:-1001000:10"));
}

TEST(DecideSubjectTest, JoinsAreCheckedWithoutDeletingAnything) {
  GroupConfig config = ProtectedGroup();
  config.policy = Policy::kMuteAndDelete;
  const Subject join = SubjectsOf(MembersJoined{.chat_id = kGroupId, .date = 5, .users = {User(kUserId)}})[0];
  EXPECT_THAT(Ids(DecideSubject(kUpdate, join, config, NonMember())),
              ElementsAre("77:restrict:-1001000:501", "77:prompt:-1001000:501"));
}

TEST(DecideSubjectTest, ChannelLeaveRestrictsOnlyThoseStillInTheGroup) {
  const MemberChanged left{.chat = Chat(kChannelA, "channel"), .user = User(kUserId), .date = 9};
  const Subject subject = SubjectOf(left, kGroupId, Trigger::kChannelLeave);
  EXPECT_EQ(DecideSubject(kUpdate, subject, ProtectedGroup(), NonMember()).outcome, "restricted");

  SubjectFacts gone = NonMember();
  gone.in_group = MemberStatus::kNotMember;
  const Decision decision = DecideSubject(kUpdate, subject, ProtectedGroup(), gone);
  EXPECT_EQ(decision.outcome, "not_in_group");
  EXPECT_THAT(decision.actions, IsEmpty());
}

TEST(DecideSubjectTest, PromptNamesOnlyTheMissingChannels) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  const SubjectFacts facts{.channels = {MemberStatus::kMember, MemberStatus::kNotMember},
                           .in_group = MemberStatus::kMember,
                           .prompt_slot = true};
  const Decision decision = DecideSubject(kUpdate, MessageSubject(), config, facts);
  const v1::SendMessage& prompt = decision.actions.back().send_message();
  EXPECT_EQ(prompt.text().find("@chan_a"), std::string::npos);
  EXPECT_NE(prompt.text().find("Channel 1002002"), std::string::npos);
  EXPECT_EQ(decision.audit[0].reason, "message; not a member of Channel 1002002");
}

TEST(DecideSubjectTest, SameFactsSameIds) {
  const Decision first = DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), NonMember());
  const Decision again = DecideSubject(kUpdate, MessageSubject(), ProtectedGroup(), NonMember());
  EXPECT_EQ(Ids(first), Ids(again));
}

}  // namespace
}  // namespace subguard::verifier::decide
