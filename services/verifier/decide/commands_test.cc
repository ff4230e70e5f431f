#include "services/verifier/decide/commands.h"

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
  const v1::Action& action = decision.actions[0];
  EXPECT_EQ(action.id(), "90:reply:-1001000:12");
  EXPECT_EQ(action.send_message().reply_to_message_id(), 12);
  return action.send_message().text();
}

ChannelLookup GoodChannel(std::string arg, int64_t id, std::string username) {
  ChannelLookup lookup{.arg = arg, .ref = "@" + username, .found = true, .bot = MemberStatus::kAdmin};
  lookup.chat = Chat(id, "channel", "Title " + username);
  lookup.chat.set_username(username);
  return lookup;
}

TEST(CommandSenderTest, AnonymousAdminNeedsNoLookup) {
  v1::Message message = GroupText("/protect @a");
  EXPECT_TRUE(NeedsSenderLookup(message));
  EXPECT_TRUE(SentByGroupAdmin(message, MemberStatus::kAdmin));
  EXPECT_FALSE(SentByGroupAdmin(message, MemberStatus::kMember));
  EXPECT_FALSE(SentByGroupAdmin(message, MemberStatus::kUnknown));

  *message.mutable_sender_chat() = Chat(kGroupId, "supergroup");
  EXPECT_FALSE(NeedsSenderLookup(message));
  EXPECT_TRUE(SentByGroupAdmin(message, MemberStatus::kUnknown));

  *message.mutable_sender_chat() = Chat(kChannelA, "channel");  // a channel speaking is not the group's admin
  EXPECT_TRUE(NeedsSenderLookup(message));
  EXPECT_FALSE(SentByGroupAdmin(message, MemberStatus::kUnknown));
}

TEST(RouteTest, AdminsRunEverything) {
  const GroupConfig config = ProtectedGroup();
  EXPECT_EQ(RouteGroupCommand(Cmd("/protect @a"), true, &config), CommandRoute::kRun);
  EXPECT_EQ(RouteGroupCommand(Cmd("/status"), true, nullptr), CommandRoute::kRun);
}

TEST(RouteTest, NonAdminsInAProtectedGroupAreJustWriting) {
  const GroupConfig config = ProtectedGroup();
  EXPECT_EQ(RouteGroupCommand(Cmd("/protect @a"), false, &config), CommandRoute::kTreatAsMessage);
  EXPECT_EQ(RouteGroupCommand(Cmd("/help"), false, &config), CommandRoute::kTreatAsMessage);
}

TEST(RouteTest, NonAdminsElsewhereGetHelpOrARefusal) {
  GroupConfig off = ProtectedGroup();
  off.enabled = false;
  EXPECT_EQ(RouteGroupCommand(Cmd("/help"), false, nullptr), CommandRoute::kRun);
  EXPECT_EQ(RouteGroupCommand(Cmd("/start"), false, &off), CommandRoute::kRun);
  EXPECT_EQ(RouteGroupCommand(Cmd("/protect @a"), false, nullptr), CommandRoute::kRefuse);
  EXPECT_EQ(RouteGroupCommand(Cmd("/unprotect"), false, &off), CommandRoute::kRefuse);
  EXPECT_EQ(RouteGroupCommand(Cmd("/status"), false, nullptr), CommandRoute::kRefuse);
}

TEST(SimpleCommandsTest, RefusalAndHelp) {
  const Decision refusal = DecideRefusal(kUpdate, Cmd("/protect @a"));
  EXPECT_EQ(refusal.outcome, "not_admin");
  EXPECT_EQ(ReplyText(refusal), "Only the group's admins can use this command.");
  EXPECT_FALSE(refusal.protect.has_value());

  GroupConfig spanish = ProtectedGroup();
  spanish.language = "es";
  EXPECT_THAT(ReplyText(DecideHelp(kUpdate, Cmd("/help"), &spanish)), HasSubstr("Administradores: /protect @canal"));
  const Decision help = DecideHelp(kUpdate, Cmd("/help"));
  EXPECT_EQ(help.outcome, "help");
  EXPECT_THAT(ReplyText(help), HasSubstr("/protect @channel"));
}

