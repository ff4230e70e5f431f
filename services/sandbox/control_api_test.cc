// The world's rules as the bot and the control API see them: rights, restrictions, membership lookups,
// messages, buttons and the call log.
#include "services/sandbox/sandbox_fixture.h"

namespace subguard::sandbox {
namespace {

const boost::json::object kMuted{{"can_send_messages", false}};

TEST_F(SandboxTest, RestrictChatMemberNeedsTheRightToRestrict) {
  SetUpWorld();
  const boost::json::object restrict_bob{{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", kMuted}};
  SetMember(kGroup, kBotId, "member");
  EXPECT_EQ(Call("restrictChatMember", restrict_bob).description(),
            "Bad Request: not enough rights to restrict/unrestrict chat member");
  SetMember(kGroup, kBotId, "administrator", {{"can_delete_messages", true}});
  EXPECT_EQ(Call("restrictChatMember", restrict_bob).description(),
            "Bad Request: not enough rights to restrict/unrestrict chat member");
  SetMember(kGroup, kBotId, "administrator", {{"can_restrict_members", true}});
  EXPECT_EQ(Call("restrictChatMember", restrict_bob).status, 200);

  SetMember(kGroup, kCarol, "administrator");
  EXPECT_EQ(
      Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kCarol}, {"permissions", kMuted}}).description(),
      "Bad Request: user is an administrator of the chat");
  EXPECT_EQ(
      Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kAlice}, {"permissions", kMuted}}).description(),
      "Bad Request: can't remove chat owner");
  EXPECT_EQ(
      Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBotId}, {"permissions", kMuted}}).description(),
      "Bad Request: can't restrict self");
  EXPECT_EQ(Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", 0}, {"permissions", kMuted}}).description(),
            "Bad Request: invalid user_id specified");

  ASSERT_TRUE(control_->AddChat({.id = -42, .type = "group", .title = "Basic"}).ok());
  SetMember(-42, kBotId, "administrator", {{"can_restrict_members", true}});
  EXPECT_EQ(Call("restrictChatMember", {{"chat_id", -42}, {"user_id", kBob}, {"permissions", kMuted}}).description(),
            "Bad Request: method is available only for supergroups");
}

TEST_F(SandboxTest, RestrictionStopsTheUserWritingUntilLifted) {
  SetUpWorld();
  // permissions may come as a JSON string too, as form bodies send it.
  Ok("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", R"({"can_send_messages":false})"}});
  auto member = control_->Member(kGroup, kBob);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->at("status").as_string(), "restricted");
  EXPECT_FALSE(member->at("can_send_messages").as_bool());
  EXPECT_TRUE(member->at("is_member").as_bool());

  auto sent = control_->Send(kGroup, kBob, "hello?");
  EXPECT_EQ(sent.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(sent.status().message(), "restricted")) << sent.status();

  // Permissions that take nothing from the group's defaults make a plain member again.
  const boost::json::value defaults = Ok("getChat", {{"chat_id", kGroup}}).at("permissions");
  Ok("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", defaults}});
  EXPECT_EQ(control_->Member(kGroup, kBob)->at("status").as_string(), "member");
  EXPECT_TRUE(control_->Send(kGroup, kBob, "free again").ok());
}

TEST_F(SandboxTest, TemporaryRestrictionEndsAtUntilDate) {
  SetUpWorld();
  const int64_t now = absl::ToUnixSeconds(clock_.Now());
  Ok("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", kMuted}, {"until_date", now + 60}});
  EXPECT_EQ(Ok("getChatMember", {{"chat_id", kGroup}, {"user_id", kBob}}).at("until_date").as_int64(), now + 60);
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(Ok("getChatMember", {{"chat_id", kGroup}, {"user_id", kBob}}).at("status").as_string(), "member");
}

