// SandboxWorld: the sandbox in-process on a free port, a BotApiClient and a ControlClient talking to
// it over loopback, and MethodFaults on its request hook; for the verifier's integration tests. No
// fake of Telegram: a failure is the sandbox answering an error the way the Bot API does.
// Not thread-safe, apart from MethodFaults (called from the sandbox's HTTP threads).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/telegram/bot_api_client.h"
#include "services/sandbox/control_client.h"
#include "services/sandbox/sandbox_server.h"

namespace subguard::verifier::testing {

// Per-method faults for the sandbox's Bot API: an error answered instead of the method, or a hook run
// before it (to hold a call until a test releases it).
class MethodFaults final : public sandbox::RequestHook {
 public:
  // Every call of method answers status (sandbox/errors.h, e.g. TooManyRequests(7)) until Clear.
  void Fail(const std::string& method, absl::Status status);
  // Every call of method runs hook first; the call proceeds when it returns.
  void Before(const std::string& method, std::function<void()> hook);
  void Clear();

  absl::Status BeforeCall(std::string_view method, const sandbox::Params& params) override;

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::function<void()>> hooks_ ABSL_GUARDED_BY(mu_);
};

class SandboxWorld {
 public:
  // bot_token "<bot id>:<secret>"; the bot is @bot_username.
  static absl::StatusOr<std::unique_ptr<SandboxWorld>> Start(std::string bot_token, std::string bot_username);
  ~SandboxWorld();

  // The bot's calls of method so far (successful or not), from the sandbox's call log.
  int Calls(std::string_view method);

  telegram::BotApiClient& bot_api() { return *bot_api_; }
  sandbox::ControlClient& control() { return *control_; }
  MethodFaults& faults() { return faults_; }

 private:
  SandboxWorld() = default;

  MethodFaults faults_;
  std::unique_ptr<sandbox::SandboxServer> server_;
  std::unique_ptr<telegram::BotApiClient> bot_api_;
  std::unique_ptr<sandbox::ControlClient> control_;
};

}  // namespace subguard::verifier::testing
