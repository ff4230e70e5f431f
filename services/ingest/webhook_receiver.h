// WebhookReceiver: receives updates that Telegram POSTs to the ingest's webhook endpoint, an
// http::Handler on common/http/server.h (one thread per connection; handlers may block).
//
// HandleWebhook answers 200 only once the update is journaled (or was already), 503 when the
// journal is unreachable (Telegram retries), 400 to a body that is not an update (logged; retrying
// cannot fix it), and 401/404/405/415 to requests that are not Telegram's. The secret token is
// compared in constant time. Bodies are capped by the server (http::ServerOptions::max_body_bytes).
// Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/http/server.h"
#include "common/observability/metrics.h"
#include "common/telegram/bot_api.h"
#include "prometheus/counter.h"
#include "services/ingest/intake.h"

namespace subguard::ingest {

struct WebhookOptions {
  // The path Telegram POSTs to (--webhook_path / SUBGUARD_WEBHOOK_PATH; default /telegram/webhook).
  std::string path = "/telegram/webhook";
  // Telegram's X-Telegram-Bot-Api-Secret-Token, from config::ReadSecret("SUBGUARD_WEBHOOK_SECRET")
  // only (1-256 of A-Z a-z 0-9 _ -); never logged. Required in webhook mode.
  std::string secret;
};

class WebhookReceiver {
 public:
  WebhookReceiver(WebhookOptions options, Intake& intake, observability::Registry& registry);

  http::Response HandleWebhook(const http::Request& request);

 private:
  http::Response Answer(int status, std::string_view body);

  const WebhookOptions options_;
  Intake& intake_;
  prometheus::Family<prometheus::Counter>& requests_;
};

// a == b, taking the same time for every b of a's length, so the secret cannot be guessed byte by
// byte from response times. An empty a matches nothing.
bool SecretsEqual(std::string_view a, std::string_view b);

// What setWebhook is told at start in webhook mode.
struct WebhookRegistration {
  std::string url;  // --webhook_url / SUBGUARD_WEBHOOK_URL: the public HTTPS URL of the path above
  std::string secret;
  std::vector<std::string> allowed_updates;
  int max_connections = 40;  // --webhook_max_connections; Telegram's default 40, at most 100
};

// Calls setWebhook. Idempotent: every ingest instance may call it with the same registration.
absl::Status RegisterWebhook(telegram::BotApi& bot, const WebhookRegistration& registration);

}  // namespace subguard::ingest