TEST_F(SandboxTest, RestrictionIsReportedAsChatMemberUpdate) {
  SetUpWorld();
  const int64_t offset = DrainUpdates();
  Ok("getUpdates", {{"offset", offset}, {"allowed_updates", boost::json::array{"chat_member"}}});
  Ok("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", kMuted}});
  const boost::json::value updates = Ok("getUpdates", {{"offset", offset}});
  ASSERT_EQ(updates.as_array().size(), 1u);
  const boost::json::value& change = updates.as_array()[0].at("chat_member");
  EXPECT_EQ(change.at("from").at("id").as_int64(), kBotId);
  EXPECT_EQ(change.at("old_chat_member").at("status").as_string(), "member");
  EXPECT_EQ(change.at("new_chat_member").at("status").as_string(), "restricted");
}

TEST_F(SandboxTest, ChannelMembersNeedTheBotAsAdministrator) {
  SetUpWorld();
  const boost::json::object ask{{"chat_id", "@news_channel"}, {"user_id", kBob}};
  // A public channel the bot is not in: Telegram refuses the member list.
  BotReply reply = Call("getChatMember", ask);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.description(), "Bad Request: member list is inaccessible");
  // About itself the bot may always ask.
  EXPECT_EQ(Ok("getChatMember", {{"chat_id", kChannel}, {"user_id", kBotId}}).at("status").as_string(), "left");

  // A private channel the bot is not in: not even visible.
  ASSERT_TRUE(control_->AddChat({.id = -1001000000003, .type = "channel", .title = "Secret"}).ok());
  reply = Call("getChatMember", {{"chat_id", -1001000000003}, {"user_id", kBob}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.description(), "Forbidden: bot is not a member of the channel chat");

  SetMember(kChannel, kBotId, "administrator", {{"can_post_messages", true}});
  EXPECT_EQ(Ok("getChatMember", ask).at("status").as_string(), "left");
  ASSERT_TRUE(control_->Join(kChannel, kBob).ok());
  EXPECT_EQ(Ok("getChatMember", ask).at("status").as_string(), "member");
  const boost::json::value admins = Ok("getChatAdministrators", {{"chat_id", kChannel}});
  EXPECT_EQ(admins.as_array().size(), 2u);  // Alice and the bot
  EXPECT_EQ(Call("getChatMember", {{"chat_id", kChannel}, {"user_id", 99}}).description(),
            "Bad Request: user not found");
}

TEST_F(SandboxTest, JoinAndLeaveAreReported) {
  SetUpWorld();
  SetMember(kChannel, kBotId, "administrator");
  const int64_t offset = DrainUpdates();
  Ok("getUpdates", {{"offset", offset}, {"allowed_updates", boost::json::array{"chat_member", "message"}}});
  auto joined = control_->Join(kChannel, kCarol);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_GT(joined->update_id, 0);
  auto left = control_->Leave(kChannel, kCarol);
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(control_->Leave(kChannel, kCarol).status().code(), absl::StatusCode::kFailedPrecondition);
  const boost::json::value updates = Ok("getUpdates", {{"offset", offset}});
  ASSERT_EQ(updates.as_array().size(), 2u);
  EXPECT_EQ(updates.as_array()[1].at("chat_member").at("new_chat_member").at("status").as_string(), "left");

  // A banned user cannot join.
  Ok("banChatMember", {{"chat_id", kGroup}, {"user_id", kCarol}});
  EXPECT_EQ(control_->Join(kGroup, kCarol).status().code(), absl::StatusCode::kPermissionDenied);
  Ok("unbanChatMember", {{"chat_id", kGroup}, {"user_id", kCarol}, {"only_if_banned", true}});
  EXPECT_TRUE(control_->Join(kGroup, kCarol).ok());
}

