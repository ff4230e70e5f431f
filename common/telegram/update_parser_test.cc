#include "common/telegram/update_parser.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/telegram/testing/fixtures.h"
#include "gtest/gtest.h"

namespace subguard::telegram {
namespace {

using testing::ReadFixture;

v1::Update ParseFixture(std::string_view name) {
  const std::string json = ReadFixture(name);
  absl::StatusOr<v1::Update> update = ParseUpdate(json);
  EXPECT_TRUE(update.ok()) << name << ": " << update.status();
  if (!update.ok()) return v1::Update();
  EXPECT_EQ(update->raw_json(), json);
  return *update;
}

void ExpectRejected(std::string_view json, std::string_view why) {
  absl::StatusOr<v1::Update> update = ParseUpdate(json);
  EXPECT_EQ(update.status().code(), absl::StatusCode::kInvalidArgument) << why;
}

TEST(ParseUpdateTest, GroupTextMessage) {
  const v1::Update update = ParseFixture("update_message_text.json");
  EXPECT_EQ(update.update_id(), 905427311);
  EXPECT_EQ(update.chat_id(), -1001234567890);
  ASSERT_TRUE(update.has_message());
  EXPECT_EQ(update.message().message_id(), 4821);
  EXPECT_EQ(update.message().from().id(), 5123456789);
  EXPECT_EQ(update.message().from().language_code(), "en");
  EXPECT_EQ(update.message().chat().type(), "supergroup");
  EXPECT_EQ(update.message().chat().username(), "rabbit_hole_chat");
  EXPECT_EQ(update.message().date(), 1700000123);
  EXPECT_EQ(update.message().text(), "hello everyone");
}

TEST(ParseUpdateTest, CommandAddressedToTheBot) {
  const v1::Update update = ParseFixture("update_message_command.json");
  EXPECT_EQ(update.message().text(), "/protect@subguard_bot @wonderland_news");
  EXPECT_EQ(update.message().from().id(), 111222333);
}

TEST(ParseUpdateTest, AnonymousAdminSpeaksAsTheGroup) {
  const v1::Update update = ParseFixture("update_message_anonymous_admin.json");
  ASSERT_TRUE(update.message().has_sender_chat());
  EXPECT_EQ(update.message().sender_chat().id(), update.message().chat().id());
  EXPECT_EQ(update.message().from().username(), "GroupAnonymousBot");
}

TEST(ParseUpdateTest, ReplyCarriesTheRepliedMessage) {
  const v1::Update update = ParseFixture("update_message_reply_exempt.json");
  ASSERT_TRUE(update.message().has_reply_to_message());
  const v1::Message& replied = update.message().reply_to_message();
  EXPECT_EQ(replied.message_id(), 4829);
  EXPECT_EQ(replied.from().id(), 5123456789);
  EXPECT_EQ(replied.text(), "may I stay?");
  EXPECT_FALSE(replied.has_reply_to_message());
}

TEST(ParseUpdateTest, AutomaticForwardOfAnAlbumWithCaption) {
  const v1::Update update = ParseFixture("update_message_automatic_forward.json");
  const v1::Message& message = update.message();
  EXPECT_TRUE(message.is_automatic_forward());
  EXPECT_TRUE(message.has_media());
  EXPECT_EQ(message.text(), "Issue 42 is out");
  EXPECT_EQ(message.media_group_id(), "13579246801357924");
  EXPECT_EQ(message.sender_chat().type(), "channel");
}

TEST(ParseUpdateTest, NewMembers) {
  const v1::Update update = ParseFixture("update_message_new_members.json");
  EXPECT_EQ(update.message().new_chat_members_size(), 2);
}

TEST(ParseUpdateTest, CallbackQueryIsOrderedByTheButtonsChat) {
  const v1::Update update = ParseFixture("update_callback_query.json");
  ASSERT_TRUE(update.has_callback_query());
  EXPECT_EQ(update.callback_query().id(), "4382928371837283712");
  EXPECT_EQ(update.callback_query().data(), "recheck:5123456789");
  EXPECT_EQ(update.callback_query().from().id(), 5123456789);
  EXPECT_EQ(update.callback_query().message().message_id(), 4830);
  EXPECT_EQ(update.chat_id(), -1001234567890);
}

TEST(ParseUpdateTest, InlineCallbackQueryIsOrderedByItsUser) {
  const v1::Update update = ParseFixture("update_callback_query_inline.json");
  EXPECT_FALSE(update.callback_query().has_message());
  EXPECT_EQ(update.chat_id(), 5123456789);
}

TEST(ParseUpdateTest, ChannelMemberLeft) {
  const v1::Update update = ParseFixture("update_chat_member_left.json");
  ASSERT_TRUE(update.has_chat_member());
  EXPECT_EQ(update.chat_id(), -1009876543210);
  EXPECT_EQ(update.chat_member().old_chat_member().status(), "member");
  EXPECT_TRUE(update.chat_member().old_chat_member().is_member());
  EXPECT_EQ(update.chat_member().new_chat_member().status(), "left");
  EXPECT_FALSE(update.chat_member().new_chat_member().is_member());
  EXPECT_EQ(update.chat_member().new_chat_member().user().id(), 5123456789);
}

TEST(ParseUpdateTest, BotPromoted) {
  const v1::Update update = ParseFixture("update_my_chat_member_promoted.json");
  ASSERT_TRUE(update.has_my_chat_member());
  EXPECT_EQ(update.chat_id(), -1001234567890);
  const v1::ChatMember& bot = update.my_chat_member().new_chat_member();
  EXPECT_EQ(bot.status(), "administrator");
  EXPECT_TRUE(bot.can_restrict_members());
  EXPECT_TRUE(bot.can_delete_messages());
  EXPECT_EQ(bot.user().id(), 7000000001);
}

TEST(ParseUpdateTest, JoinRequest) {
  const v1::Update update = ParseFixture("update_chat_join_request.json");
  ASSERT_TRUE(update.has_chat_join_request());
  EXPECT_EQ(update.chat_id(), -1001234567890);
  EXPECT_EQ(update.chat_join_request().from().id(), 6234567890);
}

TEST(ParseUpdateTest, UnknownKindHasNoPayloadButKeepsItsChat) {
  const v1::Update update = ParseFixture("update_message_reaction.json");
  EXPECT_EQ(update.payload_case(), v1::Update::PAYLOAD_NOT_SET);
  EXPECT_EQ(update.update_id(), 905427321);
  EXPECT_EQ(update.chat_id(), -1001234567890);

  absl::StatusOr<v1::Update> bare = ParseUpdate(R"({"update_id": 5})");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->payload_case(), v1::Update::PAYLOAD_NOT_SET);
  EXPECT_EQ(bare->chat_id(), 0);
}

TEST(ParseUpdateTest, EditedAndChannelPostKinds) {
  absl::StatusOr<v1::Update> edited = ParseUpdate(
      R"({"update_id": 1, "edited_message": {"message_id": 2, "date": 3, "edit_date": 4,
          "chat": {"id": -1001, "type": "supergroup"}, "from": {"id": 9, "is_bot": false, "first_name": "E"},
          "text": "fixed"}})");
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_TRUE(edited->has_edited_message());
  EXPECT_EQ(edited->chat_id(), -1001);
  absl::StatusOr<v1::Update> post = ParseUpdate(
      R"({"update_id": 2, "channel_post": {"message_id": 3, "date": 4,
          "chat": {"id": -1009876543210, "type": "channel"}, "text": "news"}})");
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_TRUE(post->has_channel_post());
  EXPECT_EQ(post->chat_id(), -1009876543210);
}

