#include "services/verifier/testing/sandbox_world.h"

#include <utility>

namespace subguard::verifier::testing {

void MethodFaults::Fail(const std::string& method, absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_[method] = std::move(status);
}

void MethodFaults::Before(const std::string& method, std::function<void()> hook) {
  absl::MutexLock lock(&mu_);
  hooks_[method] = std::move(hook);
}

void MethodFaults::Clear() {
  absl::MutexLock lock(&mu_);
  failures_.clear();
  hooks_.clear();
}

absl::Status MethodFaults::BeforeCall(std::string_view method, const sandbox::Params& /*params*/) {
  std::function<void()> hook;
  {
    absl::MutexLock lock(&mu_);
    const std::string key(method);
    if (auto it = failures_.find(key); it != failures_.end()) return it->second;
    if (auto it = hooks_.find(key); it != hooks_.end()) hook = it->second;
  }
  // Outside the lock: a hook may block until the test releases it.
  if (hook) hook();
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SandboxWorld>> SandboxWorld::Start(std::string bot_token, std::string bot_username) {
  sandbox::SandboxOptions options;
  options.http.port = 0;
  // The tests call the Bot API directly, without the sender's rate limiter.
  options.flood.enabled = false;
  options.bot_token = bot_token;
  options.bot_username = std::move(bot_username);
  auto server = sandbox::SandboxServer::Start(options);
  if (!server.ok()) return server.status();
  std::unique_ptr<SandboxWorld> world(new SandboxWorld());
  world->server_ = std::move(*server);
  world->server_->bot_api().SetRequestHook(&world->faults_);
  world->bot_api_ = std::make_unique<telegram::BotApiClient>(
      telegram::BotApiOptions{.api_url = world->server_->base_url(), .token = std::move(bot_token)});
  world->control_ = std::make_unique<sandbox::ControlClient>(world->server_->base_url());
  return world;
}

SandboxWorld::~SandboxWorld() {
  if (server_ != nullptr) {
    server_->bot_api().SetRequestHook(nullptr);
    server_->Stop();
  }
}

int SandboxWorld::Calls(std::string_view method) {
  auto calls = control_->Calls(method);
  return calls.ok() ? static_cast<int>(calls->size()) : -1;
}

}  // namespace subguard::verifier::testing
