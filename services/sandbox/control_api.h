// ControlApi: JSON over HTTP under /control/, for tests and the story driver to script the sandbox's world
// and look at what the bot did. Not part of the Bot API.
//
// Setting up (changes state, tells the bot nothing except my_chat_member about itself):
//   POST /control/reset    everything forgotten but the bot; webhook deleted; update_id and call seq go on
//   POST /control/users    {id, first_name?, last_name?, username?, is_bot?, language_code?}
//   POST /control/chats    {id, type: private|group|supergroup|channel, title?, username?, permissions?,
//                           linked_chat_id?}  (a linked chat that has no link yet is linked back)
//   POST /control/members  {chat_id, user_id, status: creator|administrator|member|restricted|left|kicked,
//                           until_date?, is_member?, is_anonymous?, custom_title?, actor_id?,
//                           administrator rights (can_restrict_members...), permissions? or permission fields}
//                          -> {update_id} (my_chat_member when user_id is the bot, else 0)
// Events, as Telegram would report them (control_events.cc):
//   POST /control/join     {chat_id, user_id} -> {update_id, message_id, message_update_id}
//   POST /control/leave    {chat_id, user_id} -> {update_id, message_id, message_update_id}
//   POST /control/send     {chat_id, user_id, text, reply_to_message_id?, sender_chat_id?}
//                          -> {message_id, update_id, forward_message_id?, forward_update_id?}
//   POST /control/press    {chat_id, message_id, user_id, button?} -> {callback_query_id, update_id}
//   POST /control/join_request {chat_id, user_id} -> {update_id}  (a request to join; the membership
//                          is unchanged until an admin approves it)
//   POST /control/upgrade  {chat_id, new_chat_id, user_id} -> {update_id, new_update_id}  (a basic group
//                          becomes the supergroup new_chat_id with its title, members and admins; the old
//                          group's last message carries migrate_to_chat_id, the new one's first
//                          migrate_from_chat_id, both from user_id (an admin); the old id then
//                          answers every Bot API call with 400 and parameters.migrate_to_chat_id)
// Looking (GET, query parameters):
//   /control/calls?method=&since=&limit=     -> {calls: [{seq, method, params, ok, error_code, description,
//                                                time}], next_seq, oldest_seq}
//   /control/member?chat_id=&user_id=         -> {member: ChatMember}
//   /control/messages?chat_id=                -> {messages: [Message + deleted, outgoing]}
//   /control/callback_answer?id=              -> {answered, text, show_alert, url, cache_time}
// update_id fields are 0 when the bot does not receive the update (not in the chat, not an administrator for
// chat_member, or filtered out by allowed_updates).
// Thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "absl/status/statusor.h"
#include "common/http/server.h"
#include "services/sandbox/call_log.h"
#include "services/sandbox/update_queue.h"
#include "services/sandbox/webhook_pusher.h"
#include "services/sandbox/world.h"

namespace subguard::sandbox {

class ControlApi {
 public:
  ControlApi(World& world, UpdateQueue& updates, WebhookPusher& webhook, CallLog& call_log)
      : world_(world), updates_(updates), webhook_(webhook), call_log_(call_log) {}

  // Answers a request whose path starts with "/control/".
  http::Response Handle(const http::Request& request);

 private:
  using Result = absl::StatusOr<boost::json::object>;
  using Input = boost::json::object;

  Result Reset(const Input& input);
  Result PutUser(const Input& input);
  Result PutChat(const Input& input);
  Result SetMember(const Input& input);
  Result Calls(const Input& input);
  Result GetMember(const Input& input);
  Result Messages(const Input& input);
  Result CallbackAnswer(const Input& input);
  // control_events.cc
  Result Join(const Input& input);
  Result Leave(const Input& input);
  Result Send(const Input& input);
  // An album: parts photos sharing one media_group_id, the first with the caption, posted as parts
  // consecutive messages (channel_post updates in a channel), as Telegram delivers one.
  Result Album(const Input& input);
  Result Press(const Input& input);
  Result JoinRequest(const Input& input);
  Result Upgrade(const Input& input);

  World& world_;
  UpdateQueue& updates_;
  WebhookPusher& webhook_;
  CallLog& call_log_;
};

}  // namespace subguard::sandbox
