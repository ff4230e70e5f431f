// DispatchService: the gRPC service of dispatch.proto. Each Connect stream gets one reactor; after
// the worker's Hello, the stream is attached to the Dispatcher of its role (verifier or sender).
// Register it on a grpc::ServerBuilder; it must outlive the server.
#pragma once

#include <memory>

#include "common/dispatch/dispatcher.h"
#include "subguard/v1/dispatch.grpc.pb.h"

namespace subguard::dispatch {

std::unique_ptr<v1::Dispatch::CallbackService> CreateDispatchService(Dispatcher& verifiers, Dispatcher& senders);

}  // namespace subguard::dispatch