TEST(SimpleCommandsTest, PrivateChat) {
  v1::Message message = GroupText("/start", kUserId, 12);
  *message.mutable_chat() = Chat(kGroupId, "private");  // the chat id only shapes the action id here
  const Decision start = DecidePrivateCommand(kUpdate, PrivateCommand{message, {CommandName::kStart}});
  EXPECT_EQ(start.outcome, "help");
  EXPECT_THAT(ReplyText(start), HasSubstr("Ban users"));
  EXPECT_EQ(DecidePrivateCommand(kUpdate, PrivateCommand{message, {CommandName::kHelp}}).outcome, "help");
  const Decision protect = DecidePrivateCommand(kUpdate, PrivateCommand{message, {CommandName::kProtect, {"@a"}}});
  EXPECT_EQ(protect.outcome, "use_in_group");
  EXPECT_EQ(ReplyText(protect), "Send this command in the group you want to protect.");
}

TEST(SimpleCommandsTest, ApiKeyIsShownOnlyInPrivate) {
  v1::Message message = GroupText("/apikey", kUserId, 12);
  const Decision in_group = DecideApiKey(kUpdate, message, "");
  EXPECT_EQ(in_group.outcome, "apikey_in_group");
  EXPECT_THAT(ReplyText(in_group), HasSubstr("private chat"));
  *message.mutable_chat() = Chat(kGroupId, "private");  // the chat id only shapes the action id here
  const Decision issued = DecideApiKey(kUpdate, message, "sgk_0123");
  EXPECT_EQ(issued.outcome, "apikey");
  EXPECT_THAT(ReplyText(issued), HasSubstr("sgk_0123"));
}

TEST(ProtectTest, ABasicGroupIsProtectedWithDeleteRightsAlone) {
  GroupCommand basic = Cmd("/protect @chan_a");
  *basic.message.mutable_chat() = Chat(kGroupId, "group");
  EXPECT_TRUE(ProtectNeedsLookups(basic));
  v1::ChatMember bot = BotAdmin();
  bot.set_can_restrict_members(false);
  const Decision decision =
      DecideProtect(kUpdate, basic, {.bot_in_group = bot, .channels = {GoodChannel("@chan_a", kChannelA, "chan_a")}});
  EXPECT_EQ(decision.outcome, "protected");
  EXPECT_THAT(ReplyText(decision), HasSubstr("This is a basic group"));
  ASSERT_TRUE(decision.protect.has_value());
  EXPECT_TRUE(decision.protect->basic_group);
  // A supergroup still needs both rights.
  EXPECT_EQ(DecideProtect(kUpdate, Cmd("/protect @chan_a"),
                          {.bot_in_group = bot, .channels = {GoodChannel("@chan_a", kChannelA, "chan_a")}})
                .outcome,
            "protect_refused");
}

TEST(ProtectTest, NeedsArguments) {
  const GroupCommand bare = Cmd("/protect");
  EXPECT_FALSE(ProtectNeedsLookups(bare));
  const Decision usage = DecideProtect(kUpdate, bare, {});
  EXPECT_EQ(usage.outcome, "protect_refused");
  EXPECT_EQ(ReplyText(usage), "Usage: /protect @channel [@channel2 ...]");
  EXPECT_TRUE(ProtectNeedsLookups(Cmd("/protect @chan_a")));
}

TEST(ProtectTest, Success) {
  const ProtectFacts facts{
      .bot_in_group = BotAdmin(),
      .channels = {GoodChannel("@chan_a", kChannelA, "chan_a"), GoodChannel("t.me/chan_b", kChannelB, "chan_b")}};
  const Decision decision = DecideProtect(kUpdate, Cmd("/protect @chan_a t.me/chan_b"), facts);
  EXPECT_EQ(decision.outcome, "protected");
  EXPECT_EQ(ReplyText(decision), "Protection is on. Members must join @chan_a, @chan_b before writing here.");
  ASSERT_TRUE(decision.protect.has_value());
  EXPECT_EQ(decision.protect->chat_id, kGroupId);
  EXPECT_EQ(decision.protect->title, "Group");
  EXPECT_EQ(decision.protect->owner.id(), kUserId);
  ASSERT_EQ(decision.protect->channels.size(), 2u);
  EXPECT_EQ(decision.protect->channels[0].id, kChannelA);
  EXPECT_EQ(decision.protect->channels[0].username, "chan_a");
  EXPECT_EQ(decision.protect->channels[1].title, "Title chan_b");
}

