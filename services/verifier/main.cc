// subguard-verifier: decides what to do about each update (DESIGN.md, "The path of one update").
// Wires flags into options, waits for the Bot API (getMe) and PostgreSQL (migrations), then runs the
// dispatch Worker with the Verifier as its handler until SIGINT or SIGTERM.
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/config/flags.h"
#include "common/config/process.h"
#include "common/dispatch/worker.h"
#include "common/journal/journal.h"
#include "common/journal/lease.h"
#include "common/observability/log.h"
#include "common/observability/status_server.h"
#include "common/pg/migrations.h"
#include "common/pg/pool.h"
#include "common/ratelimit/cluster_limiter.h"
#include "common/ratelimit/read_limited_bot_api.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api_client.h"
#include "services/admin/api_keys.h"
#include "services/verifier/audit_retention.h"
#include "services/verifier/config_cache.h"
#include "services/verifier/config_changes.h"
#include "services/verifier/group_permissions.h"
#include "services/verifier/group_store.h"
#include "services/verifier/join_requests.h"
#include "services/verifier/membership.h"
#include "services/verifier/metrics.h"
#include "services/verifier/monitors/album_store.h"
#include "services/verifier/monitors/chat_registry.h"
#include "services/verifier/monitors/registry_loop.h"
#include "services/verifier/monitors/registry_metrics.h"
#include "services/verifier/monitors/source_cache.h"
#include "services/verifier/permanent_error_loop.h"
#include "services/verifier/prompt_slots.h"
#include "services/verifier/seen_members.h"
#include "services/verifier/verifier.h"
#include "services/verifier/verify_all_runner.h"

ABSL_FLAG(std::string, ingest_addresses, "127.0.0.1:7070", "Ingest instances to dial, host:port,...");
ABSL_FLAG(int, status_port, 9091, "Port of /metrics, /healthz and /readyz");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis, host:port");
ABSL_FLAG(std::string, postgres, "host=127.0.0.1 port=5432 user=postgres dbname=subguard",
          "PostgreSQL connection string (libpq conninfo)");
ABSL_FLAG(int, postgres_max_connections, 8, "PostgreSQL connections held at most");
ABSL_FLAG(std::string, telegram_api_url, "https://api.telegram.org", "Bot API server (the sandbox's URL in tests)");
ABSL_FLAG(int, max_in_flight, 16, "Updates decided at once, per ingest stream");
ABSL_FLAG(std::string, worker_id, "", "This worker's name in the ingest's logs; default hostname-pid");
ABSL_FLAG(absl::Duration, membership_member_ttl, absl::Minutes(10), "How long a cached 'member' lasts (+-15%)");
ABSL_FLAG(absl::Duration, membership_not_member_ttl, absl::Minutes(1), "How long a cached 'not member' lasts (+-15%)");
ABSL_FLAG(absl::Duration, prompt_slot_ttl, absl::Minutes(10), "How long one prompt per user and group holds");
ABSL_FLAG(absl::Duration, join_request_ttl, absl::Hours(24),
          "How long a pending request to join a linked channel counts as joined (where a group allows it)");
ABSL_FLAG(int64_t, seen_members_cache_entries, 100000,
          "Sightings of users in protected groups remembered, so seen_members is written once per refresh");
ABSL_FLAG(absl::Duration, seen_members_refresh, absl::Hours(1),
          "A remembered sighting is written to seen_members again after this long");
ABSL_FLAG(int64_t, config_cache_max_entries, 10000, "Group configurations cached in memory");
ABSL_FLAG(absl::Duration, config_cache_ttl, absl::Seconds(30), "Reload a cached group configuration this old");
ABSL_FLAG(absl::Duration, config_cache_max_stale, absl::Hours(24),
          "Serve the last-known configuration this long while PostgreSQL is away");
ABSL_FLAG(absl::Duration, audit_retention, absl::Hours(24 * 90), "Delete audit_log rows older than this");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(int, partitions, 16, "Journal partitions, as every ingest's (the monitors' flush updates go there)");
ABSL_FLAG(absl::Duration, monitor_cooldown_base, absl::Seconds(60),
          "A failing monitor destination's first cool-down; doubles per failure in a row");
ABSL_FLAG(absl::Duration, monitor_cooldown_max, absl::Hours(1), "A failing monitor destination's longest cool-down");
ABSL_FLAG(int64_t, monitor_max_held_per_destination, 1000,
          "Monitor posts held per destination in cool-down; the oldest beyond are dropped");
