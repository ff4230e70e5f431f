#include "services/verifier/monitors/posts.h"

#include <gtest/gtest.h>

namespace subguard::verifier::monitors {
namespace {

constexpr int64_t kSource = -1001;

v1::Message Post(int64_t message_id, std::string text, bool has_media = false) {
  v1::Message post;
  post.set_message_id(message_id);
  post.mutable_chat()->set_id(kSource);
  post.mutable_chat()->set_type("channel");
  post.set_text(std::move(text));
  post.set_has_media(has_media);
  return post;
}

Monitor To(int64_t dest, Mode mode) {
  return Monitor{.id = dest, .source_chat_id = kSource, .dest_chat_id = dest, .mode = mode};
}

TEST(PostActionsTest, OneActionPerDestinationWithStableIds) {
  const std::vector<Monitor> monitors = {To(-201, Mode::kForward), To(-202, Mode::kCopy),
                                         Monitor{.id = 3, .source_chat_id = kSource, .mode = Mode::kRecord}};
  const std::vector<v1::Action> actions = PostActions(77, Post(5, "hello"), /*edited=*/false, monitors);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].chat_id(), -201);
  EXPECT_EQ(actions[0].forward_message().from_chat_id(), kSource);
  EXPECT_EQ(actions[0].forward_message().message_id(), 5);
  EXPECT_EQ(actions[1].chat_id(), -202);
  EXPECT_EQ(actions[1].copy_message().message_id(), 5);
  EXPECT_NE(actions[0].id(), actions[1].id());
  // A redelivery of update 77 decides the same ids.
  const std::vector<v1::Action> again = PostActions(77, Post(5, "hello"), /*edited=*/false, monitors);
  EXPECT_EQ(again[0].id(), actions[0].id());
  EXPECT_EQ(again[1].id(), actions[1].id());
}

TEST(PostActionsTest, EditsOnlyWhereAsked) {
  Monitor ignores = To(-201, Mode::kCopy);
  Monitor sends = To(-202, Mode::kCopy);
  sends.send_edits = true;
  const std::vector<v1::Action> actions = PostActions(78, Post(5, "fixed"), /*edited=*/true, {ignores, sends});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].chat_id(), -202);
  EXPECT_NE(actions[0].id(), PostActions(77, Post(5, "x"), false, {sends})[0].id());
}

TEST(PostActionsTest, Filters) {
  Monitor sale = To(-201, Mode::kForward);
  sale.text_contains = "sale";
  Monitor media = To(-202, Mode::kForward);
  media.media = MediaFilter::kMedia;
  Monitor text = To(-203, Mode::kForward);
  text.media = MediaFilter::kText;
  EXPECT_EQ(PostActions(1, Post(1, "Big SALE today"), false, {sale}).size(), 1u);
  EXPECT_EQ(PostActions(1, Post(1, "news"), false, {sale}).size(), 0u);
  EXPECT_EQ(PostActions(1, Post(1, "photo", true), false, {media, text}).size(), 1u);
  EXPECT_EQ(PostActions(1, Post(1, "photo", true), false, {media, text})[0].chat_id(), -202);
}

TEST(PostActionsTest, ServiceMessagesAreNeverTaken) {
  v1::Message pin = Post(1, "");
  pin.set_service(true);
  const Monitor record{.id = 1, .source_chat_id = kSource, .mode = Mode::kRecord};
  EXPECT_TRUE(PostActions(1, pin, false, {To(-201, Mode::kForward), To(-202, Mode::kCopy)}).empty());
  EXPECT_FALSE(ShouldRecord(pin, {record}));
  AlbumPart part{.update_id = 1, .post = pin};
  EXPECT_TRUE(AlbumActions({part}, {To(-201, Mode::kForward)}).empty());
}

