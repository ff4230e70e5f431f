#include "services/sandbox/text_entities.h"

#include "gtest/gtest.h"

namespace subguard::sandbox {
namespace {

TEST(TextEntitiesTest, CountsUtf16CodeUnits) {
  EXPECT_EQ(Utf16Length("abc"), 3);
  EXPECT_EQ(Utf16Length("ü"), 1);
  EXPECT_EQ(Utf16Length("😀"), 2);  // outside the BMP: a surrogate pair
}

TEST(TextEntitiesTest, DetectsCommandsMentionsAndLinks) {
  const std::vector<Entity> entities = DetectEntities("/protect@guard_bot @news_channel see https://t.me/x ok");
  ASSERT_EQ(entities.size(), 3u);
  EXPECT_EQ(entities[0], (Entity{"bot_command", 0, 18, ""}));
  EXPECT_EQ(entities[1], (Entity{"mention", 19, 13, ""}));
  EXPECT_EQ(entities[2], (Entity{"url", 37, 14, ""}));
  EXPECT_TRUE(DetectEntities("a/b mail@host.com").empty());
  EXPECT_EQ(DetectEntities("😀 /start")[0].offset, 3);
}

TEST(TextEntitiesTest, ParsesTelegramHtml) {
  auto parsed = ParseHtml("<b>Hi <i>you</i></b> &lt;3 <a href=\"https://t.me/c\">link</a>&#33;");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->text, "Hi you <3 link!");
  ASSERT_EQ(parsed->entities.size(), 3u);
  EXPECT_EQ(parsed->entities[0], (Entity{"bold", 0, 6, ""}));
  EXPECT_EQ(parsed->entities[1], (Entity{"italic", 3, 3, ""}));
  EXPECT_EQ(parsed->entities[2], (Entity{"text_link", 10, 4, "https://t.me/c"}));
}

TEST(TextEntitiesTest, RefusesBadHtmlWithTelegramsTexts) {
  EXPECT_EQ(ParseHtml("<b>open").status().message(),
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
  EXPECT_EQ(ParseHtml("<b>x</i>").status().message(),
            "Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"");
  EXPECT_EQ(ParseHtml("<font>x</font>").status().message(),
            "Bad Request: can't parse entities: Unsupported start tag \"font\" at byte offset 0");
}

}  // namespace
}  // namespace subguard::sandbox
