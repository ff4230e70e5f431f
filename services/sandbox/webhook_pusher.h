// WebhookPusher: delivers the bot's updates to its webhook the way Telegram does, once setWebhook named one.
//
// Each update is POSTed alone as JSON, with the X-Telegram-Bot-Api-Secret-Token header when a secret was
// set. A 2xx answer forgets the update; anything else keeps it and retries it later, like WebhookActor.cpp
// on_update_error: the first retry at once, then after 2, 4, 8... seconds, capped at a random 60 to 120.
// Updates of one chat (one queue key) go one at a time and in order; different chats go in parallel, up to
// max_connections at once. Deleting the webhook stops delivery and leaves what is pending to getUpdates.
// Owns its worker threads. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "services/sandbox/update_queue.h"

namespace subguard::sandbox {

struct WebhookSettings {
  std::string url;           // "" when no webhook is set
  std::string secret_token;  // sent as X-Telegram-Bot-Api-Secret-Token when not empty
  int max_connections = 40;  // deliveries in flight at once, 1..100

  bool operator==(const WebhookSettings&) const = default;
};

// What getWebhookInfo reports.
struct WebhookStatus {
  WebhookSettings settings;
  int64_t last_error_date = 0;  // unix time of the last failed delivery, 0 if none
  std::string last_error_message;
};

struct WebhookPusherOptions {
  int threads = 8;                                     // delivery threads; max_connections is capped by this
  absl::Duration request_timeout = absl::Seconds(10);  // one POST's limit
};

class WebhookPusher {
 public:
  WebhookPusher(UpdateQueue& queue, const base::Clock& clock, base::Random& random,
                const WebhookPusherOptions& options);
  ~WebhookPusher();
  WebhookPusher(const WebhookPusher&) = delete;
  WebhookPusher& operator=(const WebhookPusher&) = delete;

  // Sets the webhook (an empty url deletes it), and tells the queue, which refuses getUpdates meanwhile.
  // Returns false when the settings were already these.
  bool Set(const WebhookSettings& settings);
  WebhookStatus Status() const;
  // Wakes the workers: an update was queued.
  void Notify();
  // Stops and joins the workers. Idempotent.
  void Stop();

 private:
  struct Retry {
    int fail_count = 0;
    int delay_seconds = 1;
    absl::Time wakeup;
  };
  struct Delivery {
    QueuedUpdate update;
    WebhookSettings settings;
  };

  void Work();
  // The next update to deliver, or none; sets *next_wakeup when one waits for its retry time.
  bool PickLocked(Delivery* delivery, absl::Time* next_wakeup) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishLocked(const QueuedUpdate& update, const std::string& error) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  UpdateQueue& queue_;
  const base::Clock& clock_;
  base::Random& random_;
  const WebhookPusherOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  WebhookStatus status_ ABSL_GUARDED_BY(mu_);
  std::set<int64_t> in_flight_keys_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, Retry> retries_ ABSL_GUARDED_BY(mu_);  // by update_id
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace subguard::sandbox
