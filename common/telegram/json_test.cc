#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/telegram/errors.h"
#include "common/telegram/json_fields.h"
#include "common/telegram/json_parse.h"
#include "common/telegram/json_write.h"
#include "common/telegram/testing/fixtures.h"
#include "gtest/gtest.h"

namespace subguard::telegram {
namespace {

using boost::json::parse;
using testing::ReadFixture;

TEST(FieldReaderTest, ReadsTypedFieldsAndDefaultsAbsentOnes) {
  const boost::json::value json = parse(R"({"id": 7000000001, "name": "x", "flag": true, "nothing": null})");
  FieldReader r(json.get_object());
  EXPECT_EQ(r.RequiredInt64("id"), 7000000001);
  EXPECT_EQ(r.String("name"), "x");
  EXPECT_TRUE(r.Bool("flag"));
  EXPECT_EQ(r.Int64("absent"), 0);
  EXPECT_EQ(r.String("nothing"), "");
  EXPECT_EQ(r.Object("absent"), nullptr);
  EXPECT_TRUE(r.status().ok()) << r.status();
}

TEST(FieldReaderTest, IntegerBoundsAreExact) {
  const boost::json::value json = parse(
      R"({"max": 9223372036854775807, "min": -9223372036854775808, "over": 9223372036854775808,
          "huge": 123456789012345678901234567890, "fraction": 1.5, "exponent": 1e3, "text": "12"})");
  const boost::json::object& object = json.get_object();
  EXPECT_EQ(*AsInt64(object.at("max"), "max"), INT64_MAX);
  EXPECT_EQ(*AsInt64(object.at("min"), "min"), INT64_MIN);
  for (const char* key : {"over", "huge", "fraction", "exponent", "text"}) {
    absl::StatusOr<int64_t> value = AsInt64(object.at(key), key);
    EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument) << key;
  }
}

TEST(FieldReaderTest, KeepsTheFirstErrorAndNamesTheField) {
  const boost::json::value json = parse(R"({"id": "12", "name": 5})");
  FieldReader r(json.get_object());
  r.RequiredInt64("id");
  r.String("name");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'id'"), absl::string_view::npos) << r.status();
}

TEST(FieldReaderTest, RequiredFieldsMustBePresent) {
  const boost::json::value json = parse(R"({"id": null, "type": ""})");
  FieldReader ids(json.get_object());
  ids.RequiredInt64("id");
  EXPECT_NE(ids.status().message().find("'id' is missing"), absl::string_view::npos) << ids.status();
  FieldReader types(json.get_object());
  types.RequiredString("type");
  EXPECT_FALSE(types.status().ok());
}

TEST(JsonParseTest, UserWithIdBeyond32Bits) {
  absl::StatusOr<v1::User> user =
      ParseUser(parse(R"({"id": 7000000001, "is_bot": true, "first_name": "Subguard", "username": "subguard_bot"})"));
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->id(), 7000000001);
  EXPECT_TRUE(user->is_bot());
  EXPECT_EQ(user->username(), "subguard_bot");
}

TEST(JsonParseTest, UserNeedsAnIntegerId) {
  EXPECT_FALSE(ParseUser(parse(R"({"first_name": "NoId"})")).ok());
  EXPECT_FALSE(ParseUser(parse(R"({"id": 1.0})")).ok());
  EXPECT_FALSE(ParseUser(parse(R"({"id": 18446744073709551615})")).ok());
  EXPECT_FALSE(ParseUser(parse(R"([1])")).ok());
}

TEST(JsonParseTest, MessageErrorsNameTheirPath) {
  absl::StatusOr<v1::Message> message =
      ParseMessage(parse(R"({"message_id": 1, "date": 1, "chat": {"type": "supergroup"}})"));
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().message(), "chat: field 'id' is missing");
}

TEST(JsonParseTest, MessageAbsentFromStaysUnset) {
  absl::StatusOr<v1::Message> message = ParseMessage(
      parse(R"({"message_id": 77, "date": 1, "chat": {"id": -1009876543210, "type": "channel"}, "text": "post"})"));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_FALSE(message->has_from());
  EXPECT_FALSE(message->has_sender_chat());
  EXPECT_FALSE(message->has_media());
  EXPECT_EQ(message->text(), "post");
}

