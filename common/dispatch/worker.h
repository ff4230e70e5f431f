// Worker: the worker side of dispatch.proto, shared by the verifier and the sender.
//
// Dials every ingest address and keeps one Connect stream open to each (reconnecting with capped
// full-jitter backoff), announces its role and credit (max_in_flight) in Hello, and runs each
// Delivery through the handler on its own pool of max_in_flight threads, never on a gRPC thread.
// The handler's result is written back as the delivery's Ack or Nack. Deliveries still running when
// a stream breaks are dropped: the ingest delivers them again.
// Thread-safe. Start and Stop are called once each, from main.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/observability/metrics.h"
#include "subguard/v1/dispatch.pb.h"

namespace subguard::dispatch {

// What a handler answers for one delivery: an Ack (done; for updates, with the actions to take) or
// a Nack (retry later). delivery_id is filled in by the Worker.
using DeliveryResult = std::variant<v1::Ack, v1::Nack>;

class DeliveryHandler {
 public:
  virtual ~DeliveryHandler() = default;
  // Called on a worker thread; may block on I/O. Called concurrently for different chats, at most
  // once at a time for one chat (the ingest keeps one delivery of a chat in flight).
  virtual DeliveryResult Handle(const v1::Delivery& delivery) = 0;
};

struct WorkerOptions {
  std::vector<std::string> ingest_addresses;  // --ingest_addresses / SUBGUARD_INGEST_ADDRESSES, "host:port,..."
  std::string worker_id;                      // --worker_id / SUBGUARD_WORKER_ID; default ("") hostname-pid
  v1::WorkerRole role = v1::WORKER_ROLE_UNSPECIFIED;
  int max_in_flight = 16;  // --max_in_flight / SUBGUARD_MAX_IN_FLIGHT: credit per stream and thread-pool size
  absl::Duration reconnect_max_backoff = absl::Seconds(5);  // cap of the delay between two dial attempts
  absl::Duration keepalive_time = absl::Seconds(10);        // ping the ingest this often (>= its min interval)
  absl::Duration keepalive_timeout = absl::Seconds(10);     // a ping unanswered this long drops the connection
  // Stop waits this long for the ingests to close the streams after the last Ack, then cancels them.
  absl::Duration stop_grace = absl::Seconds(5);
};

class Worker {
 public:
  static std::unique_ptr<Worker> Create(WorkerOptions options, DeliveryHandler& handler,
                                        observability::Registry& registry);
  virtual ~Worker() = default;
  virtual void Start() = 0;
  // Stops taking deliveries, waits for the running ones to finish and their answers to be written,
  // then closes the streams (deliveries received meanwhile are delivered again elsewhere).
  virtual void Stop() = 0;
  // OK when a stream to at least one ingest is open and its Hello accepted.
  virtual absl::Status Connected() const = 0;
};

}  // namespace subguard::dispatch