TEST(ParseUpdateTest, ServiceMessagesAreFlagged) {
  for (const std::string_view service : {R"("pinned_message": {"message_id": 1, "date": 2,
                                              "chat": {"id": -1001, "type": "supergroup"}})",
                                         R"("new_chat_title": "T")", R"("migrate_from_chat_id": -5)",
                                         R"("video_chat_started": {})", R"("forum_topic_closed": {})"}) {
    absl::StatusOr<v1::Update> update = ParseUpdate(absl::StrCat(
        R"({"update_id": 1, "message": {"message_id": 2, "date": 3, "chat": {"id": -1001, "type": "supergroup"},)",
        std::string(service), "}}"));
    ASSERT_TRUE(update.ok()) << update.status();
    EXPECT_TRUE(update->message().service()) << service;
  }
  absl::StatusOr<v1::Update> post = ParseUpdate(
      R"({"update_id": 2, "channel_post": {"message_id": 3, "date": 4,
          "chat": {"id": -1009876543210, "type": "channel"}, "text": "news", "photo": []}})");
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_FALSE(post->channel_post().service());
}

TEST(ParseUpdateTest, HostileInputIsRejected) {
  const std::string good = ReadFixture("update_message_text.json");
  ExpectRejected(good.substr(0, good.size() / 2), "truncated");
  ExpectRejected("", "empty");
  ExpectRejected("   ", "blank");
  ExpectRejected("[]", "array");
  ExpectRejected(R"([{"update_id": 1}])", "array of updates");
  ExpectRejected("42", "number");
  ExpectRejected("null", "null");
  ExpectRejected(R"("update")", "string");
  ExpectRejected(R"({"update_id": 1} trailing)", "trailing garbage");
  ExpectRejected(R"({"update_id": 1,})", "trailing comma");
  ExpectRejected(R"({"update_id": 1 /* c */})", "comment");
  ExpectRejected("{\"update_id\": 1, \"message\": {\"text\": \"\xff\xfe\"}}", "not UTF-8");
  ExpectRejected("{\"update_id\": 1, \"x\": \"\xc3\"}", "truncated UTF-8 sequence");
  ExpectRejected(R"({"update_id": 1, "x": "\ud800"})", "lone surrogate escape");
}

