// subguard-admin: the public gRPC admin API (docs/api.md) over PostgreSQL and Redis, with standard
// gRPC health checking and server reflection. Only wiring lives here: flags into options, objects
// started in order and stopped in reverse.
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/config/flags.h"
#include "common/config/process.h"
#include "common/journal/dead_letters.h"
#include "common/observability/log.h"
#include "common/observability/metrics.h"
#include "common/observability/status_server.h"
#include "common/pg/migrations.h"
#include "common/pg/pool.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api_client.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "services/admin/admin_service.h"
#include "services/admin/api_keys.h"
#include "services/admin/auth.h"
#include "services/admin/chat_registry.h"
#include "services/admin/rpc_metrics.h"
#include "services/verifier/group_store.h"
#include "services/verifier/monitors/monitor_store.h"

ABSL_FLAG(std::string, admin_address, "127.0.0.1:7080", "Where the admin gRPC API listens, host:port");
ABSL_FLAG(int, status_port, 9093, "Port of /metrics, /healthz and /readyz");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis, host:port");
ABSL_FLAG(std::string, postgres, "host=127.0.0.1 port=5432 user=postgres dbname=subguard",
          "PostgreSQL connection string (libpq conninfo)");
ABSL_FLAG(int, postgres_max_connections, 8, "PostgreSQL connections held at most");
ABSL_FLAG(int, partitions, 16, "Journal partitions; the same as the ingest's");
ABSL_FLAG(std::string, telegram_api_url, "https://api.telegram.org", "Bot API server (the sandbox's URL in tests)");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

namespace subguard {
namespace {

constexpr absl::Duration kStartRetry = absl::Seconds(2);

[[noreturn]] void Die(std::string_view message) { config::Die("subguard-admin", message); }

int Run() {
  absl::StatusOr<std::string> bot_token = config::ReadSecret("SUBGUARD_BOT_TOKEN");
  if (!bot_token.ok()) Die(base::ToStd(bot_token.status().message()));
  absl::StatusOr<std::string> operator_token = config::ReadSecret("SUBGUARD_ADMIN_TOKEN");
  if (!operator_token.ok() && !absl::IsNotFound(operator_token.status()))
    Die(base::ToStd(operator_token.status().message()));
  absl::StatusOr<redis::RedisOptions> redis_options =
      redis::RedisOptionsFromAddress(absl::GetFlag(FLAGS_redis_address));
  if (!redis_options.ok()) Die(absl::StrCat("--redis_address: ", redis_options.status().message()));
  if (absl::GetFlag(FLAGS_partitions) < 1) Die("--partitions must be at least 1");
  config::StopSignals stop_signals;

  observability::Registry registry;
  auto status_server = observability::StatusServer::Start({.port = absl::GetFlag(FLAGS_status_port)}, registry);
  if (!status_server.ok()) Die(absl::StrCat("status server: ", status_server.status().message()));
  redis::Pool redis(*redis_options);
  pg::Pool postgres(
      {.conninfo = absl::GetFlag(FLAGS_postgres), .max_connections = absl::GetFlag(FLAGS_postgres_max_connections)});
  (*status_server)->AddReadinessCheck({"postgres", [&postgres] { return postgres.Ping(); }});
  (*status_server)->AddReadinessCheck({"redis", [&redis] { return redis.Ping(); }});

  // The API keys' tables must exist before the first call: apply what is pending, as every process
  // with PostgreSQL does (the advisory lock serialises the starters).
  for (absl::StatusOr<int> migrated = pg::ApplyMigrations(postgres); !migrated.ok();
       migrated = pg::ApplyMigrations(postgres)) {
    if (absl::IsFailedPrecondition(migrated.status())) Die(base::ToStd(migrated.status().message()));
    log::Error("postgres_unreachable", {{"error", migrated.status()}});
    if (stop_signals.WaitFor(kStartRetry)) return 0;
  }

  telegram::BotApiClient bot_api({.api_url = absl::GetFlag(FLAGS_telegram_api_url), .token = *std::move(bot_token)});
  admin::ApiKeys api_keys(postgres);
  const bool operator_access = operator_token.ok();
  if (!operator_access) log::Warn("admin_operator_token_missing", {{"variable", "SUBGUARD_ADMIN_TOKEN"}});
  admin::Authenticator auth(operator_access ? *std::move(operator_token) : std::string(), api_keys);
  verifier::GroupStore groups(postgres);
  verifier::monitors::MonitorStore monitors(postgres);
  admin::ChatRegistry chats(postgres);
  journal::DeadLetters dead_letters(redis, absl::GetFlag(FLAGS_partitions));
  admin::RpcMetrics metrics(registry);
  admin::AdminService service({.auth = auth,
                               .postgres = postgres,
                               .groups = groups,
                               .monitors = monitors,
                               .chats = chats,
                               .dead_letters = dead_letters,
                               .redis = redis,
                               .bot_api = bot_api,
                               .metrics = metrics});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_admin_address), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) Die(absl::StrCat("cannot serve gRPC on ", absl::GetFlag(FLAGS_admin_address)));
  server->GetHealthCheckService()->SetServingStatus(true);
  log::Info("admin_started", {{"address", absl::GetFlag(FLAGS_admin_address)},
                              {"port", port},
                              {"status_port", (*status_server)->port()},
                              {"operator_access", operator_access}});

  stop_signals.Wait();
  log::Info("admin_stopping");
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  (*status_server)->Stop();
  log::Info("admin_stopped");
  return 0;
}

}  // namespace
}  // namespace subguard

int main(int argc, char** argv) {
  subguard::config::ParseFlagsAndEnv(argc, argv, "subguard-admin: the public gRPC admin API");
  subguard::log::Init("admin", subguard::log::ParseLevel(absl::GetFlag(FLAGS_log_level)));
  return subguard::Run();
}