TEST(ProtectTest, TheSameChannelTwiceIsLinkedOnce) {
  const ProtectFacts facts{
      .bot_in_group = BotAdmin(),
      .channels = {GoodChannel("@chan_a", kChannelA, "chan_a"), GoodChannel("-1002001", kChannelA, "chan_a")}};
  EXPECT_EQ(DecideProtect(kUpdate, Cmd("/protect @chan_a -1002001"), facts).protect->channels.size(), 1u);
}

TEST(ProtectTest, PrivateChannelKeepsItsInviteLink) {
  ChannelLookup lookup = GoodChannel("-1002002", kChannelB, "");
  lookup.invite_link = "https://t.me/+abc";
  const Decision decision =
      DecideProtect(kUpdate, Cmd("/protect -1002002"), {.bot_in_group = BotAdmin(), .channels = {lookup}});
  ASSERT_TRUE(decision.protect.has_value());
  EXPECT_EQ(decision.protect->channels[0].invite_link, "https://t.me/+abc");
  EXPECT_THAT(ReplyText(decision), HasSubstr("Title "));
}

TEST(ProtectTest, AnonymousAdminOwnsWithoutAUser) {
  GroupCommand command = Cmd("/protect @chan_a");
  *command.message.mutable_from() = User(1087968824);
  *command.message.mutable_sender_chat() = Chat(kGroupId, "supergroup");
  const Decision decision = DecideProtect(
      kUpdate, command, {.bot_in_group = BotAdmin(), .channels = {GoodChannel("@chan_a", kChannelA, "chan_a")}});
  ASSERT_TRUE(decision.protect.has_value());
  EXPECT_EQ(decision.protect->owner.id(), 0);
}

TEST(ProtectTest, BotRightsInTheGroup) {
  const auto reply = [](v1::ChatMember bot) {
    const Decision decision =
        DecideProtect(kUpdate, Cmd("/protect @chan_a"),
                      {.bot_in_group = bot, .channels = {GoodChannel("@chan_a", kChannelA, "chan_a")}});
    EXPECT_EQ(decision.outcome, "protect_refused");
    EXPECT_FALSE(decision.protect.has_value());
    return ReplyText(decision);
  };
  EXPECT_EQ(reply(Member(kBot.id, "member")),
            "Protection is not on yet:\nI need to be an admin here with these rights: Ban users, Delete messages.");
  EXPECT_THAT(reply(BotAdmin(/*can_restrict=*/false, true)), HasSubstr("these rights: Ban users."));
  EXPECT_THAT(reply(BotAdmin(true, /*can_delete=*/false)), HasSubstr("these rights: Delete messages."));
}

TEST(ProtectTest, EveryChannelProblemIsNamed) {
  ChannelLookup bad_ref{.arg = "t.me/+invite"};
  ChannelLookup not_found{.arg = "@ghost", .ref = "@ghost"};
  ChannelLookup group = GoodChannel("@a_group", -1003, "a_group");
  group.chat.set_type("supergroup");
  ChannelLookup not_admin = GoodChannel("@chan_b", kChannelB, "chan_b");
  not_admin.bot = MemberStatus::kMember;
  ChannelLookup unseen = GoodChannel("@chan_c", -1004, "chan_c");
  unseen.bot = MemberStatus::kUnknown;
  const ProtectFacts facts{
      .bot_in_group = BotAdmin(),
      .channels = {bad_ref, not_found, group, not_admin, unseen, GoodChannel("@chan_a", kChannelA, "chan_a")}};
  const Decision decision = DecideProtect(kUpdate, Cmd("/protect x"), facts);
  EXPECT_EQ(decision.outcome, "protect_refused");
  EXPECT_FALSE(decision.protect.has_value());
  EXPECT_EQ(ReplyText(decision),
            "Protection is not on yet:\n"
            "t.me/+invite is not a channel I can look up: send its @username, t.me link or numeric id.\n"
            "I can't see @ghost. Add me to it as an admin, then try again.\n"
            "@a_group is not a channel.\n"
            "I'm not an admin in @chan_b. Add me there as an admin so I can see who joined.\n"
            "I'm not an admin in @chan_c. Add me there as an admin so I can see who joined.");
}