TEST(ParseUpdateTest, DeepNestingIsRejectedCheaply) {
  const std::string deep = "{\"update_id\": 1, \"x\": " + std::string(10000, '[') + std::string(10000, ']') + "}";
  ExpectRejected(deep, "depth 10000");
  std::string objects = "{\"update_id\": 1, \"x\": ";
  for (int i = 0; i < 10000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(10000, '}') + "}";
  ExpectRejected(objects, "objects 10000 deep");
  // Within the limit is fine.
  const int depth = kMaxJsonDepth - 2;
  const std::string ok = "{\"update_id\": 1, \"x\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
  EXPECT_TRUE(ParseUpdate(ok).ok());
}

TEST(ParseUpdateTest, UpdateIdMustBeAnInt64) {
  ExpectRejected(R"({})", "missing");
  ExpectRejected(R"({"message": {}})", "missing with payload");
  ExpectRejected(R"({"update_id": null})", "null");
  ExpectRejected(R"({"update_id": "1"})", "string");
  ExpectRejected(R"({"update_id": 1.5})", "fraction");
  ExpectRejected(R"({"update_id": 1e2})", "exponent");
  ExpectRejected(R"({"update_id": true})", "boolean");
  ExpectRejected(R"({"update_id": 9223372036854775808})", "beyond int64");
  ExpectRejected(R"({"update_id": 18446744073709551616})", "beyond 64 bits");
  ExpectRejected(R"({"update_id": -9223372036854775809})", "below int64");
  EXPECT_TRUE(ParseUpdate(R"({"update_id": 9223372036854775807})").ok());
}

TEST(ParseUpdateTest, IdsBeyond64BitsInPayloadsAreRejected) {
  ExpectRejected(R"({"update_id": 1, "message": {"message_id": 1, "date": 1,
                    "chat": {"id": -100123456789012345678901, "type": "supergroup"}}})",
                 "chat id beyond 64 bits");
  ExpectRejected(R"({"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": -1001, "type": "group"},
                    "from": {"id": 18446744073709551615, "is_bot": false, "first_name": "X"}}})",
                 "user id beyond int64");
}

TEST(ParseUpdateTest, WrongTypesInAKnownPayloadAreRejected) {
  ExpectRejected(R"({"update_id": 1, "message": "hello"})", "message is a string");
  ExpectRejected(R"({"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1, "type": "group"}, "text": 5}})",
                 "text is a number");
  ExpectRejected(R"({"update_id": 1, "message": {"message_id": 1, "chat": {"id": "1", "type": "group"}}})",
                 "chat id is a string");
  ExpectRejected(R"({"update_id": 1, "message": {"message_id": 1}})", "message without chat");
  ExpectRejected(R"({"update_id": 1, "callback_query": {"id": "q", "from": {"id": 1}, "data": []}})",
                 "callback data is an array");
  ExpectRejected(R"({"update_id": 1, "chat_member": {"chat": {"id": 1, "type": "channel"}, "from": {"id": 2},
                    "old_chat_member": {"user": {"id": 2}, "status": "member"}}})",
                 "chat_member without new_chat_member");
  absl::StatusOr<v1::Update> bad = ParseUpdate(
      R"({"update_id": 1, "message": {"message_id": 1, "chat": {"id": 1, "type": "group"}, "from": {"id": true}}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "update: message: from: field 'id': expected an integer");
}

TEST(ParseUpdateTest, DuplicateKeysKeepTheLast) {
  absl::StatusOr<v1::Update> update = ParseUpdate(R"({"update_id": 1, "update_id": 2})");
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->update_id(), 2);
  ExpectRejected(R"({"update_id": 1, "update_id": "2"})", "last duplicate has the wrong type");
}

}  // namespace
}  // namespace subguard::telegram
