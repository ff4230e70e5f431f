#include "tests/harness/load_balancer.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace subguard::harness {
namespace {

// Headers that describe one hop's connection, not the request; curl sets its own.
bool HopByHop(std::string_view name) {
  return name == "host" || name == "content-length" || name == "connection" || name == "transfer-encoding" ||
         name == "expect" || name == "content-type";
}

}  // namespace

absl::StatusOr<std::unique_ptr<LoadBalancer>> LoadBalancer::Start(std::vector<std::string> backends) {
  std::unique_ptr<LoadBalancer> balancer(new LoadBalancer(std::move(backends)));
  auto server = http::Server::Start({.max_body_bytes = 4 << 20}, [raw = balancer.get()](const http::Request& request) {
    return raw->Forward(request);
  });
  if (!server.ok()) return server.status();
  balancer->server_ = *std::move(server);
  return balancer;
}

LoadBalancer::~LoadBalancer() {
  if (server_) server_->Stop();
}

std::string LoadBalancer::url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", server_->port(), path);
}

http::Response LoadBalancer::Forward(const http::Request& request) {
  if (request.method != "POST") return http::Response::Text(405, "the balancer forwards POST only");
  std::vector<std::string> headers;
  for (const auto& [name, value] : request.headers) {
    if (!HopByHop(name)) headers.push_back(absl::StrCat(name, ": ", value));
  }
  const std::string target = request.query.empty() ? request.path : absl::StrCat(request.path, "?", request.query);
  const std::string_view content_type = request.Header("content-type");
  const size_t first = next_.fetch_add(1);
  for (size_t i = 0; i < backends_.size(); ++i) {
    const std::string& backend = backends_[(first + i) % backends_.size()];
    absl::StatusOr<http::HttpResponse> answer =
        clients_.Borrow()->Post(backend + target, content_type.empty() ? "application/json" : content_type,
                                request.body, absl::Seconds(10), headers);
    if (answer.ok()) return http::Response::Json(answer->status, std::move(answer->body));
  }
  return http::Response::Text(502, "no backend answered");
}

}  // namespace subguard::harness
