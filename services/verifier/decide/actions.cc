#include "services/verifier/decide/actions.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace subguard::verifier::decide {
namespace {

constexpr std::string_view kLiftPurpose = "lift";

v1::Action Base(int64_t update_id, std::string_view purpose, int64_t chat_id, int64_t target) {
  v1::Action action;
  action.set_id(ActionId(update_id, purpose, chat_id, target));
  action.set_chat_id(chat_id);
  action.set_update_id(update_id);
  return action;
}

}  // namespace

std::string ActionId(int64_t update_id, std::string_view purpose, int64_t chat_id, int64_t target) {
  return absl::StrCat(update_id, ":", base::ToAbsl(purpose), ":", chat_id, ":", target);
}

std::string LiftId(int64_t update_id, int64_t chat_id, int64_t user_id) {
  return ActionId(update_id, kLiftPurpose, chat_id, user_id);
}

v1::Action Restrict(int64_t update_id, int64_t chat_id, int64_t user_id, int64_t until_date) {
  v1::Action action = Base(update_id, "restrict", chat_id, user_id);
  action.mutable_restrict_member()->set_user_id(user_id);
  action.mutable_restrict_member()->set_until_date(until_date);
  return action;
}

v1::Action Lift(int64_t update_id, int64_t chat_id, int64_t user_id, const v1::ChatPermissions& permissions) {
  v1::Action action = Base(update_id, kLiftPurpose, chat_id, user_id);
  action.mutable_lift_restriction()->set_user_id(user_id);
  *action.mutable_lift_restriction()->mutable_permissions() = permissions;
  return action;
}

v1::Action Ban(int64_t update_id, int64_t chat_id, int64_t user_id) {
  v1::Action action = Base(update_id, "ban", chat_id, user_id);
  action.mutable_ban_member()->set_user_id(user_id);
  return action;
}

v1::Action UnbanIfBanned(int64_t update_id, int64_t chat_id, int64_t user_id) {
  v1::Action action = Base(update_id, "unban", chat_id, user_id);
  action.mutable_unban_member()->set_user_id(user_id);
  action.mutable_unban_member()->set_only_if_banned(true);
  return action;
}

v1::Action Delete(int64_t update_id, int64_t chat_id, int64_t message_id) {
  v1::Action action = Base(update_id, "delete", chat_id, message_id);
  action.mutable_delete_message()->set_message_id(message_id);
  return action;
}

v1::Action AnswerCallback(int64_t update_id, int64_t chat_id, std::string_view callback_query_id, std::string_view text,
                          bool show_alert) {
  v1::Action action = Base(update_id, "answer", chat_id, 0);
  v1::AnswerCallback* answer = action.mutable_answer_callback();
  answer->set_callback_query_id(std::string(callback_query_id));
  answer->set_text(std::string(text));
  answer->set_show_alert(show_alert);
  return action;
}

v1::Action Send(int64_t update_id, int64_t chat_id, std::string_view purpose, int64_t target, v1::SendMessage message) {
  v1::Action action = Base(update_id, purpose, chat_id, target);
  *action.mutable_send_message() = std::move(message);
  return action;
}

v1::Action Reply(int64_t update_id, int64_t chat_id, int64_t message_id, std::string_view text) {
  v1::SendMessage message;
  message.set_text(std::string(text));
  message.set_reply_to_message_id(message_id);
  return Send(update_id, chat_id, "reply", message_id, std::move(message));
}

v1::ChatPermissions DefaultMemberPermissions() {
  v1::ChatPermissions permissions;
  permissions.set_can_send_messages(true);
  permissions.set_can_send_audios(true);
  permissions.set_can_send_documents(true);
  permissions.set_can_send_photos(true);
  permissions.set_can_send_videos(true);
  permissions.set_can_send_video_notes(true);
  permissions.set_can_send_voice_notes(true);
  permissions.set_can_send_polls(true);
  permissions.set_can_send_other_messages(true);
  permissions.set_can_add_web_page_previews(true);
  return permissions;
}

}  // namespace subguard::verifier::decide
