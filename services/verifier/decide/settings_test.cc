#include "services/verifier/decide/settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders
using ::testing::HasSubstr;

constexpr int64_t kUpdate = 90;

GroupCommand Cmd(std::string text) {
  const v1::Message message = GroupText(text, kUserId, 12);
  return GroupCommand{message, *ParseCommand(text, kBot.username)};
}

std::string ReplyText(const Decision& decision) {
  EXPECT_EQ(decision.actions.size(), 1u);
  if (decision.actions.empty()) return "";
  EXPECT_EQ(decision.actions[0].send_message().reply_to_message_id(), 12);
  return decision.actions[0].send_message().text();
}

// The configuration a "/settings <name> <value>" stores; fails the test when nothing is stored.
GroupConfig Changed(const std::string& text, const GroupConfig& config = ProtectedGroup()) {
  const Decision decision = DecideSettings(kUpdate, Cmd(text), &config);
  EXPECT_EQ(decision.outcome, "settings_changed") << text << ": " << ReplyText(decision);
  EXPECT_TRUE(decision.settings.has_value()) << text;
  return decision.settings.value_or(GroupConfig{});
}

void ExpectRefused(const std::string& text, const std::string& reply_part) {
  const GroupConfig config = ProtectedGroup();
  const Decision decision = DecideSettings(kUpdate, Cmd(text), &config);
  EXPECT_EQ(decision.outcome, "settings_refused") << text;
  EXPECT_FALSE(decision.settings.has_value()) << text;
  EXPECT_THAT(ReplyText(decision), HasSubstr(reply_part)) << text;
}

TEST(SettingDurationTest, Parses) {
  EXPECT_EQ(ParseSettingDuration("90"), absl::Seconds(90));
  EXPECT_EQ(ParseSettingDuration("90s"), absl::Seconds(90));
  EXPECT_EQ(ParseSettingDuration("5m"), absl::Minutes(5));
  EXPECT_EQ(ParseSettingDuration("12H"), absl::Hours(12));
  EXPECT_EQ(ParseSettingDuration("7d"), absl::Hours(24 * 7));
  for (const char* bad : {"", "m", "0", "0m", "-5", "+5", "5w", "1.5h", "9999999999"}) {
    EXPECT_FALSE(ParseSettingDuration(bad).has_value()) << bad;
  }
}

TEST(SettingDurationTest, FormatsTheShortestExactForm) {
  EXPECT_EQ(FormatSettingDuration(absl::Seconds(90)), "90s");
  EXPECT_EQ(FormatSettingDuration(absl::Seconds(300)), "5m");
  EXPECT_EQ(FormatSettingDuration(absl::Hours(12)), "12h");
  EXPECT_EQ(FormatSettingDuration(absl::Hours(48)), "2d");
}

TEST(SettingsTest, NeedsAProtectedGroup) {
  const Decision decision = DecideSettings(kUpdate, Cmd("/settings policy kick"), nullptr);
  EXPECT_EQ(decision.outcome, "not_protected");
  EXPECT_FALSE(decision.settings.has_value());
}

TEST(SettingsTest, ViewShowsEverySetting) {
  GroupConfig config = ProtectedGroup();
  config.exempt_users = {42, 7};
  const Decision decision = DecideSettings(kUpdate, Cmd("/settings"), &config);
  EXPECT_EQ(decision.outcome, "settings");
  EXPECT_FALSE(decision.settings.has_value());
  const std::string text = ReplyText(decision);
  EXPECT_THAT(text, HasSubstr("policy: mute\n"));
  EXPECT_THAT(text, HasSubstr("prompt: default\n"));
  EXPECT_THAT(text, HasSubstr("prompt_delete: off"));
  EXPECT_THAT(text, HasSubstr("mute: until verified\n"));
  EXPECT_THAT(text, HasSubstr("join: on\n"));
  EXPECT_THAT(text, HasSubstr("bots: off\n"));
  EXPECT_THAT(text, HasSubstr("join_requests: off\n"));
  EXPECT_THAT(text, HasSubstr("silent: off\n"));
  EXPECT_THAT(text, HasSubstr("language: en\n"));
  EXPECT_THAT(text, HasSubstr("Exempted users: 7, 42\n"));
}

TEST(SettingsTest, ViewShowsChangedValues) {
  GroupConfig config = ProtectedGroup();
  config.policy = Policy::kMuteAndDelete;
  config.prompt_template = "Join {channels}!";
  config.prompt_delete_after = absl::Minutes(2);
  config.mute_duration = absl::Hours(24);
  config.check_on_join = false;
  config.restrict_bots = true;
  config.accept_join_requests = true;
  config.silent = true;
  const std::string text = ReplyText(DecideSettings(kUpdate, Cmd("/settings"), &config));
  EXPECT_THAT(text, HasSubstr("silent: on\n"));
  EXPECT_THAT(text, HasSubstr("policy: mute_and_delete\n"));
  EXPECT_THAT(text, HasSubstr("prompt: Join {channels}!\n"));
  EXPECT_THAT(text, HasSubstr("prompt_delete: 2m\n"));
  EXPECT_THAT(text, HasSubstr("mute: 1d\n"));
  EXPECT_THAT(text, HasSubstr("join: off\n"));
  EXPECT_THAT(text, HasSubstr("bots: on\n"));
  EXPECT_THAT(text, HasSubstr("join_requests: on\n"));
  EXPECT_THAT(text, HasSubstr("Exempted users: none\n"));
}

