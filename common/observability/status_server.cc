#include "common/observability/status_server.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"

namespace subguard::observability {

absl::StatusOr<std::unique_ptr<StatusServer>> StatusServer::Start(const http::ServerOptions& options,
                                                                  Registry& registry) {
  std::unique_ptr<StatusServer> status_server(new StatusServer(registry));
  StatusServer* self = status_server.get();
  auto server = http::Server::Start(options, [self](const http::Request& request) { return self->Handle(request); });
  if (!server.ok()) return server.status();
  status_server->server_ = std::move(*server);
  return status_server;
}

void StatusServer::AddReadinessCheck(ReadinessCheck check) {
  std::lock_guard lock(mu_);
  checks_.push_back(std::move(check));
}

absl::Status StatusServer::Ready() {
  std::vector<ReadinessCheck> checks;
  {
    std::lock_guard lock(mu_);
    checks = checks_;
  }
  for (const ReadinessCheck& check : checks) {
    if (absl::Status status = check.check(); !status.ok()) {
      return absl::Status(status.code(), absl::StrCat(check.name, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

http::Response StatusServer::Handle(const http::Request& request) {
  if (request.path == "/metrics") {
    return {200, "text/plain; version=0.0.4; charset=utf-8", SerializeMetrics(registry_)};
  }
  if (request.path == "/healthz") return http::Response::Json(200, R"({"status":"alive"})");
  if (request.path == "/readyz") {
    const absl::Status ready = Ready();
    boost::json::object body;
    body["status"] = ready.ok() ? "ready" : "not_ready";
    if (!ready.ok()) body["reason"] = std::string(ready.message());
    return http::Response::Json(ready.ok() ? 200 : 503, boost::json::serialize(body));
  }
  return http::Response::Text(404, "not found\n");
}

}  // namespace subguard::observability
