#include "services/verifier/monitors/monitors.h"

#include <vector>

#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "services/verifier/monitors/posts.h"

namespace subguard::verifier::monitors {

bool Monitors::Wants(const v1::Update& update) const {
  switch (update.payload_case()) {
    case v1::Update::kChannelPost:
    case v1::Update::kEditedChannelPost:
      return true;
    case v1::Update::kMessage:
      return update.message().chat().type() == "private" && IsMonitorCommand(update.message().text(), bot_.username);
    default:
      return false;
  }
}

absl::StatusOr<decide::Decision> Monitors::Handle(const v1::Update& update) {
  switch (update.payload_case()) {
    case v1::Update::kChannelPost:
      return OnPost(update.update_id(), update.channel_post(), /*edited=*/false);
    case v1::Update::kEditedChannelPost:
      return OnPost(update.update_id(), update.edited_channel_post(), /*edited=*/true);
    case v1::Update::kMessage:
      return OnCommand(update.update_id(), update.message());
    default:
      return decide::Decision{.outcome = "ignored"};
  }
}

absl::StatusOr<decide::Decision> Monitors::OnPost(int64_t update_id, const v1::Message& post, bool edited) {
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForSource(post.chat().id()));
  if (ShouldRecord(post, monitors)) RETURN_IF_ERROR(store_.RecordPost(post, edited));
  decide::Decision decision{.actions = PostActions(update_id, post, edited, monitors)};
  decision.outcome = decision.actions.empty() ? "post_not_monitored" : "post_monitored";
  return decision;
}

absl::Status Monitors::LogNotReady() {
  ASSIGN_OR_RETURN(std::vector<ChatState> chats, store_.NotReady());
  for (const ChatState& chat : chats) {
    log::Warn("monitors_chat_not_ready", {{"chat_id", chat.chat_id},
                                          {"bot_status", chat.bot_status.empty() ? "unknown" : chat.bot_status},
                                          {"last_error", chat.last_error}});
  }
  log::Info("monitors_startup_summary", {{"chats_not_ready", static_cast<int64_t>(chats.size())}});
  return absl::OkStatus();
}

}  // namespace subguard::verifier::monitors
