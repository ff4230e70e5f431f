// subguard-ingest: receives Telegram updates (long polling by one elected instance, or a webhook),
// journals them in Redis, and streams updates to verifiers and actions to senders over gRPC.
// Only wiring lives here: flags into options, objects started in order and stopped in reverse.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/clock.h"
#include "common/base/host_port.h"
#include "common/base/random.h"
#include "common/config/flags.h"
#include "common/config/process.h"
#include "common/dispatch/dispatcher.h"
#include "common/dispatch/server.h"
#include "common/journal/journal.h"
#include "common/journal/keys.h"
#include "common/journal/lease.h"
#include "common/observability/log.h"
#include "common/observability/metrics.h"
#include "common/observability/status_server.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api_client.h"
#include "services/ingest/commit.h"
#include "services/ingest/intake.h"
#include "services/ingest/lease_keeper.h"
#include "services/ingest/partition_owner.h"
#include "services/ingest/poller.h"
#include "services/ingest/receiver.h"

ABSL_FLAG(std::string, grpc_address, "127.0.0.1:7070", "Where workers connect (dispatch.proto), host:port");
ABSL_FLAG(std::string, status_host, "127.0.0.1", "Address of /metrics, /healthz and /readyz");
ABSL_FLAG(int, status_port, 9090, "Port of /metrics, /healthz and /readyz");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis, host:port");
ABSL_FLAG(int, partitions, 16, "Journal partitions; the same on every ingest instance");
ABSL_FLAG(std::string, instance_id, "", "This instance's lease owner and consumer name; default hostname-pid");
ABSL_FLAG(std::string, mode, "polling", "How updates arrive: polling (getUpdates) or webhook");
ABSL_FLAG(std::string, webhook_address, "127.0.0.1:8081", "Webhook mode: where to listen, host:port");
ABSL_FLAG(std::string, webhook_path, "/telegram/webhook", "Webhook mode: the path Telegram POSTs to");
ABSL_FLAG(std::string, webhook_url, "", "Webhook mode: the public HTTPS URL Telegram is given (required)");
ABSL_FLAG(int, webhook_max_connections, 40, "Webhook mode: Telegram's max_connections (1-100)");
ABSL_FLAG(std::string, telegram_api_url, "https://api.telegram.org", "Bot API server (the sandbox's URL in tests)");
ABSL_FLAG(absl::Duration, telegram_timeout, absl::Seconds(10), "HTTP timeout of a Bot API call");
ABSL_FLAG(absl::Duration, poll_timeout, absl::Seconds(10), "getUpdates long-poll wait");
ABSL_FLAG(std::string, allowed_updates, "", "Update kinds asked for, comma-separated; default: all subguard handles");
ABSL_FLAG(absl::Duration, lease_ttl, absl::Seconds(10), "Lifetime of a partition or poller lease");
ABSL_FLAG(absl::Duration, lease_renew_interval, absl::Seconds(3), "How often leases are renewed");
ABSL_FLAG(absl::Duration, lease_handoff_grace, absl::Seconds(2),
          "How long a partition lease given up for balance is still renewed before it is released");
ABSL_FLAG(absl::Duration, dedupe_ttl, absl::Hours(24), "How long an update_id is remembered");
ABSL_FLAG(int64_t, max_partition_backlog, 50000,
          "Updates a partition may hold not yet done before intake slows (webhook 503, polling backs off)");
ABSL_FLAG(int, read_batch, 100, "Journal entries read per stream per round");
ABSL_FLAG(absl::Duration, stale_consumer_idle, absl::Hours(1),
          "Consumers of the journal's groups idle this long with nothing pending are forgotten (dead instances)");
ABSL_FLAG(int, dispatch_max_queued, 10000, "Work held per worker role before reading pauses");
ABSL_FLAG(int, dispatch_max_attempts, 10, "Failed deliveries of one item before it is dead-lettered");
ABSL_FLAG(absl::Duration, delivery_timeout, absl::Seconds(30), "An unanswered delivery is redelivered after this");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

