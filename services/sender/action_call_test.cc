#include "services/sender/action_call.h"

#include <boost/json/serialize.hpp>

#include "common/telegram/errors.h"
#include "gtest/gtest.h"

namespace subguard::sender {
namespace {

constexpr int64_t kGroup = -1001234567890;
constexpr int64_t kUser = 5123456789;

v1::Action InGroup() {
  v1::Action action;
  action.set_id("905427311:0");
  action.set_chat_id(kGroup);
  action.set_update_id(905427311);
  return action;
}

TEST(ActionCallTest, RestrictTurnsEveryPermissionOffIndependently) {
  v1::Action action = InGroup();
  action.mutable_restrict_member()->set_user_id(kUser);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "restrictChatMember");
  EXPECT_EQ(call->params.at("chat_id"), kGroup);
  EXPECT_EQ(call->params.at("user_id"), kUser);
  EXPECT_EQ(call->params.at("use_independent_chat_permissions"), true);
  EXPECT_FALSE(call->params.contains("until_date"));
  const boost::json::object& permissions = call->params.at("permissions").as_object();
  EXPECT_EQ(permissions.size(), static_cast<size_t>(v1::ChatPermissions::descriptor()->field_count()));
  for (const auto& [name, allowed] : permissions) EXPECT_EQ(allowed, false) << name;
  EXPECT_TRUE(IsIdempotent(action));
  EXPECT_EQ(KindName(action), "restrict_member");
}

TEST(ActionCallTest, RestrictUntilADate) {
  v1::Action action = InGroup();
  action.mutable_restrict_member()->set_user_id(kUser);
  action.mutable_restrict_member()->set_until_date(1800000000);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->params.at("until_date"), 1800000000);
}

TEST(ActionCallTest, BanAndUnbanOnlyIfBanned) {
  v1::Action ban = InGroup();
  ban.mutable_ban_member()->set_user_id(kUser);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(ban);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "banChatMember");
  EXPECT_EQ(call->params.at("user_id"), kUser);
  EXPECT_FALSE(call->params.contains("until_date"));
  EXPECT_TRUE(IsIdempotent(ban));
  EXPECT_EQ(KindName(ban), "ban_member");

  v1::Action unban = InGroup();
  unban.mutable_unban_member()->set_user_id(kUser);
  // Without only_if_banned Telegram would remove a current member: refused.
  EXPECT_EQ(ToBotApiCall(unban).status().code(), absl::StatusCode::kInvalidArgument);
  unban.mutable_unban_member()->set_only_if_banned(true);
  call = ToBotApiCall(unban);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "unbanChatMember");
  EXPECT_EQ(call->params.at("only_if_banned"), true);
  EXPECT_TRUE(IsIdempotent(unban));
  EXPECT_EQ(KindName(unban), "unban_member");
}

TEST(ActionCallTest, LiftRestoresTheGroupsPermissions) {
  v1::Action action = InGroup();
  v1::LiftRestriction& lift = *action.mutable_lift_restriction();
  lift.set_user_id(kUser);
  lift.mutable_permissions()->set_can_send_messages(true);
  lift.mutable_permissions()->set_can_send_photos(true);
  lift.mutable_permissions()->set_can_invite_users(true);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "restrictChatMember");
  EXPECT_EQ(call->params.at("use_independent_chat_permissions"), true);
  const boost::json::object& permissions = call->params.at("permissions").as_object();
  EXPECT_EQ(permissions.at("can_send_messages"), true);
  EXPECT_EQ(permissions.at("can_send_photos"), true);
  EXPECT_EQ(permissions.at("can_invite_users"), true);
  EXPECT_EQ(permissions.at("can_pin_messages"), false);
  EXPECT_EQ(permissions.at("can_send_videos"), false);
  EXPECT_TRUE(IsIdempotent(action));
}

TEST(ActionCallTest, SendMessageWithKeyboardAndReply) {
  v1::Action action = InGroup();
  v1::SendMessage& message = *action.mutable_send_message();
  message.set_text("Alice, join <b>Wonderland News</b> to write here.");
  message.set_parse_mode("HTML");
  message.set_reply_to_message_id(4821);
  v1::InlineButton* link = message.add_keyboard()->add_buttons();
  link->set_text("Wonderland News");
  link->set_url("https://t.me/wonderland_news");
  v1::InlineButton* press = message.add_keyboard()->add_buttons();
  press->set_text("I have joined");
  press->set_callback_data("recheck:5123456789");
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "sendMessage");
  EXPECT_EQ(
      boost::json::serialize(call->params),
      R"({"chat_id":-1001234567890,"text":"Alice, join <b>Wonderland News</b> to write here.",)"
      R"("parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"Wonderland News",)"
      R"("url":"https://t.me/wonderland_news"}],[{"text":"I have joined","callback_data":"recheck:5123456789"}]]},)"
      R"("reply_parameters":{"message_id":4821,"allow_sending_without_reply":true}})");
  EXPECT_FALSE(IsIdempotent(action));
  EXPECT_EQ(KindName(action), "send_message");
}

TEST(ActionCallTest, PlainSendMessageHasNoOptionalParameters) {
  v1::Action action = InGroup();
  action.mutable_send_message()->set_text("Protected.");
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(boost::json::serialize(call->params), R"({"chat_id":-1001234567890,"text":"Protected."})");
}

