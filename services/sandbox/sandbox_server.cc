#include "services/sandbox/sandbox_server.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/strings.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

// The bot's user id is the token's number before ':'.
absl::StatusOr<int64_t> BotIdOfToken(std::string_view token) {
  int64_t bot_id = 0;
  const size_t colon = token.find(':');
  if (colon == std::string_view::npos || !absl::SimpleAtoi(base::ToAbsl(token.substr(0, colon)), &bot_id) ||
      bot_id <= 0 || colon + 1 == token.size()) {
    return absl::InvalidArgumentError("the bot token must look like <bot id>:<secret>, e.g. 123456:sandbox-token");
  }
  return bot_id;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SandboxServer>> SandboxServer::Start(const SandboxOptions& options,
                                                                    const base::Clock& clock) {
  ASSIGN_OR_RETURN(const int64_t bot_id, BotIdOfToken(options.bot_token));
  User bot{.id = bot_id, .is_bot = true, .first_name = options.bot_first_name, .username = options.bot_username};
  std::unique_ptr<SandboxServer> server(new SandboxServer(options, clock, std::move(bot)));
  SandboxServer* raw = server.get();
  ASSIGN_OR_RETURN(server->http_, http::Server::Start(options.http, [raw](const http::Request& request) {
                     return raw->Handle(request);
                   }));
  return server;
}

SandboxServer::SandboxServer(const SandboxOptions& options, const base::Clock& clock, User bot)
    : options_(options),
      pending_updates_(prometheus::BuildGauge()
                           .Name("subguard_sandbox_pending_updates")
                           .Help("Updates queued for the bot and not yet confirmed or delivered.")
                           .Register(registry_)
                           .Add({})),
      long_polls_(prometheus::BuildGauge()
                      .Name("subguard_sandbox_long_polls")
                      .Help("getUpdates calls waiting for an update.")
                      .Register(registry_)
                      .Add({})),
      dropped_updates_(prometheus::BuildGauge()
                           .Name("subguard_sandbox_dropped_updates")
                           .Help("Updates dropped unread because more than --max_pending_updates were queued.")
                           .Register(registry_)
                           .Add({})),
      updates_(UpdateQueueOptions{
          .max_pending = options.max_pending_updates,
          .first_update_id = options.first_update_id != 0 ? options.first_update_id : absl::ToUnixMillis(clock.Now())}),
      world_(WorldOptions{.bot = std::move(bot),
                          .max_users = options.max_users,
                          .max_chats = options.max_chats,
                          .max_messages_per_chat = options.max_messages_per_chat,
                          .max_callback_queries = options.max_callback_queries},
             clock, updates_),
      call_log_(options.max_call_log),
      webhook_(updates_, clock, random_, options.webhook),
      guard_(options.flood, options.faults, clock, random_, registry_) {
  updates_.SetListener([this] { webhook_.Notify(); });
  bot_api_ = std::make_unique<BotApi>(
      options.bot_token, MethodContext{world_, updates_, webhook_, options.max_long_poll}, call_log_, registry_);
  bot_api_->SetRequestHook(&guard_);
  control_api_ = std::make_unique<ControlApi>(world_, updates_, webhook_, call_log_);
}

SandboxServer::~SandboxServer() { Stop(); }

std::string SandboxServer::base_url() const { return absl::StrCat("http://", options_.http.host, ":", port()); }

void SandboxServer::Stop() {
  updates_.Shutdown();  // first, so waiting long polls end and the HTTP server can join their threads
  if (http_ != nullptr) http_->Stop();
  webhook_.Stop();
}

http::Response SandboxServer::Handle(const http::Request& request) {
  const std::string_view path = request.path;
  if (path.starts_with("/bot")) return bot_api_->Handle(request);
  if (CallGuard::IsControlPath(path)) return guard_.HandleControl(request);
  if (path.starts_with("/control/")) return control_api_->Handle(request);
  if (path == "/healthz" || path == "/readyz") return http::Response::Text(200, "ok\n");
  if (path == "/metrics") {
    pending_updates_.Set(static_cast<double>(updates_.pending_count()));
    long_polls_.Set(updates_.waiting_polls());
    dropped_updates_.Set(static_cast<double>(updates_.dropped_count()));
    return http::Response::Text(200, observability::SerializeMetrics(registry_));
  }
  const Reply reply = ErrorReply(NotFound(""));
  return http::Response::Json(reply.http_status, reply.body);
}

}  // namespace subguard::sandbox