namespace subguard {
namespace {

[[noreturn]] void Die(const std::string& message) { config::Die("subguard-ingest", message); }

// "host:port" of the flag called flag_name.
std::pair<std::string, int> HostPort(const std::string& flag_name, const std::string& address) {
  auto parsed = base::ParseHostPort(address);
  if (!parsed.ok()) {
    Die(absl::StrCat("--", flag_name, " (", config::EnvNameForFlag(flag_name), "): ", parsed.status().message()));
  }
  return *std::move(parsed);
}

std::vector<std::string> PartitionLeaseNames(int partitions) {
  std::vector<std::string> names;
  for (int partition = 0; partition < partitions; ++partition) names.push_back(journal::PartitionLeaseName(partition));
  return names;
}

dispatch::DispatcherOptions DispatcherOptionsFor(std::string role) {
  return {.role_name = std::move(role),
          .max_queued = static_cast<size_t>(absl::GetFlag(FLAGS_dispatch_max_queued)),
          .max_attempts = absl::GetFlag(FLAGS_dispatch_max_attempts),
          .delivery_timeout = absl::GetFlag(FLAGS_delivery_timeout)};
}

std::vector<std::string> AllowedUpdates() {
  const std::string flag = absl::GetFlag(FLAGS_allowed_updates);
  if (flag.empty()) return ingest::DefaultAllowedUpdates();
  return absl::StrSplit(flag, ',', absl::SkipWhitespace());
}

// The receiving end --mode names (settings checked by Run); dies when the webhook cannot listen.
std::unique_ptr<ingest::Receiver> StartReceiver(const std::string& mode, const std::string& webhook_secret,
                                                journal::Leases& leases, telegram::BotApi& bot,
                                                journal::Journal& journal, ingest::Intake& intake, base::Random& random,
                                                observability::Registry& registry) {
  const base::Clock& clock = base::RealClock::Instance();
  if (mode == "polling") {
    return ingest::StartPolling(
        {.poller = {.allowed_updates = AllowedUpdates(), .long_poll = absl::GetFlag(FLAGS_poll_timeout)},
         .lease_renew_interval = absl::GetFlag(FLAGS_lease_renew_interval)},
        leases, bot, journal, intake, clock, random, registry);
  }
  const auto [host, port] = HostPort("webhook_address", absl::GetFlag(FLAGS_webhook_address));
  absl::StatusOr<std::unique_ptr<ingest::Receiver>> webhook =
      ingest::StartWebhook({.receiver = {.path = absl::GetFlag(FLAGS_webhook_path), .secret = webhook_secret},
                            .registration = {.url = absl::GetFlag(FLAGS_webhook_url),
                                             .secret = webhook_secret,
                                             .allowed_updates = AllowedUpdates(),
                                             .max_connections = absl::GetFlag(FLAGS_webhook_max_connections)},
                            .server = {.host = host, .port = port}},
                           bot, intake, clock, random, registry);
  if (!webhook.ok()) Die(absl::StrCat("webhook server on --webhook_address: ", webhook.status().message()));
  return *std::move(webhook);
}

int Run() {
  absl::StatusOr<std::string> token = config::ReadSecret("SUBGUARD_BOT_TOKEN");
  if (!token.ok()) Die(std::string(token.status().message()));
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode != "polling" && mode != "webhook") Die("--mode (SUBGUARD_MODE) must be polling or webhook");
  std::string webhook_secret;
  if (mode == "webhook") {
    absl::StatusOr<std::string> secret = config::ReadSecret("SUBGUARD_WEBHOOK_SECRET");
    if (!secret.ok()) Die(absl::StrCat("webhook mode: ", secret.status().message()));
    if (absl::GetFlag(FLAGS_webhook_url).empty()) Die("webhook mode: --webhook_url (SUBGUARD_WEBHOOK_URL) is not set");
    webhook_secret = *std::move(secret);
  }
  const int partitions = absl::GetFlag(FLAGS_partitions);
  if (partitions < 1 || partitions > 1024) Die("--partitions (SUBGUARD_PARTITIONS) must be in 1..1024");
  const std::string instance_id =
      absl::GetFlag(FLAGS_instance_id).empty() ? config::DefaultInstanceId() : absl::GetFlag(FLAGS_instance_id);
  config::StopSignals stop_signals;

  observability::Registry registry;
  absl::StatusOr<std::unique_ptr<observability::StatusServer>> status_server = observability::StatusServer::Start(
      {.host = absl::GetFlag(FLAGS_status_host), .port = absl::GetFlag(FLAGS_status_port)}, registry);
  if (!status_server.ok()) Die(absl::StrCat("status server: ", status_server.status().message()));

