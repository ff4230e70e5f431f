// SandboxServer: the fake Telegram Bot API server, whole: world, update queue, webhook delivery, call log,
// the Bot API (/bot<token>/<method>), the control API (/control/...), and /healthz, /readyz, /metrics, all on
// one HTTP port.
//
// subguard-sandbox's main builds one from flags; tests embed one in-process on port 0 and talk to it over
// loopback exactly as the rest of subguard talks to api.telegram.org. Thread-safe; Stop (or destruction)
// ends waiting long polls and joins every thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/http/server.h"
#include "common/observability/metrics.h"
#include "prometheus/gauge.h"
#include "services/sandbox/bot_api.h"
#include "services/sandbox/call_guard.h"
#include "services/sandbox/call_log.h"
#include "services/sandbox/control_api.h"
#include "services/sandbox/update_queue.h"
#include "services/sandbox/webhook_pusher.h"
#include "services/sandbox/world.h"

namespace subguard::sandbox {

struct SandboxOptions {
  http::ServerOptions http;  // --host (default 127.0.0.1), --port (default 8081; 0 picks a free port)
  // --bot_token: the one token the Bot API accepts, "<bot id>:<secret>". The sandbox's own test token, not a
  // secret.
  std::string bot_token = "123456:sandbox-token";
  std::string bot_username = "subguard_sandbox_bot";  // --bot_username
  std::string bot_first_name = "Subguard Sandbox";
  size_t max_call_log = 100000;         // --max_call_log: call records kept
  size_t max_pending_updates = 100000;  // --max_pending_updates: updates queued for the bot
  // --first_update_id: the first update's id. Telegram never reuses an update_id, and subguard keeps the
  // ids it has seen (dedupe, polling offset) across restarts, so a sandbox restarted under a running
  // cluster must not start again from 1. 0 picks the current Unix time in milliseconds.
  int64_t first_update_id = 1;
  size_t max_messages_per_chat = 1000;               // --max_messages_per_chat
  size_t max_users = 100000;                         // users the world holds
  size_t max_chats = 10000;                          // chats the world holds
  size_t max_callback_queries = 10000;               // callback queries remembered for answerCallbackQuery
  absl::Duration max_long_poll = absl::Seconds(50);  // getUpdates' timeout limit, as the official server's
  WebhookPusherOptions webhook;
  FloodLimitOptions flood;  // Telegram's flood limits, on by default (flood_limits.h)
  FaultOptions faults;      // injected faults, none by default (faults.h)
};

class SandboxServer {
 public:
  // Fails with kInvalidArgument for a malformed bot_token, kUnavailable when the port cannot be bound.
  // clock gives message dates and until_date expiry; it outlives the server.
  static absl::StatusOr<std::unique_ptr<SandboxServer>> Start(const SandboxOptions& options,
                                                              const base::Clock& clock = base::RealClock::Instance());
  ~SandboxServer();

  int port() const { return http_->port(); }
  // "http://<host>:<port>", what SUBGUARD_TELEGRAM_API_URL points at.
  std::string base_url() const;
  const User& bot() const { return world_.bot(); }
  // The Bot API endpoint; its SetRequestHook is the seam for flood limits and fault injection (issue #6).
  BotApi& bot_api() { return *bot_api_; }

  // Ends long polls, stops serving and delivering. Idempotent.
  void Stop();

 private:
  SandboxServer(const SandboxOptions& options, const base::Clock& clock, User bot);
  http::Response Handle(const http::Request& request);

  const SandboxOptions options_;
  observability::Registry registry_;
  prometheus::Gauge& pending_updates_;  // set from the queue at each scrape
  prometheus::Gauge& long_polls_;       // likewise
  prometheus::Gauge& dropped_updates_;  // likewise
  base::RealRandom random_;
  UpdateQueue updates_;
  World world_;
  CallLog call_log_;
  WebhookPusher webhook_;
  CallGuard guard_;
  std::unique_ptr<BotApi> bot_api_;
  std::unique_ptr<ControlApi> control_api_;
  std::unique_ptr<http::Server> http_;
};

}  // namespace subguard::sandbox