ABSL_FLAG(double, verifyall_rate, 10, "Users a /verifyall job checks per second");
ABSL_FLAG(absl::Duration, verifyall_poll, absl::Seconds(2), "How often each verifier looks for /verifyall jobs to run");
ABSL_FLAG(absl::Duration, verifyall_lease_ttl, absl::Seconds(10),
          "A /verifyall job's lease: another verifier resumes the job this long after its runner died");
ABSL_FLAG(int, verifyall_progress_users, 200,
          "A /verifyall job's start message shows the progress after this many users");
ABSL_FLAG(absl::Duration, verifyall_progress_interval, absl::Seconds(30),
          "... or after this long, whichever comes first (edits count against the group's 20 messages a minute)");
ABSL_FLAG(double, ratelimit_reads_per_second, 200,
          "getChatMember, getChat and other reads per second, bot-wide, all verifiers together");
ABSL_FLAG(double, ratelimit_reads_burst, 1000, "Reads the bot makes at once, all verifiers together");
ABSL_FLAG(absl::Duration, ratelimit_reads_max_wait, absl::Seconds(1),
          "Longest a read waits for the read bucket; past it the update is retried later");
ABSL_FLAG(double, ratelimit_reads_fallback_share, 0.25,
          "Share of the read limit this verifier uses alone while Redis is away: 1 / the number of verifiers");
ABSL_FLAG(absl::Duration, monitor_album_quiet, absl::Seconds(1),
          "A monitored album is sent as one group once no part of it has come for this long");
ABSL_FLAG(absl::Duration, monitor_source_cache_ttl, absl::Seconds(60),
          "Reload a cached answer to whether a group is a monitor source this old");
ABSL_FLAG(int64_t, monitor_source_cache_max_entries, 10000,
          "Chats whose answer to whether they are a monitor source is cached in memory");
ABSL_FLAG(absl::Duration, monitor_registry_prune_after, absl::Hours(24 * 30),
          "Chat registry entries unseen this long are pruned");

