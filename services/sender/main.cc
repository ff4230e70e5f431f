// subguard-sender: executes actions against the Bot API. Dials every ingest, receives actions over
// the dispatch stream (as a WORKER_ROLE_SENDER), and answers each through the Executor.
// Only wiring lives here: flags into options, objects started in order and stopped in reverse.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/config/flags.h"
#include "common/config/process.h"
#include "common/dispatch/worker.h"
#include "common/observability/log.h"
#include "common/observability/metrics.h"
#include "common/observability/status_server.h"
#include "common/ratelimit/cluster_limiter.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api_client.h"
#include "services/sender/done_marks.h"
#include "services/sender/executor.h"
#include "services/sender/scheduled_deletes.h"
#include "services/sender/sender_metrics.h"

ABSL_FLAG(std::string, ingest_addresses, "127.0.0.1:7070", "Ingest instances to dial, host:port,...");
ABSL_FLAG(int, status_port, 9092, "Port of /metrics, /healthz and /readyz");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis, host:port");
ABSL_FLAG(std::string, telegram_api_url, "https://api.telegram.org", "Bot API server (the sandbox's URL in tests)");
ABSL_FLAG(int, max_in_flight, 16, "Actions executed at once, per ingest stream");
ABSL_FLAG(std::string, worker_id, "", "This worker's name in the ingest's logs; default hostname-pid");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(double, ratelimit_bot_messages_per_second, 29, "Messages per second for the whole bot, all senders together");
ABSL_FLAG(double, ratelimit_chat_messages_per_second, 0.9, "Messages per second in one chat");
ABSL_FLAG(double, ratelimit_group_messages_per_minute, 17, "Messages per minute in one group (after a burst of 2)");
ABSL_FLAG(double, ratelimit_moderation_per_second, 100, "Restrict, ban, unban and delete calls per second, bot-wide");
ABSL_FLAG(double, ratelimit_moderation_burst, 500, "Restrict, ban, unban and delete calls the bot makes at once");
ABSL_FLAG(double, ratelimit_other_per_second, 30, "Other Bot API calls (answerCallbackQuery, getMe) per second");
ABSL_FLAG(int, prompt_batch_max_users, 30, "Most users one coalesced prompt names (a group's backed-up prompts)");
ABSL_FLAG(absl::Duration, scheduled_delete_poll, absl::Seconds(1),
          "How often to look for messages due for auto-delete (prompts)");
ABSL_FLAG(double, ratelimit_fallback_share, 0.25,
          "Share of the limits this sender uses alone while Redis is away: 1 / the number of senders");

namespace subguard {
namespace {

[[noreturn]] void Die(std::string_view message) { config::Die("subguard-sender", message); }

int Run() {
  absl::StatusOr<std::string> token = config::ReadSecret("SUBGUARD_BOT_TOKEN");
  if (!token.ok()) Die(std::string(token.status().message()));
  absl::StatusOr<redis::RedisOptions> redis_options =
      redis::RedisOptionsFromAddress(absl::GetFlag(FLAGS_redis_address));
  if (!redis_options.ok()) Die(absl::StrCat("--redis_address: ", redis_options.status().message()));
  config::StopSignals stop_signals;

  observability::Registry registry;
  absl::StatusOr<std::unique_ptr<observability::StatusServer>> status_server =
      observability::StatusServer::Start({.port = absl::GetFlag(FLAGS_status_port)}, registry);
  if (!status_server.ok()) Die(absl::StrCat("status server: ", status_server.status().message()));

  redis::Pool redis(*redis_options);
  if (absl::Status ping = redis.Ping(); !ping.ok()) {
    // Not fatal: the executor retries sends and readiness reports Redis until it is back.
    log::Warn("redis_unreachable", {{"error", ping}});
  }
  telegram::BotApiClient bot_api({.api_url = absl::GetFlag(FLAGS_telegram_api_url), .token = *std::move(token)});
  sender::ExecutorOptions executor_options{.monitor_outcomes = &redis,
                                           .permanent_errors = &redis,
                                           .pending_prompts = &redis,
                                           .prompt_batch_max_users = absl::GetFlag(FLAGS_prompt_batch_max_users)};
  sender::RedisDoneMarks done_marks(redis, executor_options.done_ttl);
  ratelimit::ClusterLimiterOptions limiter_options{.fallback_share = absl::GetFlag(FLAGS_ratelimit_fallback_share)};
  ratelimit::LimitOptions& limits = limiter_options.limits;
  limits.bot_messages.rate = absl::GetFlag(FLAGS_ratelimit_bot_messages_per_second);
  limits.chat_messages.rate = absl::GetFlag(FLAGS_ratelimit_chat_messages_per_second);
  limits.group_messages.rate = absl::GetFlag(FLAGS_ratelimit_group_messages_per_minute) / 60;
  limits.bot_moderation.rate = absl::GetFlag(FLAGS_ratelimit_moderation_per_second);
  limits.bot_moderation.burst = absl::GetFlag(FLAGS_ratelimit_moderation_burst);
  limits.bot_other.rate = absl::GetFlag(FLAGS_ratelimit_other_per_second);
  ratelimit::ClusterLimiter limiter(limiter_options, redis, base::RealClock::Instance(), registry);
  sender::SenderMetrics metrics(registry);
  base::RealRandom random;
  sender::ScheduledDeletes scheduled_deletes({.poll = absl::GetFlag(FLAGS_scheduled_delete_poll)}, redis, bot_api,
                                             limiter, metrics, base::RealClock::Instance());
  executor_options.scheduled_deletes = &scheduled_deletes;
  executor_options.sent_messages = &redis;
  sender::Executor executor(executor_options, bot_api, done_marks, limiter, metrics, base::RealClock::Instance(),
                            random);

  dispatch::WorkerOptions worker_options{
      .ingest_addresses = absl::StrSplit(absl::GetFlag(FLAGS_ingest_addresses), ',', absl::SkipWhitespace()),
      .worker_id =
          absl::GetFlag(FLAGS_worker_id).empty() ? config::DefaultInstanceId() : absl::GetFlag(FLAGS_worker_id),
      .role = v1::WORKER_ROLE_SENDER,
      .max_in_flight = absl::GetFlag(FLAGS_max_in_flight),
  };
  std::unique_ptr<dispatch::Worker> worker = dispatch::Worker::Create(worker_options, executor, registry);
  (*status_server)->AddReadinessCheck({"redis", [&redis] { return redis.Ping(); }});
  (*status_server)->AddReadinessCheck({"ingest", [&worker] { return worker->Connected(); }});
  (*status_server)->AddReadinessCheck({"ratelimit", [&limiter] { return limiter.Health(); }});
  worker->Start();
  scheduled_deletes.Start();
  log::Info("sender_started", {{"worker_id", worker_options.worker_id},
                               {"status_port", (*status_server)->port()},
                               {"max_in_flight", worker_options.max_in_flight}});

  stop_signals.Wait();
  log::Info("sender_stopping");
  worker->Stop();
  scheduled_deletes.Stop();
  (*status_server)->Stop();
  log::Info("sender_stopped");
  return 0;
}

}  // namespace
}  // namespace subguard

int main(int argc, char** argv) {
  subguard::config::ParseFlagsAndEnv(argc, argv, "subguard-sender: executes actions against the Telegram Bot API");
  subguard::log::Init("sender", subguard::log::ParseLevel(absl::GetFlag(FLAGS_log_level)));
  return subguard::Run();
}