TEST(SettingsTest, Policy) {
  EXPECT_EQ(Changed("/settings policy delete").policy, Policy::kDelete);
  EXPECT_EQ(Changed("/settings policy mute_and_delete").policy, Policy::kMuteAndDelete);
  EXPECT_EQ(Changed("/settings POLICY Kick").policy, Policy::kKick);
  GroupConfig kick = ProtectedGroup();
  kick.policy = Policy::kKick;
  EXPECT_EQ(Changed("/settings policy mute", kick).policy, Policy::kMute);
  ExpectRefused("/settings policy ban", "\"ban\" is not a value for policy");
  ExpectRefused("/settings policy", "is not a value for policy");
}

TEST(SettingsTest, ChangingOneSettingKeepsTheOthers) {
  GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  config.exempt_users = {42};
  config.mute_duration = absl::Hours(1);
  const GroupConfig changed = Changed("/settings policy delete", config);
  EXPECT_EQ(changed.chat_id, kGroupId);
  EXPECT_EQ(changed.channels.size(), 2u);
  EXPECT_EQ(changed.mute_duration, absl::Hours(1));
  EXPECT_TRUE(changed.exempt_users.contains(42));
}

TEST(SettingsTest, PromptKeepsItsSpacingAndCommas) {
  const GroupConfig config = ProtectedGroup();
  const Decision decision =
      DecideSettings(kUpdate, Cmd("/settings prompt  Hi {user},  join {channels} first!"), &config);
  ASSERT_TRUE(decision.settings.has_value());
  EXPECT_EQ(decision.settings->prompt_template, "Hi {user},  join {channels} first!");
  EXPECT_THAT(ReplyText(decision), HasSubstr("prompt is now Hi {user},  join {channels} first!"));
  GroupConfig custom = ProtectedGroup();
  custom.prompt_template = "x";
  EXPECT_EQ(Changed("/settings prompt default", custom).prompt_template, "");
  ExpectRefused("/settings prompt", "is not a value for prompt");
}

TEST(SettingsTest, PromptDelete) {
  EXPECT_EQ(Changed("/settings prompt_delete 60").prompt_delete_after, absl::Seconds(60));
  EXPECT_EQ(Changed("/settings prompt_delete 5m").prompt_delete_after, absl::Minutes(5));
  GroupConfig config = ProtectedGroup();
  config.prompt_delete_after = absl::Minutes(5);
  EXPECT_EQ(Changed("/settings prompt_delete off", config).prompt_delete_after, absl::ZeroDuration());
  ExpectRefused("/settings prompt_delete 3d", "is not a value for prompt_delete");  // past Telegram's 48 hours
  ExpectRefused("/settings prompt_delete soon", "is not a value");
}

TEST(SettingsTest, Mute) {
  EXPECT_EQ(Changed("/settings mute 30m").mute_duration, absl::Minutes(30));
  EXPECT_EQ(Changed("/settings mute 366d").mute_duration, absl::Hours(24 * 366));
  GroupConfig config = ProtectedGroup();
  config.mute_duration = absl::Hours(1);
  EXPECT_EQ(Changed("/settings mute until_verified", config).mute_duration, absl::ZeroDuration());
  // Telegram would make these "forever".
  ExpectRefused("/settings mute 10s", "is not a value for mute");
  ExpectRefused("/settings mute 367d", "is not a value for mute");
}

TEST(SettingsTest, Switches) {
  EXPECT_FALSE(Changed("/settings join off").check_on_join);
  EXPECT_FALSE(Changed("/settings check_on_join no").check_on_join);
  GroupConfig off = ProtectedGroup();
  off.check_on_join = false;
  EXPECT_TRUE(Changed("/settings join on", off).check_on_join);
  EXPECT_TRUE(Changed("/settings bots on").restrict_bots);
  EXPECT_TRUE(Changed("/settings join_requests on").accept_join_requests);
  EXPECT_TRUE(Changed("/settings join_requests on").check_on_join);  // the join check is its own switch
  ExpectRefused("/settings join_requests later", "is not a value for join_requests");
  ExpectRefused("/settings join maybe", "is not a value for join");
}

TEST(SettingsTest, SilentMode) {
  EXPECT_TRUE(Changed("/settings silent on").silent);
  GroupConfig silent = ProtectedGroup();
  silent.silent = true;
  const GroupConfig off = Changed("/settings silent off", silent);
  EXPECT_FALSE(off.silent);
  EXPECT_EQ(off.policy, Policy::kMute);  // the policy is its own setting
  ExpectRefused("/settings silent quietly", "is not a value for silent");
  silent.language = "es";
  EXPECT_THAT(ReplyText(DecideSettings(kUpdate, Cmd("/settings"), &silent)), HasSubstr("silent: on\n"));
  EXPECT_EQ(ReplyText(DecideSettings(kUpdate, Cmd("/settings silent off"), &silent)), "Hecho: silent ahora es off.");
}

