// DispatchService: the gRPC service of dispatch.proto. Each Connect stream gets one reactor; after
// the worker's Hello, the stream is attached to the Dispatcher of its role (verifier or sender).
//
// The reactor keeps one read and one write in flight and a queue of deliveries to write (bounded by
// the stream's credit, capped at kMaxStreamCredit), never blocks in a reaction, and always finishes
// the RPC. A first message that is not a valid Hello (a known role, max_in_flight >= 1) finishes the
// stream with INVALID_ARGUMENT; so does any later message that is not an Ack or a Nack. An accepted
// Hello is answered with initial metadata kHelloAcceptedKey, which the Worker waits for.
// Register it on a grpc::ServerBuilder; it and the Dispatchers must outlive the server.
#pragma once

#include <cstdint>
#include <memory>

#include "common/dispatch/dispatcher.h"
#include "subguard/v1/dispatch.grpc.pb.h"

namespace subguard::dispatch {

// Hello.max_in_flight above this is lowered to it: it bounds each stream's outbound queue.
inline constexpr uint32_t kMaxStreamCredit = 1024;
// Initial-metadata key (value "1") the ingest sends once it has accepted a stream's Hello.
inline constexpr char kHelloAcceptedKey[] = "subguard-hello-accepted";

std::unique_ptr<v1::Dispatch::CallbackService> CreateDispatchService(Dispatcher& verifiers, Dispatcher& senders);

}  // namespace subguard::dispatch
