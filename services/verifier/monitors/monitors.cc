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
    case v1::Update::kMonitorFlush:
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
    case v1::Update::kMonitorFlush:
      return OnFlush(update.monitor_flush());
    default:
      return decide::Decision{.outcome = "ignored"};
  }
}

absl::StatusOr<decide::Decision> Monitors::OnPost(int64_t update_id, const v1::Message& post, bool edited) {
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForSource(post.chat().id()));
  if (monitors.empty()) return decide::Decision{.outcome = "post_not_monitored"};
  RETURN_IF_ERROR(registry_.Seen(post.chat()));
  if (ShouldRecord(post, monitors)) RETURN_IF_ERROR(store_.RecordPost(post, edited));
  std::vector<v1::Action> actions = PostActions(update_id, post, edited, monitors);
  const bool taken = !actions.empty();
  ASSIGN_OR_RETURN(actions, HoldWaiting(std::move(actions)));
  decide::Decision decision{.actions = std::move(actions)};
  decision.outcome = !taken ? "post_not_monitored" : decision.actions.empty() ? "post_held" : "post_monitored";
  return decision;
}

absl::StatusOr<std::vector<v1::Action>> Monitors::HoldWaiting(std::vector<v1::Action> actions) {
  std::vector<int64_t> dests;
  for (const v1::Action& action : actions) dests.push_back(action.chat_id());
  ASSIGN_OR_RETURN(const absl::flat_hash_set<int64_t> holding, registry_.Holding(dests));
  if (holding.empty()) return actions;
  std::vector<v1::Action> send;
  std::vector<v1::Action> hold;
  for (v1::Action& action : actions) (holding.contains(action.chat_id()) ? hold : send).push_back(std::move(action));
  RETURN_IF_ERROR(registry_.Hold(hold));
  return send;
}

absl::StatusOr<decide::Decision> Monitors::OnFlush(const v1::MonitorFlush& flush) {
  ASSIGN_OR_RETURN(std::vector<v1::Action> held, registry_.Held(flush.dest_chat_id()));
  log::Info("monitor_flush", {{"chat_id", flush.dest_chat_id()}, {"posts", static_cast<int64_t>(held.size())}});
  return decide::Decision{.outcome = "monitor_flush", .actions = std::move(held)};
}

absl::Status Monitors::LogNotReady() {
  ASSIGN_OR_RETURN(std::vector<ChatState> chats, store_.NotReady());
  for (const ChatState& chat : chats) {
    log::Warn("monitors_chat_not_ready", {{"chat_id", chat.chat_id},
                                          {"reason", NotReadyReason(chat)},
                                          {"bot_status", chat.bot_status.empty() ? "unknown" : chat.bot_status},
                                          {"cooldown_s", chat.cooldown_s},
                                          {"held_posts", chat.held_posts},
                                          {"last_error", chat.last_error}});
  }
  log::Info("monitors_startup_summary", {{"chats_not_ready", static_cast<int64_t>(chats.size())}});
  return absl::OkStatus();
}

}  // namespace subguard::verifier::monitors