TEST_F(SandboxTest, UpgradeMovesABasicGroupToASupergroup) {
  SetUpWorld();
  constexpr int64_t kBasic = -4001;
  constexpr int64_t kSuper = -1004001;
  ASSERT_TRUE(control_->AddChat({.id = kBasic, .type = "group", .title = "Basic"}).ok());
  SetMember(kBasic, kAlice, "creator");
  SetMember(kBasic, kBotId, "administrator", {{"can_delete_messages", true}});
  SetMember(kBasic, kBob, "member");
  const int64_t offset = DrainUpdates();
  EXPECT_FALSE(control_->Post("/control/upgrade", {{"chat_id", kGroup}, {"new_chat_id", kSuper}, {"user_id", kAlice}})
                   .ok());  // a supergroup already
  auto upgraded =
      control_->Post("/control/upgrade", {{"chat_id", kBasic}, {"new_chat_id", kSuper}, {"user_id", kAlice}});
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();

  // Both service messages reach the bot, the old group's first.
  const boost::json::array updates = Ok("getUpdates", {{"offset", offset}}).as_array();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].at("message").at("chat").at("id").as_int64(), kBasic);
  EXPECT_EQ(updates[0].at("message").at("migrate_to_chat_id").as_int64(), kSuper);
  EXPECT_EQ(updates[1].at("message").at("chat").at("id").as_int64(), kSuper);
  EXPECT_EQ(updates[1].at("message").at("chat").at("type").as_string(), "supergroup");
  EXPECT_EQ(updates[1].at("message").at("migrate_from_chat_id").as_int64(), kBasic);

  // The members and admins moved; the old id answers as Telegram does
  // (tests/fixtures/botapi/reply_error_400_migrated.json).
  EXPECT_EQ(Ok("getChatMember", {{"chat_id", kSuper}, {"user_id", kBob}}).at("status").as_string(), "member");
  EXPECT_EQ(Ok("getChatMember", {{"chat_id", kSuper}, {"user_id", kBotId}}).at("status").as_string(), "administrator");
  const BotReply old = Call("sendMessage", {{"chat_id", kBasic}, {"text", "hi"}});
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(old.description(), "Bad Request: group chat was upgraded to a supergroup chat");
  EXPECT_EQ(old.body.at("parameters").at("migrate_to_chat_id").as_int64(), kSuper);
  EXPECT_FALSE(control_->Send(kBasic, kBob, "still here?").ok());
  EXPECT_TRUE(control_->Send(kSuper, kBob, "here").ok());
}

