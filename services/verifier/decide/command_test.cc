#include "services/verifier/decide/command.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace subguard::verifier::decide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ParseCommandTest, PlainCommandWithArguments) {
  auto command = ParseCommand("/protect @a @b", "GuardBot");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->name, CommandName::kProtect);
  EXPECT_THAT(command->args, ElementsAre("@a", "@b"));
}

TEST(ParseCommandTest, AddressedToThisBotInAnyCase) {
  auto command = ParseCommand("/protect@guardbot @a,@b,  @c", "GuardBot");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->name, CommandName::kProtect);
  EXPECT_THAT(command->args, ElementsAre("@a", "@b", "@c"));
}

TEST(ParseCommandTest, EveryKnownCommand) {
  EXPECT_EQ(ParseCommand("/start", "GuardBot")->name, CommandName::kStart);
  EXPECT_EQ(ParseCommand("/help", "GuardBot")->name, CommandName::kHelp);
  EXPECT_EQ(ParseCommand("/unprotect", "GuardBot")->name, CommandName::kUnprotect);
  EXPECT_EQ(ParseCommand("/STATUS", "GuardBot")->name, CommandName::kStatus);
  EXPECT_THAT(ParseCommand("/status", "GuardBot")->args, IsEmpty());
}

TEST(ParseCommandTest, SettingsAndExemptionsKeepTheRestOfTheText) {
  auto command = ParseCommand("/settings@GuardBot prompt  Hi {user},  join {channels} ", "GuardBot");
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->name, CommandName::kSettings);
  EXPECT_EQ(command->rest, "prompt  Hi {user},  join {channels}");
  EXPECT_EQ(ParseCommand("/exempt 42", "GuardBot")->name, CommandName::kExempt);
  EXPECT_EQ(ParseCommand("/unexempt 42", "GuardBot")->name, CommandName::kUnexempt);
  EXPECT_EQ(ParseCommand("/apikey", "GuardBot")->name, CommandName::kApiKey);
  EXPECT_FALSE(ParseCommand("/settings@OtherBot policy kick", "GuardBot").has_value());
}

TEST(ParseCommandTest, ArgumentsAcrossLines) {
  EXPECT_THAT(ParseCommand("/protect\n@a\n@b", "GuardBot")->args, ElementsAre("@a", "@b"));
}

TEST(ParseCommandTest, IgnoresOtherBotsUnknownCommandsAndText) {
  EXPECT_FALSE(ParseCommand("/protect@OtherBot @a", "GuardBot").has_value());
  EXPECT_FALSE(ParseCommand("/protect@ @a", "GuardBot").has_value());
  EXPECT_FALSE(ParseCommand("/ban 123", "GuardBot").has_value());
  EXPECT_FALSE(ParseCommand("hello /protect", "GuardBot").has_value());
  EXPECT_FALSE(ParseCommand("", "GuardBot").has_value());
  EXPECT_FALSE(ParseCommand("/", "GuardBot").has_value());
  EXPECT_FALSE(ParseCommand("/protectme", "GuardBot").has_value());
}

TEST(ChannelRefTest, UsernamesAndLinks) {
  EXPECT_EQ(ChannelRefForGetChat("@news_ch"), "@news_ch");
  EXPECT_EQ(ChannelRefForGetChat("news_ch"), "@news_ch");
  EXPECT_EQ(ChannelRefForGetChat("t.me/news_ch"), "@news_ch");
  EXPECT_EQ(ChannelRefForGetChat("https://t.me/news_ch"), "@news_ch");
  EXPECT_EQ(ChannelRefForGetChat("http://telegram.me/news_ch/"), "@news_ch");
}

TEST(ChannelRefTest, NumericIds) {
  EXPECT_EQ(ChannelRefForGetChat("-1001234567890"), "-1001234567890");
  EXPECT_FALSE(ChannelRefForGetChat("1234").has_value());  // a user id, not a chat
}

TEST(ChannelRefTest, RejectsWhatGetChatCannotResolve) {
  EXPECT_FALSE(ChannelRefForGetChat("https://t.me/+AbCdEf").has_value());
  EXPECT_FALSE(ChannelRefForGetChat("https://t.me/joinchat/AbCdEf").has_value());
  EXPECT_FALSE(ChannelRefForGetChat("@ab").has_value());
  EXPECT_FALSE(ChannelRefForGetChat("@1abc").has_value());
  EXPECT_FALSE(ChannelRefForGetChat("@bad-name").has_value());
  EXPECT_FALSE(ChannelRefForGetChat("https://example.com/x").has_value());
  EXPECT_FALSE(ChannelRefForGetChat("").has_value());
}

}  // namespace
}  // namespace subguard::verifier::decide
