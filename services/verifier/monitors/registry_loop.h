// RegistryLoop: the chat registry's background work in each verifier, one thread, every tick:
//   1. folds the senders' monitor outcomes (common/registry/outcomes.h, read through a consumer group
//      shared by every verifier, so each entry is folded once) into ChatRegistry: counts, cool-downs
//      and held posts;
//   2. for each destination whose cool-down is over and that holds posts (ChatRegistry::ClaimFlushes,
//      once across verifiers), appends a MonitorFlush update to the journal: a verifier takes it like
//      any update and answers it with the held posts' actions, under their original ids;
//   3. for each album with no new part for --monitor_album_quiet (AlbumStore::ClaimQuiet, once across
//      verifiers), appends a MonitorAlbum update to the source's partition: the verifier that takes it
//      answers one forwardMessages/copyMessages per destination;
//   4. every prune interval, prunes the chats unseen for --monitor_registry_prune_after and the
//      albums answered long ago.
// A refusal that starts a destination's cool-down, and the success that ends it, also refresh the
// bot's status there (one getChatMember each, so at most twice per cool-down), for /monitor status.
// Start and Stop are called once each, from main.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/periodic_thread.h"
#include "common/base/random.h"
#include "common/journal/journal.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/verifier/monitors/album_store.h"
#include "services/verifier/monitors/chat_registry.h"

namespace subguard::verifier::monitors {

// A flush's or an album request's update id: never a Telegram update id (those are positive), and
// -(microseconds since the epoch * 1000 + (salt + sequence) % 1000), so one process's requests differ
// by their sequence and two processes' (each with its own random salt in [0, 1000)) almost never
// meet, even within one microsecond: the journal drops a repeated update id. Pure.
int64_t SyntheticUpdateId(absl::Time now, int64_t salt, int64_t sequence);

struct RegistryLoopOptions {
  // This verifier's consumer name in the outcomes' consumer group (--worker_id's value).
  std::string consumer;
  // --monitor_registry_prune_after: chats unseen this long are pruned (default 720h, 30 days); they
  // are pruned every hour, or every prune_after when that is shorter.
  absl::Duration prune_after = absl::Hours(24 * 30);
  // How often the loop runs. Not a flag: 500 ms.
  absl::Duration tick = absl::Milliseconds(500);
  // An outcome read by a verifier that died unacknowledged is taken over after this. Not a flag: 30 s.
  absl::Duration claim_idle = absl::Seconds(30);
  // --monitor_album_quiet: an album is sent once no part has come for this long (default 1s).
  absl::Duration album_quiet = absl::Seconds(1);
  // An album claimed this long ago and still not answered (its update was lost) is claimed again.
  // Not a flag: 30 s.
  absl::Duration album_reclaim = absl::Seconds(30);
  // The bot's user id, for getChatMember after a refusal.
  int64_t bot_id = 0;
};

class RegistryLoop {
 public:
  RegistryLoop(RegistryLoopOptions options, redis::Pool& redis, journal::Journal& journal, ChatRegistry& registry,
               AlbumStore& albums, telegram::BotApi& bot_api)
      : options_(std::move(options)),
        redis_(redis),
        journal_(journal),
        registry_(registry),
        albums_(albums),
        bot_api_(bot_api) {}
  ~RegistryLoop() { Stop(); }

  void Start();
  void Stop() { loop_.Stop(); }

  // One pass of each step; public for tests.
  absl::Status FoldOutcomes();
  absl::Status RequestFlushes();
  absl::Status RequestAlbums();

 private:
  // getChatMember for the bot in chat_id, recorded in the registry; failures are logged only.
  void RefreshBotStatus(int64_t chat_id);
  // Prunes the registry's chats and the old albums; failures are logged only.
  void Prune();
  // A new negative update id for a flush or an album request.
  int64_t SyntheticUpdateId();

  const RegistryLoopOptions options_;
  redis::Pool& redis_;
  journal::Journal& journal_;
  ChatRegistry& registry_;
  AlbumStore& albums_;
  telegram::BotApi& bot_api_;
  // SyntheticUpdateId's; only the loop's thread (or a test) calls it.
  const int64_t salt_ = static_cast<int64_t>(base::RealRandom().Uniform() * 1000);
  int64_t next_sequence_ = 0;
  base::PeriodicThread loop_;
};

}  // namespace subguard::verifier::monitors