TEST(JsonParseTest, NewChatMembersAreParsedAndCheckedEach) {
  const boost::json::value update = parse(ReadFixture("update_message_new_members.json"));
  absl::StatusOr<v1::Message> message = ParseMessage(update.at("message"));
  ASSERT_TRUE(message.ok()) << message.status();
  ASSERT_EQ(message->new_chat_members_size(), 2);
  EXPECT_EQ(message->new_chat_members(1).id(), 6234567890);

  absl::StatusOr<v1::Message> bad = ParseMessage(
      parse(R"({"message_id": 1, "chat": {"id": 1, "type": "group"}, "new_chat_members": [{"id": 1}, {"id": "x"}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "new_chat_members[1]: field 'id': expected an integer");
}

TEST(JsonParseTest, ChatMemberIsNormalisedByStatus) {
  const char* const kUser = R"("user": {"id": 5, "is_bot": false, "first_name": "U"})";
  auto member = [&](std::string fields) {
    return ParseChatMember(parse("{" + std::string(kUser) + "," + fields + "}"));
  };
  absl::StatusOr<v1::ChatMember> creator = member(R"("status": "creator", "is_anonymous": true)");
  ASSERT_TRUE(creator.ok()) << creator.status();
  EXPECT_TRUE(creator->is_member());
  EXPECT_TRUE(creator->can_restrict_members());
  EXPECT_TRUE(creator->is_anonymous());

  absl::StatusOr<v1::ChatMember> admin = member(R"("status": "administrator", "can_restrict_members": false,
                                                   "can_delete_messages": true)");
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_TRUE(admin->is_member());
  EXPECT_FALSE(admin->can_restrict_members());
  EXPECT_TRUE(admin->can_delete_messages());

  absl::StatusOr<v1::ChatMember> plain = member(R"("status": "member", "until_date": 1800000000)");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->is_member());
  EXPECT_TRUE(plain->can_send_messages());
  EXPECT_EQ(plain->until_date(), 1800000000);

  absl::StatusOr<v1::ChatMember> left = member(R"("status": "left")");
  ASSERT_TRUE(left.ok());
  EXPECT_FALSE(left->is_member());

  absl::StatusOr<v1::ChatMember> kicked = member(R"("status": "kicked", "until_date": 0)");
  ASSERT_TRUE(kicked.ok());
  EXPECT_FALSE(kicked->is_member());

  EXPECT_FALSE(member(R"("status": 3)").ok());
  EXPECT_FALSE(ParseChatMember(parse(R"({"status": "member"})")).ok());
}

TEST(JsonParseTest, RestrictedMemberFromGoldenReply) {
  absl::StatusOr<boost::json::value> result = ParseReply(200, ReadFixture("reply_ok_get_chat_member_restricted.json"));
  ASSERT_TRUE(result.ok()) << result.status();
  absl::StatusOr<v1::ChatMember> member = ParseChatMember(*result);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->status(), "restricted");
  EXPECT_TRUE(member->is_member());
  EXPECT_FALSE(member->can_send_messages());
  EXPECT_EQ(member->user().id(), 5123456789);
}

TEST(JsonParseTest, ChatInfoFromGoldenReply) {
  absl::StatusOr<boost::json::value> result = ParseReply(200, ReadFixture("reply_ok_get_chat.json"));
  ASSERT_TRUE(result.ok()) << result.status();
  absl::StatusOr<ChatInfo> info = ParseChatInfo(*result);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->chat.id(), -1001234567890);
  EXPECT_EQ(info->chat.type(), "supergroup");
  EXPECT_EQ(info->linked_chat_id, -1009876543210);
  EXPECT_TRUE(info->permissions.can_send_messages());
  EXPECT_TRUE(info->permissions.can_invite_users());
  EXPECT_FALSE(info->permissions.can_pin_messages());
}

TEST(JsonParseTest, ChatMembersList) {
  absl::StatusOr<std::vector<v1::ChatMember>> members = ParseChatMembers(parse(
      R"([{"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "creator"},
          {"user": {"id": 7000000001, "is_bot": true, "first_name": "B"}, "status": "administrator"}])"));
  ASSERT_TRUE(members.ok()) << members.status();
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[1].user().id(), 7000000001);
  EXPECT_FALSE(ParseChatMembers(parse(R"({"user": 1})")).ok());
}

TEST(JsonWriteTest, ChatPermissionsRoundTripWithEveryField) {
  v1::ChatPermissions permissions;
  permissions.set_can_send_messages(true);
  permissions.set_can_invite_users(true);
  const boost::json::object json = ChatPermissionsToJson(permissions);
  EXPECT_EQ(json.size(), static_cast<size_t>(v1::ChatPermissions::descriptor()->field_count()));
  EXPECT_EQ(json.at("can_send_messages"), true);
  EXPECT_EQ(json.at("can_send_photos"), false);
  EXPECT_EQ(json.at("can_manage_topics"), false);
  absl::StatusOr<v1::ChatPermissions> back = ParseChatPermissions(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), permissions.SerializeAsString());
}

TEST(JsonWriteTest, InlineKeyboard) {
  v1::SendMessage message;
  v1::ButtonRow* first = message.add_keyboard();
  v1::InlineButton* link = first->add_buttons();
  link->set_text("Wonderland News");
  link->set_url("https://t.me/wonderland_news");
  v1::InlineButton* press = message.add_keyboard()->add_buttons();
  press->set_text("I have joined");
  press->set_callback_data("recheck:5123456789");
  EXPECT_EQ(boost::json::serialize(InlineKeyboardToJson(message.keyboard())),
            R"({"inline_keyboard":[[{"text":"Wonderland News","url":"https://t.me/wonderland_news"}],)"
            R"([{"text":"I have joined","callback_data":"recheck:5123456789"}]]})");
}

}  // namespace
}  // namespace subguard::telegram