TEST(UnprotectTest, SwitchesOffAnEnabledGroup) {
  const GroupConfig config = ProtectedGroup();
  const Decision decision = DecideUnprotect(kUpdate, Cmd("/unprotect"), &config);
  EXPECT_EQ(decision.outcome, "unprotected");
  EXPECT_EQ(decision.unprotect, kGroupId);
  EXPECT_THAT(ReplyText(decision), HasSubstr("Protection is off"));
}

TEST(UnprotectTest, NothingToSwitchOff) {
  GroupConfig off = ProtectedGroup();
  off.enabled = false;
  EXPECT_EQ(DecideUnprotect(kUpdate, Cmd("/unprotect"), nullptr).outcome, "not_protected");
  const Decision decision = DecideUnprotect(kUpdate, Cmd("/unprotect"), &off);
  EXPECT_EQ(decision.outcome, "not_protected");
  EXPECT_FALSE(decision.unprotect.has_value());
}

TEST(StatusTest, NotProtectedOrOff) {
  EXPECT_FALSE(StatusNeedsLookups(nullptr));
  EXPECT_THAT(ReplyText(DecideStatus(kUpdate, Cmd("/status"), nullptr, {})), HasSubstr("not protected"));
  GroupConfig off = ProtectedGroup();
  off.enabled = false;
  EXPECT_FALSE(StatusNeedsLookups(&off));
  EXPECT_EQ(ReplyText(DecideStatus(kUpdate, Cmd("/status"), &off, {})), "Protection is off.");
}

TEST(StatusTest, ReportsEachChannelAndTheGroupRights) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB, -1004});
  EXPECT_TRUE(StatusNeedsLookups(&config));
  const StatusFacts facts{.bot_in_group = BotAdmin(true, false),
                          .bot_in_channels = {MemberStatus::kAdmin, MemberStatus::kUnknown, MemberStatus::kMember},
                          .restricted = 3};
  const Decision decision = DecideStatus(kUpdate, Cmd("/status"), &config, facts);
  EXPECT_EQ(decision.outcome, "status");
  EXPECT_EQ(ReplyText(decision),
            "Protection is on.\nChannels:\n"
            "• @chan_a: ok\n"
            "• Channel 1002002: I can't see it; add me there as an admin\n"
            "• Channel 1004: I'm not an admin there; members can't be checked\n"
            "My rights here: missing Delete messages.\n"
            "Muted by me and not yet verified: 3.");
  const StatusFacts good{.bot_in_group = BotAdmin(), .bot_in_channels = {MemberStatus::kAdmin}};
  const GroupConfig one = ProtectedGroup();
  EXPECT_THAT(ReplyText(DecideStatus(kUpdate, Cmd("/status"), &one, good)), HasSubstr("My rights here: ok."));
}

TEST(StatusTest, ShowsSilentModeAndTheLastErrors) {
  GroupConfig config = ProtectedGroup();
  config.silent = true;
  const StatusFacts facts{
      .bot_in_group = BotAdmin(),
      .bot_in_channels = {MemberStatus::kAdmin},
      .errors = {{.at = absl::FromUnixSeconds(1'700'000'000),
                  .method = "restrictChatMember",
                  .description = "Bad Request: not enough rights to restrict/unrestrict chat member"},
                 {.at = absl::FromUnixSeconds(1'699'999'940), .method = "sendMessage", .description = "Forbidden"}}};
  EXPECT_EQ(ReplyText(DecideStatus(kUpdate, Cmd("/status"), &config, facts)),
            "Protection is on.\nChannels:\n• @chan_a: ok\nMy rights here: ok.\n"
            "Muted by me and not yet verified: 0.\n"
            "Silent mode is on: non-members are restricted without a message; joining lifts it.\n\n"
            "Last errors from Telegram:\n"
            "• 2023-11-14 22:13 UTC, restrictChatMember: Bad Request: not enough rights to restrict/unrestrict chat "
            "member\n"
            "• 2023-11-14 22:12 UTC, sendMessage: Forbidden");
  config.language = "es";
  const std::string spanish = ReplyText(DecideStatus(kUpdate, Cmd("/status"), &config, facts));
  EXPECT_THAT(spanish, HasSubstr("El modo silencioso está activo"));
  EXPECT_THAT(spanish, HasSubstr("Últimos errores de Telegram:\n• 2023-11-14 22:13 UTC, restrictChatMember: "));
}

}  // namespace
}  // namespace subguard::verifier::decide