namespace subguard {
namespace {

constexpr absl::Duration kStartRetry = absl::Seconds(2);

[[noreturn]] void Die(const std::string& message) { config::Die("subguard-verifier", message); }

// Runs step until it succeeds, logging each failure as `event`, or until a stop signal (nullopt).
// A kFailedPrecondition is fatal: retrying cannot fix it.
template <typename T>
std::optional<T> RetryUntilStopped(config::StopSignals& signals, std::string_view event,
                                   const std::function<absl::StatusOr<T>()>& step) {
  while (true) {
    absl::StatusOr<T> result = step();
    if (result.ok()) return *std::move(result);
    if (absl::IsFailedPrecondition(result.status())) Die(std::string(result.status().message()));
    log::Error(event, {{"error", result.status()}, {"retry_in_s", absl::ToInt64Seconds(kStartRetry)}});
    if (signals.WaitFor(kStartRetry)) return std::nullopt;
  }
}

int Run() {
  absl::StatusOr<std::string> token = config::ReadSecret("SUBGUARD_BOT_TOKEN");
  if (!token.ok()) Die(std::string(token.status().message()));
  config::StopSignals stop_signals;

  observability::Registry registry;
  auto status_server = observability::StatusServer::Start({.port = absl::GetFlag(FLAGS_status_port)}, registry);
  if (!status_server.ok()) Die(absl::StrCat("status server: ", status_server.status().message()));

  absl::StatusOr<redis::RedisOptions> redis_address =
      redis::RedisOptionsFromAddress(absl::GetFlag(FLAGS_redis_address));
  if (!redis_address.ok()) Die(absl::StrCat("--redis_address: ", redis_address.status().message()));
  const redis::RedisOptions redis_options = *redis_address;
  redis::Pool redis(redis_options);
  pg::Pool postgres(
      {.conninfo = absl::GetFlag(FLAGS_postgres), .max_connections = absl::GetFlag(FLAGS_postgres_max_connections)});
  telegram::BotApiClient bot_api({.api_url = absl::GetFlag(FLAGS_telegram_api_url), .token = *std::move(token)});
  // Every read below goes through the bot's read bucket, shared by all verifiers (issue 6).
  ratelimit::ClusterLimiterOptions limiter_options{.fallback_share =
                                                       absl::GetFlag(FLAGS_ratelimit_reads_fallback_share)};
  limiter_options.limits.bot_reads = {.rate = absl::GetFlag(FLAGS_ratelimit_reads_per_second),
                                      .burst = absl::GetFlag(FLAGS_ratelimit_reads_burst)};
  ratelimit::ClusterLimiter limiter(limiter_options, redis, base::RealClock::Instance(), registry);
  ratelimit::ReadLimitedBotApi reads({.max_wait = absl::GetFlag(FLAGS_ratelimit_reads_max_wait)}, bot_api, limiter,
                                     base::RealClock::Instance(), registry);
  std::atomic<dispatch::Worker*> running_worker = nullptr;
  (*status_server)->AddReadinessCheck({"postgres", [&postgres] { return postgres.Ping(); }});
  (*status_server)->AddReadinessCheck({"redis", [&redis] { return redis.Ping(); }});
  (*status_server)->AddReadinessCheck({"ratelimit", [&limiter] { return limiter.Health(); }});
  (*status_server)->AddReadinessCheck({"ingest", [&running_worker] {
                                         dispatch::Worker* worker = running_worker.load();
                                         return worker != nullptr ? worker->Connected()
                                                                  : absl::UnavailableError("starting");
                                       }});

  // Until the bot is known and the schema is current, the verifier takes no work (/readyz says 503).
  const std::optional<v1::User> me =
      RetryUntilStopped<v1::User>(stop_signals, "telegram_getme_failed", [&bot_api] { return bot_api.GetMe(); });
  if (!me.has_value()) return 0;
  const std::optional<int> migrated = RetryUntilStopped<int>(stop_signals, "postgres_unreachable",
                                                             [&postgres] { return pg::ApplyMigrations(postgres); });
  if (!migrated.has_value()) return 0;

  const base::Clock& clock = base::RealClock::Instance();
  base::RealRandom random;
  verifier::VerifierMetrics metrics(registry);
  verifier::GroupStore store(postgres);
  verifier::ConfigCache configs(
      {.max_entries = static_cast<size_t>(absl::GetFlag(FLAGS_config_cache_max_entries)),
       .ttl = absl::GetFlag(FLAGS_config_cache_ttl),
       .max_stale = absl::GetFlag(FLAGS_config_cache_max_stale)},
      [&store](int64_t chat_id) { return store.Load(chat_id); }, clock);
  verifier::MembershipCache membership({.member_ttl = absl::GetFlag(FLAGS_membership_member_ttl),
                                        .not_member_ttl = absl::GetFlag(FLAGS_membership_not_member_ttl)},
                                       redis, reads, random, clock, metrics);
  verifier::PromptSlots prompt_slots(redis, absl::GetFlag(FLAGS_prompt_slot_ttl));
  verifier::JoinRequests join_requests(redis, absl::GetFlag(FLAGS_join_request_ttl));
  verifier::SeenMembers seen_members(
      {.max_entries = static_cast<size_t>(absl::GetFlag(FLAGS_seen_members_cache_entries)),
       .refresh = absl::GetFlag(FLAGS_seen_members_refresh)},
      postgres, clock);
  verifier::GroupPermissions permissions(reads, clock);
  const verifier::decide::BotIdentity bot{.id = me->id(), .username = me->username()};
  const std::string worker_id =
      absl::GetFlag(FLAGS_worker_id).empty() ? config::DefaultInstanceId() : absl::GetFlag(FLAGS_worker_id);
  const int partitions = absl::GetFlag(FLAGS_partitions);
  if (partitions < 1 || partitions > 1024) Die("--partitions (SUBGUARD_PARTITIONS) must be in 1..1024");
  journal::Journal journal(redis, {.owner = worker_id, .partitions = partitions});
  verifier::monitors::RegistryMetrics registry_metrics(registry);
  verifier::monitors::ChatRegistry chat_registry(
      {.cooldown = {.base = absl::GetFlag(FLAGS_monitor_cooldown_base),
                    .max = absl::GetFlag(FLAGS_monitor_cooldown_max)},
       .max_held_per_destination = absl::GetFlag(FLAGS_monitor_max_held_per_destination)},
      postgres, clock, random, registry_metrics);
  verifier::monitors::MonitorStore monitor_store(postgres);
  verifier::monitors::AlbumStore album_store(postgres);
  verifier::monitors::SourceCache sources(
      {.max_entries = static_cast<size_t>(absl::GetFlag(FLAGS_monitor_source_cache_max_entries)),
       .ttl = absl::GetFlag(FLAGS_monitor_source_cache_ttl)},
      [&monitor_store](int64_t chat_id) { return monitor_store.IsSource(chat_id); },
      [&redis](int64_t chat_id) {
        if (absl::Status status = verifier::PublishConfigChange(redis, chat_id); !status.ok()) {
          log::Warn("config_change_not_published", {{"chat_id", chat_id}, {"status", status}});
        }
      },
      clock, registry_metrics);
  verifier::monitors::Monitors monitors(bot, reads, monitor_store, chat_registry, album_store, sources,
                                        registry_metrics);
  verifier::monitors::RegistryLoop registry_loop({.consumer = worker_id,
                                                  .prune_after = absl::GetFlag(FLAGS_monitor_registry_prune_after),
                                                  .album_quiet = absl::GetFlag(FLAGS_monitor_album_quiet),
                                                  .bot_id = bot.id},
                                                 redis, journal, chat_registry, album_store, reads);
  if (absl::Status status = monitors.LogNotReady(); !status.ok()) {
    log::Warn("monitors_startup_summary_failed", {{"status", status}});
  }
  admin::ApiKeys api_keys(postgres);
  verifier::Verifier handler({}, bot,
                             {.bot_api = reads,
                              .membership = membership,
                              .configs = configs,
                              .store = store,
                              .prompt_slots = prompt_slots,
                              .join_requests = join_requests,
                              .seen_members = seen_members,
                              .permissions = permissions,
                              .redis = redis,
                              .metrics = metrics,
                              .monitors = &monitors,
                              .api_keys = &api_keys,
                              .postgres = &postgres});
  journal::Leases verify_leases(redis, {.owner = worker_id, .ttl = absl::GetFlag(FLAGS_verifyall_lease_ttl)});
  verifier::VerifyAllRunner verify_all({.rate = absl::GetFlag(FLAGS_verifyall_rate),
                                        .poll = absl::GetFlag(FLAGS_verifyall_poll),
                                        .progress_users = absl::GetFlag(FLAGS_verifyall_progress_users),
                                        .progress_interval = absl::GetFlag(FLAGS_verifyall_progress_interval)},
                                       postgres, journal, verify_leases);
  // A change of a chat also reaches the monitors' source cache (/monitor add announces its source).
  verifier::ConfigChangeListener listener(redis_options, configs, absl::Seconds(2),
                                          [&sources](std::optional<int64_t> chat_id) {
                                            if (chat_id.has_value()) {
                                              sources.Invalidate(*chat_id);
                                            } else {
                                              sources.InvalidateAll();
                                            }
                                          });
  verifier::AuditRetention retention({.retention = absl::GetFlag(FLAGS_audit_retention)}, store);
  verifier::PermanentErrorLoop permanent_errors({.consumer = worker_id}, redis, store);

  dispatch::WorkerOptions worker_options{
      .ingest_addresses = absl::StrSplit(absl::GetFlag(FLAGS_ingest_addresses), ',', absl::SkipWhitespace()),
      .worker_id = worker_id,
      .role = v1::WORKER_ROLE_VERIFIER,
      .max_in_flight = absl::GetFlag(FLAGS_max_in_flight),
  };
  std::unique_ptr<dispatch::Worker> worker = dispatch::Worker::Create(worker_options, handler, registry);
  listener.Start();
  retention.Start();
  registry_loop.Start();
  permanent_errors.Start();
  verify_all.Start();
  worker->Start();
  running_worker = worker.get();
  log::Info("verifier_started", {{"worker_id", worker_options.worker_id},
                                 {"bot_username", me->username()},
                                 {"migrations_applied", *migrated},
                                 {"status_port", (*status_server)->port()},
                                 {"max_in_flight", worker_options.max_in_flight}});

  stop_signals.Wait();
  log::Info("verifier_stopping");
  running_worker = nullptr;
  worker->Stop();
  verify_all.Stop();
  registry_loop.Stop();
  permanent_errors.Stop();
  retention.Stop();
  listener.Stop();
  (*status_server)->Stop();
  log::Info("verifier_stopped");
  return 0;
}

}  // namespace
}  // namespace subguard

int main(int argc, char** argv) {
  subguard::config::ParseFlagsAndEnv(argc, argv, "subguard-verifier: decides what to do about each update");
  subguard::log::Init("verifier", subguard::log::ParseLevel(absl::GetFlag(FLAGS_log_level)));
  return subguard::Run();
}
