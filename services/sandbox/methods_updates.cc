// getMe, and the methods that hand updates to the bot: getUpdates, setWebhook, deleteWebhook,
// getWebhookInfo (Client.cpp process_get_updates_query, process_set_webhook_query, JsonWebhookInfo).
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/base/strings.h"
#include "services/sandbox/bot_json.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/methods.h"

namespace subguard::sandbox {
namespace {

absl::StatusOr<MethodResult> GetMe(MethodContext& context, const Params&) {
  return UserJson(context.world.bot(), /*full_bot_info=*/true);
}

absl::StatusOr<MethodResult> GetUpdates(MethodContext& context, const Params& params) {
  // The official server reads limit and timeout as 32-bit integers and clamps them.
  const int64_t max_timeout = absl::ToInt64Seconds(context.max_long_poll);
  GetUpdatesRequest request;
  request.offset = params.GetInt("offset", 0);
  request.limit = static_cast<int>(std::clamp<int64_t>(params.GetInt("limit", 100), 1, 100));
  request.timeout = absl::Seconds(std::clamp<int64_t>(params.GetInt("timeout", 0), 0, max_timeout));
  context.updates.UpdateAllowed(params.Get("allowed_updates"));
  absl::StatusOr<std::vector<QueuedUpdate>> updates = context.updates.GetUpdates(request);
  if (!updates.ok()) return updates.status();
  boost::json::array result;
  for (QueuedUpdate& update : *updates) result.push_back(std::move(update.update));
  return result;
}

bool IsBase64UrlText(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

// setWebhook and deleteWebhook are one method in the official server: deleteWebhook is setWebhook with no url.
absl::StatusOr<MethodResult> ChangeWebhook(MethodContext& context, const Params& params, bool is_set) {
  WebhookSettings settings;
  if (is_set) settings.url = params.Get("url");
  if (!settings.url.empty()) {
    if (!absl::StartsWith(settings.url, "http://") && !absl::StartsWith(settings.url, "https://")) {
      return BadRequest("invalid webhook URL specified");
    }
    settings.secret_token = params.Get("secret_token");
    if (settings.secret_token.size() > 256) return BadRequest("secret token is too long");
    if (!IsBase64UrlText(settings.secret_token)) return BadRequest("secret token contains unallowed characters");
    settings.max_connections = static_cast<int>(std::clamp<int64_t>(params.GetInt("max_connections", 40), 1, 100));
    context.updates.UpdateAllowed(params.Get("allowed_updates"));
  }
  if (params.GetBool("drop_pending_updates")) context.updates.Clear();
  const bool changed = context.webhook.Set(settings);
  if (settings.url.empty()) {
    return MethodResult(true, changed ? "Webhook was deleted" : "Webhook is already deleted");
  }
  return MethodResult(true, changed ? "Webhook was set" : "Webhook is already set");
}

absl::StatusOr<MethodResult> SetWebhook(MethodContext& context, const Params& params) {
  return ChangeWebhook(context, params, /*is_set=*/true);
}

absl::StatusOr<MethodResult> DeleteWebhook(MethodContext& context, const Params& params) {
  return ChangeWebhook(context, params, /*is_set=*/false);
}

absl::StatusOr<MethodResult> GetWebhookInfo(MethodContext& context, const Params&) {
  const WebhookStatus status = context.webhook.Status();
  boost::json::object info{{"url", status.settings.url},
                           {"has_custom_certificate", false},
                           {"pending_update_count", context.updates.pending_count()}};
  if (status.last_error_date > 0) {
    info["last_error_date"] = status.last_error_date;
    info["last_error_message"] = status.last_error_message;
  }
  if (!status.settings.url.empty()) {
    info["max_connections"] = status.settings.max_connections;
    info["ip_address"] = "127.0.0.1";
  }
  if (!context.updates.AllowedIsDefault()) {
    boost::json::array names;
    for (const std::string& name : context.updates.AllowedNames()) names.emplace_back(name);
    info["allowed_updates"] = std::move(names);
  }
  return info;
}

}  // namespace

std::vector<MethodSpec> UpdateMethods() {
  return {{"getMe", &GetMe},
          {"getUpdates", &GetUpdates},
          {"setWebhook", &SetWebhook},
          {"deleteWebhook", &DeleteWebhook},
          {"getWebhookInfo", &GetWebhookInfo}};
}

}  // namespace subguard::sandbox
