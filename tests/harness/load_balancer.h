// LoadBalancer: a reverse proxy for tests, standing where an operator's load balancer stands in front
// of several ingest instances in webhook mode (Telegram is given one webhook URL).
//
// Each POST goes to the next backend in turn. A backend that cannot be reached (connection refused
// or reset, a timeout: a killed process) is skipped and the next one tried; when none answers the
// client gets 502. A backend's HTTP answer, error statuses included, is passed back as it is: like an
// L7 balancer that fails over on connection errors only, so the ingest's own 503 still reaches Telegram.
// Thread-safe; owns its listening server.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/http/client.h"
#include "common/http/server.h"

namespace subguard::harness {

class LoadBalancer {
 public:
  // backends: base URLs such as "http://127.0.0.1:8081"; the request's path and query are appended.
  static absl::StatusOr<std::unique_ptr<LoadBalancer>> Start(std::vector<std::string> backends);
  ~LoadBalancer();

  // The public URL of path, e.g. url("/telegram/webhook").
  std::string url(const std::string& path) const;

 private:
  explicit LoadBalancer(std::vector<std::string> backends) : backends_(std::move(backends)) {}
  http::Response Forward(const http::Request& request);

  const std::vector<std::string> backends_;
  std::atomic<size_t> next_{0};
  http::ClientPool clients_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace subguard::harness
