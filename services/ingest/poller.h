// Poller: receives updates by getUpdates long polling, on the one ingest instance that holds the
// poller lease (journal::kPollerLease, kept by a LeaseKeeper); every other instance stands by.
//
// PollOnce journals every update of a batch through the Intake and only then advances the offset
// (in memory, and in Redis so a standby that takes over resumes there). A malformed update is
// skipped and confirmed; a journal failure stops the batch there, so Telegram sends the rest again.
// Before its first poll it calls deleteWebhook (getUpdates fails while a webhook is set).
// Errors back off with full jitter: 409 Conflict (another poller, or a webhook), a rejected token,
// Telegram or Redis unreachable, each logged once per failure with its cause.
// PollOnce runs on the Poller's thread only; Start/RequestStop/Stop are called from main.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/base/backoff.h"
#include "common/base/random.h"
#include "common/journal/journal.h"
#include "common/observability/metrics.h"
#include "common/telegram/bot_api.h"
#include "prometheus/counter.h"
#include "services/ingest/intake.h"
#include "services/ingest/lease_keeper.h"

namespace subguard::ingest {

// The update kinds subguard asks Telegram for (chat_member and the like are only sent when asked).
std::vector<std::string> DefaultAllowedUpdates();

struct PollerOptions {
  // --allowed_updates / SUBGUARD_ALLOWED_UPDATES; default DefaultAllowedUpdates().
  std::vector<std::string> allowed_updates = DefaultAllowedUpdates();
  // How long one getUpdates waits on the server for updates (--poll_timeout /
  // SUBGUARD_POLL_TIMEOUT; default 10s). It also bounds how long stopping waits.
  absl::Duration long_poll = absl::Seconds(10);
  int limit = 100;  // updates per getUpdates (1..100)
  // Backoff after a failure (full jitter, doubling from base up to cap).
  base::BackoffPolicy backoff = {.base = absl::Milliseconds(200), .cap = absl::Seconds(30)};
  // How often a standby checks whether it became the poller (default 1s).
  absl::Duration standby_interval = absl::Seconds(1);
};

class Poller {
 public:
  Poller(PollerOptions options, telegram::BotApi& bot, journal::Journal& journal, Intake& intake,
         const LeaseKeeper& poller_lease, base::Random& random, observability::Registry& registry);
  ~Poller() { Stop(); }

  // One round: stand by, or poll once and journal the batch. Returns how long to wait before the
  // next round (zero after a successful poll: long polling does the waiting).
  absl::Duration PollOnce();
  int64_t offset() const { return offset_; }

  void Start();
  // Asks the thread to stop after its current call (a long poll ends within options.long_poll).
  void RequestStop();
  // RequestStop, then waits for the thread. Idempotent.
  void Stop();

 private:
  // This instance has just become the poller with fence: resume the stored offset, delete a webhook
  // once. Returns the delay before retrying when that failed.
  std::optional<absl::Duration> BecomePoller(uint64_t fence);
  absl::Duration Fail(std::string_view kind, const absl::Status& status);

  const PollerOptions options_;
  telegram::BotApi& bot_;
  journal::Journal& journal_;
  Intake& intake_;
  const LeaseKeeper& poller_lease_;
  base::Random& random_;
  prometheus::Family<prometheus::Counter>& errors_;

  // Owned by the polling thread.
  int64_t offset_ = 0;
  uint64_t fence_ = 0;  // the poller lease's fence while polling; 0 while standing by
  bool webhook_deleted_ = false;
  int failures_ = 0;  // consecutive, for the backoff

  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace subguard::ingest
