// A small HTTP/1.1 server for subguard's endpoints: the ingest's webhook, /metrics /healthz /readyz,
// and the sandbox's Bot API and control API.
//
// Each connection gets its own thread and the handler runs on it, so a handler may block (the
// sandbox's getUpdates long poll does). Connections are capped at ServerOptions::max_connections;
// beyond that a client is answered 503 at once. Bodies over max_body_bytes are answered 413 without
// reaching the handler. Idle keep-alive connections close after idle_timeout.
// Thread-safe: the handler is called concurrently from many threads.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace subguard::http {

struct Request {
  std::string method;  // upper case, as sent
  std::string path;    // without the query
  std::string query;   // after '?', undecoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The value of a header ("" when absent). name must be lower case.
  std::string_view Header(std::string_view name) const;
  // A query parameter, percent-decoded ("" when absent).
  std::string QueryParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;

  static Response Json(int status, std::string body) { return {status, "application/json", std::move(body)}; }
  static Response Text(int status, std::string body) { return {status, "text/plain; charset=utf-8", std::move(body)}; }
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 picks a free port; see Server::port()
  size_t max_body_bytes = 1 << 20;
  int max_connections = 256;
  absl::Duration idle_timeout = absl::Seconds(60);
};

class Server {
 public:
  // Binds and starts accepting. Fails with kUnavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  virtual ~Server() = default;

  virtual int port() const = 0;
  // Stops accepting, closes every connection and waits for their threads. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace subguard::http
