// Monitors: the verifier's handler for forward monitors. It takes the updates Wants() claims (a
// channel's new or edited posts, /monitor commands in a private chat with the bot, and the
// RegistryLoop's MonitorFlush and MonitorAlbum), and a source group's messages the protection path
// left alone (OnGroupMessage), and returns the Decision the Verifier acknowledges them with:
//   a post: one forwardMessage/copyMessage action per forward/copy monitor of its source that takes
//     it (posts.h), after storing it in recorded_posts when a record monitor takes it, so recording
//     never depends on a destination; a new album part is gathered instead (album_store.h);
//   a command: the monitors table changed as asked, and a reply (monitor_commands.cc);
//   a MonitorFlush: the posts held for the destination whose monitor still exists, in order;
//   a MonitorAlbum: one forwardMessages/copyMessages per destination with the album's parts.
// A post for a destination in cool-down, or with posts held before it, is held in the chat registry
// (chat_registry.h) instead of sent; its action keeps its id, so a flush after a crash is
// deduplicated by the sender's done marks like any redelivery.
// Owner rule: /monitor add needs the sender to be an administrator of the source and of the
// destination, and the bot to be an administrator of the source, a channel or a group (Telegram sends
// channel posts only to admins, and a group's messages to a bot in privacy mode only when it is one)
// and able to post in the destination. /monitor list, remove and status act on the
// monitors the sender added.
//
// Errors: a transient failure (PostgreSQL away, Telegram 429/5xx) is returned, so the Verifier nacks
// and the update comes again; Telegram's permanent refusals become replies.
// Called by the Verifier on the dispatch Worker's threads. Thread-safe: no state of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/telegram/bot_api.h"
#include "services/verifier/decide/messages.h"
#include "services/verifier/decide/types.h"
#include "services/verifier/monitors/album_store.h"
#include "services/verifier/monitors/chat_registry.h"
#include "services/verifier/monitors/command.h"
#include "services/verifier/monitors/monitor_store.h"
#include "services/verifier/monitors/source_cache.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::monitors {

class Monitors {
 public:
  Monitors(decide::BotIdentity bot, telegram::BotApi& bot_api, MonitorStore& store, ChatRegistry& registry,
           AlbumStore& albums, SourceCache& sources, RegistryMetrics& metrics)
      : bot_(std::move(bot)),
        bot_api_(bot_api),
        store_(store),
        registry_(registry),
        albums_(albums),
        sources_(sources),
        metrics_(metrics) {}

  // True for channel_post, edited_channel_post, monitor_flush, monitor_album, and a /monitor command
  // in a private chat.
  bool Wants(const v1::Update& update) const;

  // For an update Wants() claimed.
  absl::StatusOr<decide::Decision> Handle(const v1::Update& update);

  // A group's new or edited message, after the protection path answered it: when protection did not
  // act on the message (protection_acted: it restricted, deleted or prompted; checked first, so a
  // failed source lookup never discards protection's decision) and the group is a monitor source
  // (SourceCache: no query for other groups), the post's decision; nullopt otherwise. Service
  // messages (v1::Message.service: members joining or leaving, an upgrade, a pin, ...) are never
  // monitored, in groups or channels.
  absl::StatusOr<std::optional<decide::Decision>> OnGroupMessage(const v1::Update& update, bool protection_acted);

  // Logs one line per monitored chat the bot cannot use (monitors_chat_not_ready) and a count. Called
  // once by main at start.
  absl::Status LogNotReady();

 private:
  // A chat an argument of /monitor add names, and why it cannot be used ("" when it can).
  struct Resolved {
    v1::Chat chat;
    std::string problem;
  };

  absl::StatusOr<decide::Decision> OnPost(int64_t update_id, const v1::Message& post, bool edited);
  // The actions of destinations that must wait are held; returns the others.
  absl::StatusOr<std::vector<v1::Action>> HoldWaiting(std::vector<v1::Action> actions);
  absl::StatusOr<decide::Decision> OnFlush(const v1::MonitorFlush& flush);
  absl::StatusOr<decide::Decision> OnAlbum(const v1::MonitorAlbum& album);

  // monitor_commands.cc.
  absl::StatusOr<decide::Decision> OnCommand(int64_t update_id, const v1::Message& message);
  // The replies are in catalogue's language (the sender's, decide::CatalogueForUser).
  absl::StatusOr<std::string> Add(const v1::Message& message, const MonitorCommand& command,
                                  const decide::Catalogue& catalogue);
  absl::StatusOr<std::string> List(int64_t owner_user_id, const decide::Catalogue& catalogue);
  absl::StatusOr<std::string> Status(int64_t owner_user_id, const decide::Catalogue& catalogue);
  // Looks arg up and checks the user's and the bot's standing there; records it in the registry.
  absl::StatusOr<Resolved> Resolve(const std::string& arg, int64_t user_id, bool is_source,
                                   const decide::Catalogue& catalogue);
  // The status of user_id in chat_id ("administrator", ...); "" when Telegram refuses to tell.
  absl::StatusOr<std::string> MemberStatus(int64_t chat_id, int64_t user_id);

  const decide::BotIdentity bot_;
  telegram::BotApi& bot_api_;
  MonitorStore& store_;
  ChatRegistry& registry_;
  AlbumStore& albums_;
  SourceCache& sources_;
  RegistryMetrics& metrics_;
};

}  // namespace subguard::verifier::monitors