TEST(UnsendableTest, OnlyRefusalsOfThePostItself) {
  EXPECT_TRUE(Unsendable(400, "Bad Request: message can't be forwarded"));
  EXPECT_TRUE(Unsendable(400, "Bad Request: message can't be copied"));
  EXPECT_TRUE(Unsendable(400, "Bad Request: message to forward not found"));
  EXPECT_TRUE(Unsendable(400, "Bad Request: MESSAGE_ID_INVALID"));
  EXPECT_FALSE(Unsendable(400, "Bad Request: chat not found"));
  EXPECT_FALSE(Unsendable(403, "Forbidden: message can't be forwarded"));
  EXPECT_FALSE(Unsendable(429, "Too Many Requests: retry after 5"));
}

TEST(ShouldRecordTest, RecordMonitorsOnly) {
  const Monitor record{.id = 1, .source_chat_id = kSource, .mode = Mode::kRecord};
  EXPECT_TRUE(ShouldRecord(Post(1, "a"), {record}));
  EXPECT_FALSE(ShouldRecord(Post(1, "a"), {To(-201, Mode::kForward)}));
  Monitor filtered = record;
  filtered.text_contains = "zzz";
  EXPECT_FALSE(ShouldRecord(Post(1, "a"), {filtered}));
}

TEST(AlbumActionsTest, OneGroupPerDestinationInOrderIfAnyPartPasses) {
  Monitor news = To(-202, Mode::kCopy);
  news.text_contains = "news";
  Monitor sports = To(-203, Mode::kForward);
  sports.text_contains = "sports";
  const std::vector<Monitor> monitors = {To(-201, Mode::kForward), news, sports,
                                         Monitor{.id = 4, .source_chat_id = kSource, .mode = Mode::kRecord}};
  // The caption is on the first part only, as Telegram's clients send it.
  const std::vector<AlbumPart> parts = {
      {10, Post(5, "news of the day", true)}, {11, Post(6, "", true)}, {12, Post(7, "", true)}};
  const std::vector<v1::Action> actions = AlbumActions(parts, monitors);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].chat_id(), -201);
  EXPECT_FALSE(actions[0].forward_messages().copy());
  EXPECT_EQ(actions[0].forward_messages().from_chat_id(), kSource);
  EXPECT_EQ(std::vector<int64_t>(actions[0].forward_messages().message_ids().begin(),
                                 actions[0].forward_messages().message_ids().end()),
            (std::vector<int64_t>{5, 6, 7}));
  EXPECT_EQ(actions[0].update_id(), 10);
  EXPECT_EQ(actions[1].chat_id(), -202);
  EXPECT_TRUE(actions[1].forward_messages().copy());
  EXPECT_EQ(actions[1].forward_messages().message_ids_size(), 3);
  // Stable ids, distinct from the single posts' ids.
  EXPECT_EQ(AlbumActions(parts, monitors)[0].id(), actions[0].id());
  EXPECT_NE(actions[0].id(), PostActions(10, parts[0].post, /*edited=*/false, monitors)[0].id());
  EXPECT_TRUE(AlbumActions({}, monitors).empty());
}

TEST(HasMonitorTest, AHeldActionNeedsItsMonitor) {
  const std::vector<Monitor> monitors = {To(-201, Mode::kForward), To(-202, Mode::kCopy)};
  const std::vector<v1::Action> posts = PostActions(1, Post(5, "x"), /*edited=*/false, monitors);
  const std::vector<v1::Action> albums = AlbumActions({{1, Post(5, "x")}}, monitors);
  for (const v1::Action& action : {posts[0], posts[1], albums[0], albums[1]}) {
    EXPECT_TRUE(HasMonitor(action, monitors)) << action.ShortDebugString();
    EXPECT_FALSE(HasMonitor(action, {To(-201, Mode::kCopy), To(-202, Mode::kForward)})) << action.ShortDebugString();
  }
  Monitor other_source = To(-201, Mode::kForward);
  other_source.source_chat_id = -9;
  EXPECT_FALSE(HasMonitor(posts[0], {other_source}));
}

}  // namespace
}  // namespace subguard::verifier::monitors
