// DispatchServer: the ingest's gRPC server. It serves dispatch.proto (DispatchService over the two
// Dispatchers), the standard gRPC health service and server reflection, plus any other services
// the process adds (the admin API), on one address.
//
// Owned by the ingest's main: Start, SetServing from the same checks as /readyz, Shutdown before
// stopping the Dispatchers. SetServing and port are thread-safe; Shutdown is called from main only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/dispatch/dispatcher.h"
#include "grpcpp/server.h"
#include "grpcpp/support/config.h"

namespace subguard::dispatch {

struct ServeOptions {
  std::string address = "0.0.0.0:7000";                  // --grpc_address / SUBGUARD_GRPC_ADDRESS; port 0 picks one
  absl::Duration keepalive_time = absl::Seconds(10);     // server pings an idle connection this often
  absl::Duration keepalive_timeout = absl::Seconds(10);  // and drops it when a ping goes unanswered this long
  // Workers may ping this often (Worker's keepalive_time must not be shorter).
  absl::Duration min_client_ping_interval = absl::Seconds(5);
};

class DispatchServer {
 public:
  // extra_services are registered too; they must outlive the server.
  static absl::StatusOr<std::unique_ptr<DispatchServer>> Start(const ServeOptions& options, Dispatcher& verifiers,
                                                               Dispatcher& senders,
                                                               const std::vector<grpc::Service*>& extra_services = {});
  // Shuts down.
  ~DispatchServer();

  // The port bound (useful with port 0).
  int port() const { return port_; }
  // gRPC health (every service, and the overall ""): SERVING or NOT_SERVING.
  void SetServing(bool serving);
  // Stops accepting streams and cancels the open ones after grace; their reactors have ended (and
  // detached from the Dispatchers) when it returns. Idempotent.
  void Shutdown(absl::Duration grace = absl::ZeroDuration());

 private:
  DispatchServer() = default;

  std::unique_ptr<grpc::Service> dispatch_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace subguard::dispatch