  const auto [redis_host, redis_port] = HostPort("redis_address", absl::GetFlag(FLAGS_redis_address));
  redis::Pool redis({.host = redis_host, .port = redis_port});
  if (absl::Status ping = redis.Ping(); !ping.ok()) {
    // Not fatal: every component retries, and /readyz reports Redis until it is back.
    log::Error("redis_unreachable", {{"address", absl::GetFlag(FLAGS_redis_address)}, {"error", ping}});
  }
  (*status_server)->AddReadinessCheck({"redis", [&redis] { return redis.Ping(); }});

  journal::Journal journal(redis, {.owner = instance_id,
                                   .partitions = partitions,
                                   .dedupe_ttl = absl::GetFlag(FLAGS_dedupe_ttl),
                                   .max_backlog = absl::GetFlag(FLAGS_max_partition_backlog)});
  journal::Leases leases(redis, {.owner = instance_id, .ttl = absl::GetFlag(FLAGS_lease_ttl)});
  telegram::BotApiClient bot({.api_url = absl::GetFlag(FLAGS_telegram_api_url),
                              .token = *std::move(token),
                              .timeout = absl::GetFlag(FLAGS_telegram_timeout)});
  base::RealRandom random;

  std::unique_ptr<dispatch::Dispatcher> verifiers = dispatch::Dispatcher::Create(
      DispatcherOptionsFor("verifier"), ingest::VerifierCallbacks(journal, registry), registry);
  std::unique_ptr<dispatch::Dispatcher> senders = dispatch::Dispatcher::Create(
      DispatcherOptionsFor("sender"), ingest::SenderCallbacks(journal, registry), registry);
  absl::StatusOr<std::unique_ptr<dispatch::DispatchServer>> grpc_server =
      dispatch::DispatchServer::Start({.address = absl::GetFlag(FLAGS_grpc_address)}, *verifiers, *senders);
  if (!grpc_server.ok()) Die(absl::StrCat("gRPC on --grpc_address: ", grpc_server.status().message()));

  ingest::Intake intake(journal, registry);
  std::unique_ptr<ingest::Receiver> receiver =
      StartReceiver(mode, webhook_secret, leases, bot, journal, intake, random, registry);

  ingest::LeaseKeeper partition_leases(leases,
                                       {.set_name = "partitions",
                                        .names = PartitionLeaseNames(partitions),
                                        .renew_interval = absl::GetFlag(FLAGS_lease_renew_interval),
                                        .handoff_grace = absl::GetFlag(FLAGS_lease_handoff_grace)},
                                       base::RealClock::Instance(), registry);
  ingest::PartitionOwner owner(
      {.read_batch = absl::GetFlag(FLAGS_read_batch), .stale_consumer_idle = absl::GetFlag(FLAGS_stale_consumer_idle)},
      redis, journal, partition_leases, *verifiers, *senders, base::RealClock::Instance(), random, registry);
  partition_leases.Start();
  owner.Start();
  log::Info("ingest_started", {{"instance_id", instance_id},
                               {"mode", mode},
                               {"grpc_port", (*grpc_server)->port()},
                               {"status_port", (*status_server)->port()},
                               {"partitions", partitions}});

  // Until stopped, once a second: gRPC health tells the same truth as /readyz.
  while (!stop_signals.WaitFor(absl::Seconds(1))) {
    (*grpc_server)->SetServing((*status_server)->Ready().ok());
    receiver->Tick();
  }
  log::Info("ingest_stopping");
  // Take nothing new in, read nothing more, end the worker streams (their unanswered deliveries stay
  // pending in the journal), finish the completions already answered, and only then give the
  // leases up, so those completions still commit under them.
  receiver->Close();
  owner.Stop();
  (*grpc_server)->Shutdown();
  verifiers->Stop();
  senders->Stop();
  receiver->Stop();
  partition_leases.Stop();
  (*status_server)->Stop();
  log::Info("ingest_stopped");
  return 0;
}

}  // namespace
}  // namespace subguard

int main(int argc, char** argv) {
  subguard::config::ParseFlagsAndEnv(argc, argv, "subguard-ingest: receives Telegram updates and journals them");
  subguard::log::Init("ingest", subguard::log::ParseLevel(absl::GetFlag(FLAGS_log_level)));
  return subguard::Run();
}
