#include "services/ingest/receiver.h"

#include "common/base/backoff.h"
#include "common/observability/log.h"
#include "services/ingest/lease_keeper.h"

namespace subguard::ingest {
namespace {

class PollingReceiver final : public Receiver {
 public:
  PollingReceiver(PollingOptions options, journal::Leases& leases, telegram::BotApi& bot, journal::Journal& journal,
                  Intake& intake, const base::Clock& clock, base::Random& random, observability::Registry& registry)
      : lease_(leases,
               {.set_name = "poller", .names = {journal::kPollerLease}, .renew_interval = options.lease_renew_interval},
               clock, registry),
        poller_(std::move(options.poller), bot, journal, intake, lease_, random, registry) {
    lease_.Start();
    poller_.Start();
  }
  void Close() override { poller_.RequestStop(); }
  void Stop() override {
    poller_.Stop();
    lease_.Stop();
  }

 private:
  LeaseKeeper lease_;
  Poller poller_;
};

class WebhookEndpoint final : public Receiver {
 public:
  WebhookEndpoint(WebhookServing serving, telegram::BotApi& bot, Intake& intake, const base::Clock& clock,
                  base::Random& random, observability::Registry& registry)
      : registration_(std::move(serving.registration)),
        bot_(bot),
        clock_(clock),
        random_(random),
        receiver_(std::move(serving.receiver), intake, registry) {}

  absl::Status Listen(const http::ServerOptions& options) {
    absl::StatusOr<std::unique_ptr<http::Server>> server =
        http::Server::Start(options, [this](const http::Request& request) { return receiver_.HandleWebhook(request); });
    if (!server.ok()) return server.status();
    server_ = std::move(*server);
    return absl::OkStatus();
  }

  void Tick() override {
    if (registered_ || clock_.Now() < next_attempt_) return;
    const absl::Status status = RegisterWebhook(bot_, registration_);
    if (status.ok()) {
      registered_ = true;
      log::Info("webhook_registered", {{"url", registration_.url}, {"port", server_->port()}});
      return;
    }
    const absl::Duration delay = base::FullJitterDelay(kRegisterBackoff, failures_++, random_);
    next_attempt_ = clock_.Now() + delay;
    log::Warn("webhook_registration_failed", {{"error", status}, {"retry_in_ms", absl::ToInt64Milliseconds(delay)}});
  }

  void Close() override { server_->Stop(); }

 private:
  static constexpr base::BackoffPolicy kRegisterBackoff = {.base = absl::Seconds(1), .cap = absl::Minutes(1)};

  const WebhookRegistration registration_;
  telegram::BotApi& bot_;
  const base::Clock& clock_;
  base::Random& random_;
  WebhookReceiver receiver_;
  std::unique_ptr<http::Server> server_;
  bool registered_ = false;
  int failures_ = 0;
  absl::Time next_attempt_ = absl::InfinitePast();
};

}  // namespace

std::unique_ptr<Receiver> StartPolling(PollingOptions options, journal::Leases& leases, telegram::BotApi& bot,
                                       journal::Journal& journal, Intake& intake, const base::Clock& clock,
                                       base::Random& random, observability::Registry& registry) {
  return std::make_unique<PollingReceiver>(std::move(options), leases, bot, journal, intake, clock, random, registry);
}

absl::StatusOr<std::unique_ptr<Receiver>> StartWebhook(WebhookServing serving, telegram::BotApi& bot, Intake& intake,
                                                       const base::Clock& clock, base::Random& random,
                                                       observability::Registry& registry) {
  const http::ServerOptions server_options = serving.server;
  auto endpoint = std::make_unique<WebhookEndpoint>(std::move(serving), bot, intake, clock, random, registry);
  if (absl::Status status = endpoint->Listen(server_options); !status.ok()) return status;
  endpoint->Tick();
  return endpoint;
}

}  // namespace subguard::ingest