TEST(ActionCallTest, AnswerCallback) {
  v1::Action action = InGroup();
  v1::AnswerCallback& answer = *action.mutable_answer_callback();
  answer.set_callback_query_id("4382928371837283712");
  answer.set_text("Still missing: @wonderland_news");
  answer.set_show_alert(true);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "answerCallbackQuery");
  EXPECT_EQ(
      boost::json::serialize(call->params),
      R"({"callback_query_id":"4382928371837283712","text":"Still missing: @wonderland_news","show_alert":true})");
  EXPECT_TRUE(IsIdempotent(action));

  action.mutable_answer_callback()->clear_text();
  action.mutable_answer_callback()->set_show_alert(false);
  EXPECT_EQ(boost::json::serialize(ToBotApiCall(action)->params), R"({"callback_query_id":"4382928371837283712"})");
}

TEST(ActionCallTest, DeleteMessage) {
  v1::Action action = InGroup();
  action.mutable_delete_message()->set_message_id(4821);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "deleteMessage");
  EXPECT_EQ(boost::json::serialize(call->params), R"({"chat_id":-1001234567890,"message_id":4821})");
  EXPECT_TRUE(IsIdempotent(action));
}

TEST(ActionCallTest, ActionsThatCanNeverWorkAreInvalid) {
  v1::Action none = InGroup();
  EXPECT_EQ(ToBotApiCall(none).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KindName(none), "none");

  v1::Action restrict = InGroup();
  restrict.mutable_restrict_member();
  EXPECT_EQ(ToBotApiCall(restrict).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Action lift = InGroup();
  lift.mutable_lift_restriction();
  EXPECT_EQ(ToBotApiCall(lift).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Action send = InGroup();
  send.mutable_send_message();
  EXPECT_EQ(ToBotApiCall(send).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Action answer = InGroup();
  answer.mutable_answer_callback();
  EXPECT_EQ(ToBotApiCall(answer).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Action del = InGroup();
  del.mutable_delete_message();
  EXPECT_EQ(ToBotApiCall(del).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ActionCallTest, ForwardCopyAndAlbums) {
  v1::Action forward = InGroup();
  forward.mutable_forward_message()->set_from_chat_id(-100777);
  forward.mutable_forward_message()->set_message_id(5);
  absl::StatusOr<BotApiCall> call = ToBotApiCall(forward);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "forwardMessage");
  EXPECT_EQ(call->params.at("from_chat_id"), -100777);
  EXPECT_EQ(call->params.at("message_id"), 5);
  EXPECT_FALSE(IsIdempotent(forward));
  EXPECT_EQ(KindName(forward), "forward_message");

  v1::Action copy = InGroup();
  copy.mutable_copy_message()->set_from_chat_id(-100777);
  copy.mutable_copy_message()->set_message_id(5);
  EXPECT_EQ(ToBotApiCall(copy)->method, "copyMessage");
  EXPECT_FALSE(IsIdempotent(copy));

  v1::Action album = InGroup();
  album.mutable_forward_messages()->set_from_chat_id(-100777);
  album.mutable_forward_messages()->add_message_ids(5);
  album.mutable_forward_messages()->add_message_ids(6);
  album.mutable_forward_messages()->set_copy(true);
  call = ToBotApiCall(album);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "copyMessages");
  EXPECT_EQ(boost::json::serialize(call->params.at("message_ids")), "[5,6]");

  v1::Action empty = InGroup();
  empty.mutable_copy_message()->set_from_chat_id(-100777);
  EXPECT_EQ(ToBotApiCall(empty).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ActionCallTest, EditMessageTextAndItsUnmodifiedRefusal) {
  v1::Action action = InGroup();
  v1::EditMessageText& edit = *action.mutable_edit_message_text();
  edit.set_message_id(77);
  edit.set_text("Checked 10 of 20");
  absl::StatusOr<BotApiCall> call = ToBotApiCall(action);
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->method, "editMessageText");
  EXPECT_EQ(boost::json::serialize(call->params),
            R"({"chat_id":-1001234567890,"message_id":77,"text":"Checked 10 of 20"})");
  EXPECT_TRUE(IsIdempotent(action));
  EXPECT_EQ(KindName(action), "edit_message_text");

  const absl::Status unmodified = telegram::ClassifyError(
      400, R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new )"
           R"(message content and reply markup are exactly the same as a current content and reply markup"})");
  EXPECT_EQ(EditDoneAnyway(action, unmodified), "unmodified");
  // The start message was deleted: the edit is done, not an error on every progress update.
  const absl::Status gone = telegram::ClassifyError(
      400, R"({"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"})");
  EXPECT_EQ(EditDoneAnyway(action, gone), "edit_target_gone");
  EXPECT_FALSE(EditDoneAnyway(action, telegram::ClassifyError(400, R"({"ok":false,"error_code":400,)"
                                                                   R"("description":"Bad Request: chat not found"})"))
                   .has_value());
  v1::Action send = InGroup();
  send.mutable_send_message()->set_text("x");
  EXPECT_FALSE(EditDoneAnyway(send, unmodified).has_value());
  EXPECT_FALSE(EditDoneAnyway(send, gone).has_value());

  edit.set_text("");
  EXPECT_EQ(ToBotApiCall(action).status().code(), absl::StatusCode::kInvalidArgument);
  edit.set_text("x");
  edit.set_message_id(0);
  EXPECT_EQ(ToBotApiCall(action).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace subguard::sender
