#include "services/verifier/monitors/monitors.h"

#include <algorithm>
#include <string>
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
    case v1::Update::kMonitorAlbum:
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
    case v1::Update::kMonitorAlbum:
      return OnAlbum(update.monitor_album());
    default:
      return decide::Decision{.outcome = "ignored"};
  }
}

absl::StatusOr<decide::Decision> Monitors::OnPost(int64_t update_id, const v1::Message& post, bool edited) {
  if (post.service()) return decide::Decision{.outcome = "service_message_not_monitored"};
  ASSIGN_OR_RETURN(std::vector<Monitor> monitors, store_.ForSource(post.chat().id()));
  if (monitors.empty()) return decide::Decision{.outcome = "post_not_monitored"};
  RETURN_IF_ERROR(registry_.Seen(post.chat()));
  if (ShouldRecord(post, monitors)) RETURN_IF_ERROR(store_.RecordPost(post, edited));
  const bool sends = std::any_of(monitors.begin(), monitors.end(),
                                 [](const Monitor& monitor) { return monitor.mode != Mode::kRecord; });
  if (!edited && !post.media_group_id().empty() && sends) {
    // A new album part waits for the rest (the MonitorAlbum update sends them), unless it is late.
    ASSIGN_OR_RETURN(const Gathered gathered, albums_.Gather(update_id, post));
    if (gathered == Gathered::kGathered) return decide::Decision{.outcome = "album_part_gathered"};
    if (gathered == Gathered::kAlready) return decide::Decision{.outcome = "album_part_again"};
  }
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

absl::StatusOr<std::optional<decide::Decision>> Monitors::OnGroupMessage(const v1::Update& update,
                                                                         bool protection_acted) {
  const bool edited = update.has_edited_message();
  const v1::Message& message = edited ? update.edited_message() : update.message();
  const std::string& type = message.chat().type();
  if ((!edited && !update.has_message()) || (type != "group" && type != "supergroup")) return std::nullopt;
  // A service message (Telegram refuses to forward one), or a message protection answered: its
  // decision stands even when the source lookup would fail.
  if (message.service() || protection_acted) return std::nullopt;
  ASSIGN_OR_RETURN(const bool source, sources_.IsSource(message.chat().id()));
  if (!source) return std::nullopt;
  return OnPost(update.update_id(), message, edited);
}

absl::StatusOr<decide::Decision> Monitors::OnFlush(const v1::MonitorFlush& flush) {
  const int64_t dest = flush.dest_chat_id();
  ASSIGN_OR_RETURN(std::vector<v1::Action> held, registry_.Held(dest));
  // A removed monitor's posts are dropped, not sent.
  ASSIGN_OR_RETURN(const std::vector<Monitor> monitors, store_.ForDestination(dest));
  std::vector<v1::Action> send;
  std::vector<std::string> orphans;
  for (v1::Action& action : held) {
    if (HasMonitor(action, monitors)) {
      send.push_back(std::move(action));
    } else {
      orphans.push_back(action.id());
    }
  }
  RETURN_IF_ERROR(registry_.Drop(dest, orphans));
  log::Info("monitor_flush", {{"chat_id", dest},
                              {"posts", static_cast<int64_t>(send.size())},
                              {"dropped", static_cast<int64_t>(orphans.size())}});
  return decide::Decision{.outcome = "monitor_flush", .actions = std::move(send)};
}

absl::StatusOr<decide::Decision> Monitors::OnAlbum(const v1::MonitorAlbum& album) {
  const AlbumKey key{album.source_chat_id(), album.media_group_id()};
  ASSIGN_OR_RETURN(const std::vector<AlbumPart> parts, albums_.Parts(key));
  ASSIGN_OR_RETURN(const std::vector<Monitor> monitors, store_.ForSource(key.source_chat_id));
  std::vector<v1::Action> actions = AlbumActions(parts, monitors);
  const size_t destinations = actions.size();
  ASSIGN_OR_RETURN(actions, HoldWaiting(std::move(actions)));
  RETURN_IF_ERROR(albums_.MarkDone(key));
  metrics_.CountAlbum();
  log::Info("monitor_album", {{"chat_id", key.source_chat_id},
                              {"parts", static_cast<int64_t>(parts.size())},
                              {"destinations", static_cast<int64_t>(destinations)},
                              {"held", static_cast<int64_t>(destinations - actions.size())}});
  return decide::Decision{.outcome = "monitor_album", .actions = std::move(actions)};
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
