// StatusServer: serves /metrics, /healthz and /readyz on a process's status port.
//
// /healthz answers 200 while the process runs. /readyz runs every registered ReadinessCheck and
// answers 200 only when all pass, else 503 with the failures as JSON; gRPC health reports the same.
// Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/http/server.h"
#include "common/observability/metrics.h"

namespace subguard::observability {

// A named dependency check, e.g. {"redis", [&] { return redis.Ping(); }}.
struct ReadinessCheck {
  std::string name;
  std::function<absl::Status()> check;
};

class StatusServer {
 public:
  static absl::StatusOr<std::unique_ptr<StatusServer>> Start(const http::ServerOptions& options, Registry& registry);

  void AddReadinessCheck(ReadinessCheck check);
  // OK when every check passes; otherwise the first failure, prefixed with its name.
  absl::Status Ready();
  int port() const { return server_->port(); }
  void Stop() { server_->Stop(); }

 private:
  explicit StatusServer(Registry& registry) : registry_(registry) {}
  http::Response Handle(const http::Request& request);

  Registry& registry_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::vector<ReadinessCheck> checks_;
};

}  // namespace subguard::observability
