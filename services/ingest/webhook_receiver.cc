#include "services/ingest/webhook_receiver.h"

#include <boost/json/array.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/observability/log.h"

namespace subguard::ingest {

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.empty()) return false;  // an unset secret matches nothing
  // Every byte of b is looked at whatever the differences, and a length mismatch is folded in.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < b.size(); ++i) {
    diff |= static_cast<unsigned char>(b[i] ^ a[i % a.size()]);
  }
  return diff == 0;
}

WebhookReceiver::WebhookReceiver(WebhookOptions options, Intake& intake, observability::Registry& registry)
    : options_(std::move(options)),
      intake_(intake),
      requests_(prometheus::BuildCounter()
                    .Name("subguard_ingest_webhook_requests_total")
                    .Help("Webhook requests, by HTTP status answered")
                    .Register(registry)) {}

http::Response WebhookReceiver::Answer(int status, std::string_view body) {
  requests_.Add({{"code", absl::StrCat(status)}}).Increment();
  return http::Response::Json(status, std::string(body));
}

http::Response WebhookReceiver::HandleWebhook(const http::Request& request) {
  if (request.path != options_.path) return Answer(404, R"({"error":"not found"})");
  if (request.method != "POST") return Answer(405, R"({"error":"POST only"})");
  const absl::string_view content_type = base::ToAbsl(request.Header("content-type"));
  if (!absl::StartsWithIgnoreCase(content_type, "application/json")) {
    return Answer(415, R"({"error":"application/json only"})");
  }
  if (!SecretsEqual(options_.secret, request.Header("x-telegram-bot-api-secret-token"))) {
    log::Warn("webhook_secret_mismatch", {{"bytes", static_cast<int64_t>(request.body.size())}});
    return Answer(401, R"({"error":"bad secret token"})");
  }
  absl::StatusOr<Accepted> accepted = intake_.Accept(request.body, Source::kWebhook);
  if (accepted.ok()) return Answer(200, R"({"ok":true})");
  if (accepted.status().code() == absl::StatusCode::kInvalidArgument) {
    return Answer(400, R"({"error":"not a Telegram update"})");
  }
  // Telegram retries a 503 with growing delays: intake slows while the journal is away or full.
  log::Warn(accepted.status().code() == absl::StatusCode::kResourceExhausted ? "webhook_backlog_full"
                                                                             : "webhook_journal_unavailable",
            {{"error", accepted.status()}});
  return Answer(503, R"({"error":"journal unavailable, retry later"})");
}

absl::Status RegisterWebhook(telegram::BotApi& bot, const WebhookRegistration& registration) {
  boost::json::array allowed;
  for (const std::string& kind : registration.allowed_updates) allowed.emplace_back(kind);
  return bot
      .Call("setWebhook", {{"url", registration.url},
                           {"secret_token", registration.secret},
                           {"allowed_updates", std::move(allowed)},
                           {"max_connections", registration.max_connections}})
      .status();
}

}  // namespace subguard::ingest
