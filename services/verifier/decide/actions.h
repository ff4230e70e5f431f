// Builders for the actions a decision emits, each with its stable id.
//
// An action id is "<update_id>:<purpose>:<chat_id>:<target>" (target: the user or message acted on).
// A redelivery of the same update that decides the same thing yields the same ids, so the ingest and
// the sender deduplicate it; a redelivery that decides differently (a lookup changed in between)
// yields ids for different purposes or targets, never colliding with the first attempt's. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "subguard/v1/action.pb.h"

namespace subguard::verifier::decide {

std::string ActionId(int64_t update_id, std::string_view purpose, int64_t chat_id, int64_t target);
// The id of Lift(update_id, chat_id, user_id, ...).
std::string LiftId(int64_t update_id, int64_t chat_id, int64_t user_id);

// restrictChatMember with every permission off, until until_date (unix time; 0: until lifted).
v1::Action Restrict(int64_t update_id, int64_t chat_id, int64_t user_id, int64_t until_date);
// restrictChatMember with the group's default permissions.
v1::Action Lift(int64_t update_id, int64_t chat_id, int64_t user_id, const v1::ChatPermissions& permissions);
v1::Action Delete(int64_t update_id, int64_t chat_id, int64_t message_id);
// A kick: banChatMember, then unbanChatMember with only_if_banned so the user may join again.
v1::Action Ban(int64_t update_id, int64_t chat_id, int64_t user_id);
v1::Action UnbanIfBanned(int64_t update_id, int64_t chat_id, int64_t user_id);
v1::Action AnswerCallback(int64_t update_id, int64_t chat_id, std::string_view callback_query_id, std::string_view text,
                          bool show_alert);
// A message in chat_id; purpose and target make its id ("prompt" for user 7, "reply" to message 12).
v1::Action Send(int64_t update_id, int64_t chat_id, std::string_view purpose, int64_t target, v1::SendMessage message);
// A plain-text reply to message_id.
v1::Action Reply(int64_t update_id, int64_t chat_id, int64_t message_id, std::string_view text);

// What a member may do when nothing restricts them, for groups whose permissions are unknown.
v1::ChatPermissions DefaultMemberPermissions();

}  // namespace subguard::verifier::decide