TEST(SettingsTest, Language) {
  const GroupConfig config = ProtectedGroup();
  const Decision decision = DecideSettings(kUpdate, Cmd("/settings language EN"), &config);
  ASSERT_TRUE(decision.settings.has_value());
  EXPECT_EQ(decision.settings->language, "en");
  EXPECT_EQ(ReplyText(decision), "Done: language is now en.");
  ExpectRefused("/settings language xx", "\"xx\" is not a value for language");
}

TEST(SettingsTest, SpanishIsChosenPerGroupAndSpokenAtOnce) {
  GroupConfig config = ProtectedGroup();
  const Decision decision = DecideSettings(kUpdate, Cmd("/settings language es"), &config);
  ASSERT_TRUE(decision.settings.has_value());
  EXPECT_EQ(decision.settings->language, "es");
  EXPECT_EQ(ReplyText(decision), "Hecho: language ahora es es.");
  config.language = "es";
  EXPECT_THAT(ReplyText(DecideSettings(kUpdate, Cmd("/settings"), &config)), HasSubstr("Usuarios exentos: ninguno"));
  EXPECT_EQ(ReplyText(DecideSettings(kUpdate, Cmd("/settings language en"), &config)), "Done: language is now en.");
}

TEST(SettingsTest, UnknownSetting) { ExpectRefused("/settings colour blue", "There is no setting \"colour\""); }

TEST(ExemptionTest, ExemptAndUnexempt) {
  GroupConfig config = ProtectedGroup();
  const Decision exempt = DecideExemption(kUpdate, Cmd("/exempt 42"), &config);
  EXPECT_EQ(exempt.outcome, "exempted");
  ASSERT_TRUE(exempt.exemption.has_value());
  EXPECT_EQ(exempt.exemption->chat_id, kGroupId);
  EXPECT_EQ(exempt.exemption->user_id, 42);
  EXPECT_EQ(exempt.exemption->added_by, kUserId);
  EXPECT_TRUE(exempt.exemption->exempt);
  EXPECT_THAT(ReplyText(exempt), HasSubstr("User 42 is exempted"));

  config.exempt_users.insert(42);
  const Decision unexempt = DecideExemption(kUpdate, Cmd("/unexempt 42"), &config);
  EXPECT_EQ(unexempt.outcome, "unexempted");
  ASSERT_TRUE(unexempt.exemption.has_value());
  EXPECT_FALSE(unexempt.exemption->exempt);
}

TEST(ExemptionTest, AnonymousAdminAddsAsNobody) {
  const GroupConfig config = ProtectedGroup();
  GroupCommand command = Cmd("/exempt 42");
  *command.message.mutable_sender_chat() = Chat(kGroupId, "supergroup");
  const Decision decision = DecideExemption(kUpdate, command, &config);
  ASSERT_TRUE(decision.exemption.has_value());
  EXPECT_EQ(decision.exemption->added_by, 0);
}

TEST(ExemptionTest, ByReplyToTheUsersMessage) {
  GroupConfig config = ProtectedGroup();
  GroupCommand command = Cmd("/exempt");
  *command.message.mutable_reply_to_message() = GroupText("may I stay?", /*from=*/42, /*message_id=*/9);
  const Decision exempt = DecideExemption(kUpdate, command, &config);
  ASSERT_TRUE(exempt.exemption.has_value());
  EXPECT_EQ(exempt.exemption->user_id, 42);
  EXPECT_TRUE(exempt.exemption->exempt);

  config.exempt_users.insert(42);
  command.command.name = CommandName::kUnexempt;
  const Decision unexempt = DecideExemption(kUpdate, command, &config);
  ASSERT_TRUE(unexempt.exemption.has_value());
  EXPECT_FALSE(unexempt.exemption->exempt);

  // A reply to a message sent on behalf of a chat names no user.
  command.command.name = CommandName::kExempt;
  *command.message.mutable_reply_to_message()->mutable_sender_chat() = Chat(kChannelA, "channel");
  EXPECT_EQ(DecideExemption(kUpdate, command, &config).outcome, "exempt_refused");
}

TEST(ExemptionTest, Refusals) {
  const GroupConfig config = ProtectedGroup();
  EXPECT_EQ(DecideExemption(kUpdate, Cmd("/exempt 42"), nullptr).outcome, "not_protected");
  for (const char* text : {"/exempt", "/exempt @someone", "/exempt 42 43", "/exempt -5", "/unexempt"}) {
    const Decision decision = DecideExemption(kUpdate, Cmd(text), &config);
    EXPECT_EQ(decision.outcome, "exempt_refused") << text;
    EXPECT_FALSE(decision.exemption.has_value()) << text;
  }
  const Decision decision = DecideExemption(kUpdate, Cmd("/unexempt 42"), &config);
  EXPECT_EQ(decision.outcome, "not_exempted");
  EXPECT_FALSE(decision.exemption.has_value());
}

}  // namespace
}  // namespace subguard::verifier::decide
