// subguard-sandbox: a fake Telegram Bot API server for tests, benchmarks and the local run.
// Wires flags into SandboxOptions, starts the server, and stops it on SIGINT or SIGTERM.
#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "common/observability/log.h"
#include "services/sandbox/sandbox_server.h"

ABSL_FLAG(std::string, host, "127.0.0.1", "Address to serve the Bot API and the control API on.");
ABSL_FLAG(int, port, 8081, "Port to serve on; 0 picks a free one (logged at start).");
ABSL_FLAG(std::string, bot_token, "123456:sandbox-token",
          "The one bot token the sandbox accepts, <bot id>:<secret>. The sandbox's own test token, not a secret.");
ABSL_FLAG(std::string, bot_username, "subguard_sandbox_bot", "The bot's username, without '@'.");
ABSL_FLAG(int64_t, max_call_log, 100000, "Bot API calls kept in the call log.");
ABSL_FLAG(int64_t, first_update_id, 0,
          "The first update's update_id; 0 picks the current Unix time in milliseconds, so ids keep growing across "
          "restarts as Telegram's do.");
ABSL_FLAG(int64_t, max_pending_updates, 100000, "Updates kept for the bot before the oldest are dropped.");
ABSL_FLAG(int64_t, max_messages_per_chat, 1000, "Messages kept per chat before the oldest are dropped.");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error.");
ABSL_FLAG(bool, flood_limits, true, "Enforce Telegram's flood limits with 429 and retry_after.");
ABSL_FLAG(double, flood_bot_per_second, 30, "Messages per second the whole bot may send.");
ABSL_FLAG(double, flood_chat_per_second, 1, "Messages per second in one chat, after its burst.");
ABSL_FLAG(int, flood_chat_burst, 3, "Messages a quiet chat takes at once.");
ABSL_FLAG(int, flood_group_per_minute, 20, "Messages in any 60 s in one group.");
ABSL_FLAG(int, flood_max_unsent_per_chat, 310, "Messages of one chat in flight before 429 retry_after 60.");
ABSL_FLAG(double, flood_other_per_second, 0, "Other calls (moderation, reads) per second; 0 = unlimited.");
ABSL_FLAG(double, fault_error_rate, 0, "Share of Bot API calls answered 500 (0..1).");
ABSL_FLAG(double, fault_timeout_rate, 0, "Share of Bot API calls held 15 s, past a client's timeout (0..1).");
ABSL_FLAG(int, fault_latency_ms, 0, "Latency added to every Bot API call, in milliseconds.");

int main(int argc, char** argv) {
  // Blocked before any thread starts, so every thread inherits the mask and sigwait below gets the signal.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  subguard::config::ParseFlagsAndEnv(argc, argv, "subguard-sandbox: a fake Telegram Bot API server");
  subguard::log::Init("sandbox", subguard::log::ParseLevel(absl::GetFlag(FLAGS_log_level)));

  subguard::sandbox::SandboxOptions options;
  options.http.host = absl::GetFlag(FLAGS_host);
  options.http.port = absl::GetFlag(FLAGS_port);
  options.bot_token = absl::GetFlag(FLAGS_bot_token);
  options.bot_username = absl::GetFlag(FLAGS_bot_username);
  options.max_call_log = static_cast<size_t>(std::max<int64_t>(1, absl::GetFlag(FLAGS_max_call_log)));
  options.max_pending_updates = static_cast<size_t>(std::max<int64_t>(1, absl::GetFlag(FLAGS_max_pending_updates)));
  options.first_update_id = absl::GetFlag(FLAGS_first_update_id);
  options.max_messages_per_chat = static_cast<size_t>(std::max<int64_t>(1, absl::GetFlag(FLAGS_max_messages_per_chat)));

  options.flood = {.enabled = absl::GetFlag(FLAGS_flood_limits),
                   .bot_per_second = absl::GetFlag(FLAGS_flood_bot_per_second),
                   .chat_per_second = absl::GetFlag(FLAGS_flood_chat_per_second),
                   .chat_burst = absl::GetFlag(FLAGS_flood_chat_burst),
                   .group_per_minute = absl::GetFlag(FLAGS_flood_group_per_minute),
                   .max_unsent_per_chat = absl::GetFlag(FLAGS_flood_max_unsent_per_chat),
                   .other_per_second = absl::GetFlag(FLAGS_flood_other_per_second)};
  options.faults.error_rate = absl::GetFlag(FLAGS_fault_error_rate);
  options.faults.timeout_rate = absl::GetFlag(FLAGS_fault_timeout_rate);
  options.faults.latency = absl::Milliseconds(absl::GetFlag(FLAGS_fault_latency_ms));

  auto server = subguard::sandbox::SandboxServer::Start(options);
  if (!server.ok()) {
    subguard::log::Error("sandbox_start_failed", {{"error", server.status()}});
    return 1;
  }
  subguard::log::Info(
      "sandbox_started",
      {{"url", (*server)->base_url()}, {"bot_id", (*server)->bot().id}, {"bot_username", (*server)->bot().username}});
  int received = 0;
  sigwait(&stop_signals, &received);
  subguard::log::Info("sandbox_stopping");
  (*server)->Stop();
  return 0;
}