TEST_F(SandboxTest, JoinRequestsReachABotThatMayInvite) {
  SetUpWorld();
  SetMember(kChannel, kBotId, "administrator");
  auto unseen = control_->RequestJoin(kChannel, kCarol);
  ASSERT_TRUE(unseen.ok()) << unseen.status();
  EXPECT_EQ(unseen->update_id, 0);  // the bot may not invite users there

  SetMember(kChannel, kBotId, "administrator", {{"can_invite_users", true}});
  const int64_t offset = DrainUpdates();
  auto requested = control_->RequestJoin(kChannel, kCarol);
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_GT(requested->update_id, 0);
  const boost::json::value updates = Ok("getUpdates", {{"offset", offset}});
  ASSERT_EQ(updates.as_array().size(), 1u);
  const boost::json::value& request = updates.as_array()[0].at("chat_join_request");
  EXPECT_EQ(request.at("chat").at("id").as_int64(), kChannel);
  EXPECT_EQ(request.at("from").at("id").as_int64(), kCarol);
  EXPECT_EQ(control_->RequestJoin(kChannel, kAlice).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SandboxTest, BotOwnMembershipChangesComeAsMyChatMember) {
  SetUpWorld();
  const int64_t offset = DrainUpdates();
  auto result = control_->SetMember({.chat_id = kChannel, .user_id = kBotId, .status = "administrator"});
  ASSERT_TRUE(result.ok());
  EXPECT_GT(result->update_id, 0);
  const boost::json::value updates = Ok("getUpdates", {{"offset", offset}});
  ASSERT_EQ(updates.as_array().size(), 1u);
  EXPECT_EQ(updates.as_array()[0].at("my_chat_member").at("new_chat_member").at("status").as_string(), "administrator");
}

TEST_F(SandboxTest, MessagesButtonsAndCallbackAnswers) {
  SetUpWorld();
  const int64_t offset = DrainUpdates();
  const boost::json::object markup{
      {"inline_keyboard", boost::json::array{boost::json::array{
                              boost::json::object{{"text", "Channel"}, {"url", "https://t.me/news_channel"}},
                              boost::json::object{{"text", "I have joined"}, {"callback_data", "check"}}}}}};
  const boost::json::value sent = Ok(
      "sendMessage",
      {{"chat_id", kGroup}, {"text", "Join <b>@news_channel</b>"}, {"parse_mode", "HTML"}, {"reply_markup", markup}});
  EXPECT_EQ(sent.at("text").as_string(), "Join @news_channel");
  EXPECT_EQ(sent.at("entities").as_array()[0].at("type").as_string(), "bold");
  const int64_t message_id = sent.at("message_id").as_int64();

  auto pressed = control_->Press(kGroup, message_id, kBob);
  ASSERT_TRUE(pressed.ok()) << pressed.status();
  EXPECT_EQ(control_->Press(kGroup, message_id, kBob, 0).status().code(), absl::StatusCode::kInvalidArgument);
  const boost::json::value updates = Ok("getUpdates", {{"offset", offset}});
  ASSERT_EQ(updates.as_array().size(), 1u);
  const boost::json::value& query = updates.as_array()[0].at("callback_query");
  EXPECT_EQ(query.at("data").as_string(), "check");
  EXPECT_EQ(query.at("from").at("id").as_int64(), kBob);
  EXPECT_EQ(query.at("message").at("message_id").as_int64(), message_id);

  Ok("answerCallbackQuery", {{"callback_query_id", query.at("id")}, {"text", "Join first"}, {"show_alert", true}});
  auto answer = control_->GetCallbackAnswer(pressed->callback_query_id);
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->answered);
  EXPECT_EQ(answer->text, "Join first");
  EXPECT_EQ(Call("answerCallbackQuery", {{"callback_query_id", query.at("id")}}).description(),
            "Bad Request: query is too old and response timeout expired or query ID is invalid");

  Ok("deleteMessage", {{"chat_id", kGroup}, {"message_id", message_id}});
  EXPECT_EQ(Call("deleteMessage", {{"chat_id", kGroup}, {"message_id", message_id}}).description(),
            "Bad Request: message to delete not found");
  auto messages = control_->Messages(kGroup);
  ASSERT_TRUE(messages.ok());
  EXPECT_TRUE(messages->back().at("deleted").as_bool());
  EXPECT_EQ(Call("sendMessage", {{"chat_id", kGroup}, {"text", "<x>"}, {"parse_mode", "HTML"}}).description(),
            "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0");
}

