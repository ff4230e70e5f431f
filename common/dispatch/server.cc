#include "common/dispatch/server.h"

#include "absl/strings/str_cat.h"
#include "common/dispatch/service.h"
#include "common/observability/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace subguard::dispatch {
namespace {

int Millis(absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); }

}  // namespace

absl::StatusOr<std::unique_ptr<DispatchServer>> DispatchServer::Start(
    const ServeOptions& options, Dispatcher& verifiers, Dispatcher& senders,
    const std::vector<grpc::Service*>& extra_services) {
  // Both are process-wide switches read when a server is built.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<DispatchServer> server(new DispatchServer());
  server->dispatch_service_ = CreateDispatchService(verifiers, senders);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.address, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->dispatch_service_.get());
  for (grpc::Service* service : extra_services) builder.RegisterService(service);
  // A worker on a host that vanished holds its deliveries until the keepalive drops the connection;
  // workers ping too, so allow that.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(options.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_SENT_PING_INTERVAL_WITHOUT_DATA_MS, Millis(options.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Millis(options.min_client_ping_interval));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve gRPC on ", options.address));
  }
  log::Info("grpc_server_started", {{"address", options.address}, {"port", server->port_}});
  return server;
}

DispatchServer::~DispatchServer() { Shutdown(); }

void DispatchServer::SetServing(bool serving) {
  if (server_ != nullptr) server_->GetHealthCheckService()->SetServingStatus(serving);
}

void DispatchServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  SetServing(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  server_.reset();
  log::Info("grpc_server_stopped", {{"port", port_}});
}

}  // namespace subguard::dispatch
