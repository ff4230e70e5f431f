#include "services/verifier/decide/prompt.h"

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "services/verifier/decide/test_util.h"

namespace subguard::verifier::decide {
namespace {

using namespace testing;  // NOLINT: the builders

TEST(RenderPromptTest, MentionsTheUserAndNamesTheChannels) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  const v1::SendMessage prompt = RenderPrompt(config, User(kUserId, "Ann <3"), config.channels);
  EXPECT_EQ(prompt.parse_mode(), "HTML");
  EXPECT_NE(prompt.text().find("<a href=\"tg://user?id=501\">Ann &lt;3</a>"), std::string::npos) << prompt.text();
  EXPECT_NE(prompt.text().find("@chan_a, Channel 1002002"), std::string::npos) << prompt.text();
}

TEST(RenderPromptTest, CarriesWhatCoalescingNeeds) {
  const GroupConfig config = ProtectedGroup({kChannelA});
  const v1::SendMessage prompt = RenderPrompt(config, User(kUserId, "Ann"), config.channels);
  const v1::PromptBatch& batch = prompt.batch();
  EXPECT_EQ(batch.user_id(), kUserId);
  EXPECT_EQ(batch.mention(), "<a href=\"tg://user?id=501\">Ann</a>");
  // The same text with the marker where the user was.
  EXPECT_EQ(absl::StrReplaceAll(batch.text(), {{"<users/>", batch.mention()}}), prompt.text());
  EXPECT_EQ(batch.callback_data(), "check:501");
  EXPECT_EQ(batch.shared_callback_data(), "check:0");
  EXPECT_EQ(prompt.keyboard(prompt.keyboard_size() - 1).buttons(0).callback_data(), "check:501");
}

TEST(RenderPromptTest, CarriesTheGroupsAutoDelete) {
  GroupConfig config = ProtectedGroup();
  EXPECT_EQ(RenderPrompt(config, User(kUserId), config.channels).delete_after_seconds(), 0u);
  config.prompt_delete_after = absl::Minutes(2);
  EXPECT_EQ(RenderPrompt(config, User(kUserId), config.channels).delete_after_seconds(), 120u);
}

TEST(RenderPromptTest, SpeaksTheGroupsLanguage) {
  GroupConfig config = ProtectedGroup();
  config.language = "es";
  const v1::SendMessage prompt = RenderPrompt(config, User(kUserId), config.channels);
  EXPECT_NE(prompt.text().find("únete primero a @chan_a"), std::string::npos) << prompt.text();
  EXPECT_EQ(prompt.keyboard(0).buttons(0).text(), "Unirme a @chan_a");
  EXPECT_EQ(prompt.keyboard(1).buttons(0).text(), "Ya me uní");
}

TEST(RenderPromptTest, ButtonsLinkEachChannelThenCheck) {
  const GroupConfig config = ProtectedGroup({kChannelA, kChannelB});
  const v1::SendMessage prompt = RenderPrompt(config, User(kUserId), config.channels);
  ASSERT_EQ(prompt.keyboard_size(), 3);
  EXPECT_EQ(prompt.keyboard(0).buttons(0).url(), "https://t.me/chan_a");
  EXPECT_EQ(prompt.keyboard(0).buttons(0).text(), "Join @chan_a");
  EXPECT_EQ(prompt.keyboard(1).buttons(0).url(), "https://t.me/+secret");
  EXPECT_EQ(prompt.keyboard(2).buttons(0).callback_data(), "check:501");
  EXPECT_EQ(prompt.keyboard(2).buttons(0).text(), "I have joined");
  EXPECT_EQ(prompt.keyboard(2).buttons(0).url(), "");
}

TEST(RenderPromptTest, AChannelWithoutALinkGetsNoButton) {
  GroupConfig config = ProtectedGroup({kChannelB});
  config.channels[0].invite_link = "";
  const v1::SendMessage prompt = RenderPrompt(config, User(kUserId), config.channels);
  ASSERT_EQ(prompt.keyboard_size(), 1);
  EXPECT_EQ(prompt.keyboard(0).buttons(0).callback_data(), "check:501");
}

TEST(RenderPromptTest, OwnersTemplateIsEscaped) {
  GroupConfig config = ProtectedGroup();
  config.prompt_template = "<b>Hi</b> {user}: join {channels} & {channels}";
  const v1::SendMessage prompt = RenderPrompt(config, User(kUserId, "Bo"), config.channels);
  EXPECT_EQ(prompt.text(), "&lt;b&gt;Hi&lt;/b&gt; <a href=\"tg://user?id=501\">Bo</a>: join @chan_a &amp; @chan_a");
}

TEST(RenderPromptTest, UserWithoutANameIsMentionedByUsernameOrId) {
  const GroupConfig config = ProtectedGroup();
  v1::User user = User(kUserId, "");
  EXPECT_NE(RenderPrompt(config, user, config.channels).text().find(">501</a>"), std::string::npos);
  user.set_username("ann");
  EXPECT_NE(RenderPrompt(config, user, config.channels).text().find(">ann</a>"), std::string::npos);
  user.set_first_name("Ann");
  user.set_last_name("Lee");
  EXPECT_NE(RenderPrompt(config, user, config.channels).text().find(">Ann Lee</a>"), std::string::npos);
}

}  // namespace
}  // namespace subguard::verifier::decide