TEST_F(SandboxTest, SendMessageNeedsTheBotInTheChat) {
  SetUpWorld();
  BotReply reply = Call("sendMessage", {{"chat_id", kChannel}, {"text", "hi"}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.description(), "Forbidden: bot is not a member of the channel chat");
  reply = Call("sendMessage", {{"chat_id", kCarol}, {"text", "hi"}});
  EXPECT_EQ(reply.description(), "Forbidden: bot can't initiate conversation with a user");
  ASSERT_TRUE(control_->Send(kCarol, kCarol, "/start").ok());
  EXPECT_EQ(Call("sendMessage", {{"chat_id", kCarol}, {"text", "hi"}}).status, 200);
}

TEST_F(SandboxTest, ChannelPostsAreForwardedToTheDiscussionGroup) {
  SetUpWorld();
  ASSERT_TRUE(control_
                  ->AddChat({.id = kChannel,
                             .type = "channel",
                             .title = "News",
                             .username = "news_channel",
                             .linked_chat_id = kGroup})
                  .ok());
  const int64_t offset = DrainUpdates();
  auto posted = control_->Send(kChannel, kAlice, "news!");
  ASSERT_TRUE(posted.ok()) << posted.status();
  EXPECT_EQ(posted->update_id, 0);  // the bot is not in the channel
  EXPECT_GT(posted->forward_message_id, 0);
  const boost::json::value updates = Ok("getUpdates", {{"offset", offset}});
  ASSERT_EQ(updates.as_array().size(), 1u);
  const boost::json::value& forward = updates.as_array()[0].at("message");
  EXPECT_TRUE(forward.at("is_automatic_forward").as_bool());
  EXPECT_EQ(forward.at("sender_chat").at("id").as_int64(), kChannel);
  EXPECT_EQ(forward.at("from").at("id").as_int64(), 777000);
  EXPECT_EQ(Ok("getChat", {{"chat_id", kGroup}}).at("linked_chat_id").as_int64(), kChannel);
}

TEST_F(SandboxTest, CallLogRecordsEveryCall) {
  SetUpWorld();
  const int64_t offset = DrainUpdates();
  auto before = control_->Calls();
  ASSERT_TRUE(before.ok());
  const int64_t since = before->back().at("seq").as_int64();
  Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kAlice}, {"permissions", kMuted}});
  Ok("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", kMuted}});
  Ok("getUpdates", {{"offset", offset}});

  auto calls = control_->Calls("RESTRICTCHATMEMBER", since);
  ASSERT_TRUE(calls.ok()) << calls.status();
  ASSERT_EQ(calls->size(), 2u);
  const boost::json::object& refused = calls->at(0).as_object();
  EXPECT_EQ(refused.at("method").as_string(), "restrictChatMember");
  EXPECT_FALSE(refused.at("ok").as_bool());
  EXPECT_EQ(refused.at("error_code").as_int64(), 400);
  EXPECT_EQ(refused.at("description").as_string(), "Bad Request: can't remove chat owner");
  const boost::json::object& done = calls->at(1).as_object();
  EXPECT_TRUE(done.at("ok").as_bool());
  EXPECT_EQ(done.at("seq").as_int64(), refused.at("seq").as_int64() + 1);
  EXPECT_EQ(done.at("params").at("user_id").as_int64(), kBob);
  EXPECT_FALSE(done.at("params").at("permissions").at("can_send_messages").as_bool());
  EXPECT_EQ(control_->Calls("", since)->size(), 3u);

  // Reset forgets the world and the records, but sequence numbers go on.
  ASSERT_TRUE(control_->Reset().ok());
  EXPECT_TRUE(control_->Calls("", 0)->empty());
  Ok("getMe");
  EXPECT_GT(control_->Calls("getMe", 0)->at(0).at("seq").as_int64(), done.at("seq").as_int64());
}

TEST(CallLogTest, KeepsTheNewestAndSaysWhereItStarts) {
  CallLog log(2);
  EXPECT_EQ(log.oldest_seq(), 1);  // empty: the next call's
  for (const char* method : {"getMe", "getUpdates", "sendMessage"}) log.Append({.method = method});
  EXPECT_EQ(log.oldest_seq(), 2);  // the first call is gone
  EXPECT_EQ(log.next_seq(), 4);
  ASSERT_EQ(log.Since(0, "", 10).size(), 2u);
  EXPECT_EQ(log.Since(0, "", 10)[0].method, "getUpdates");
}

TEST_F(SandboxTest, ControlApiExplainsRefusals) {
  SetUpWorld();
  EXPECT_EQ(control_->Send(kGroup, kCarol, "hi").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(control_->Send(-5, kBob, "hi").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(control_->AddUser({.id = 7, .username = "x"}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(control_->AddChat({.id = 5, .type = "supergroup"}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(control_->Join(kGroup, kBob).status().code(), absl::StatusCode::kFailedPrecondition);
  auto missing = control_->Post("/control/nothing", {});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace subguard::sandbox
