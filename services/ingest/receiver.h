// Receiver: the receiving end of an ingest instance, chosen by --mode: the elected long poller
// (a Poller and the LeaseKeeper of the poller lease), or the webhook endpoint (a WebhookReceiver on
// its own HTTP server, registered with setWebhook, retried with backoff until Telegram accepts it).
// Built and driven by main: Tick from its wait loop, then Close and Stop on the way out.
// Not thread-safe: main's thread only.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/http/server.h"
#include "common/journal/journal.h"
#include "common/journal/lease.h"
#include "common/observability/metrics.h"
#include "common/telegram/bot_api.h"
#include "services/ingest/intake.h"
#include "services/ingest/poller.h"
#include "services/ingest/webhook_receiver.h"

namespace subguard::ingest {

class Receiver {
 public:
  virtual ~Receiver() = default;
  // Periodic work (the webhook retries setWebhook here).
  virtual void Tick() {}
  // Stops taking updates in: nothing new is journaled after the calls in progress.
  virtual void Close() = 0;
  // Waits for what Close began, and gives up the poller lease.
  virtual void Stop() {}
};

struct PollingOptions {
  PollerOptions poller;
  // --lease_renew_interval: how often the poller lease is renewed.
  absl::Duration lease_renew_interval = absl::Seconds(3);
};

std::unique_ptr<Receiver> StartPolling(PollingOptions options, journal::Leases& leases, telegram::BotApi& bot,
                                       journal::Journal& journal, Intake& intake, const base::Clock& clock,
                                       base::Random& random, observability::Registry& registry);

struct WebhookServing {
  WebhookOptions receiver;
  WebhookRegistration registration;
  http::ServerOptions server;  // --webhook_address; max_body_bytes caps a body (default 1 MiB)
};

// kUnavailable when the address cannot be bound.
absl::StatusOr<std::unique_ptr<Receiver>> StartWebhook(WebhookServing serving, telegram::BotApi& bot, Intake& intake,
                                                       const base::Clock& clock, base::Random& random,
                                                       observability::Registry& registry);

}  // namespace subguard::ingest
