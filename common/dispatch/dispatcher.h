// Dispatcher: the ingest side of dispatch.proto for one worker role (verifiers or senders).
//
// It owns the queued work and the worker streams of that role. Work is offered as Items; each is
// delivered to a stream with free credit, with at most one Item of an ordering key (a chat) in flight
// at a time and the key's Items in the order offered. When the worker answers:
//   Ack  -> on_ack(item, ack) runs on the dispatcher's own threads (it may block on Redis). OK releases
//           the key's next Item; an error puts the Item back at the head of its key and delivers it
//           again after retry_delay (nothing is released out of order).
//   Nack -> the Item goes back to the head of its key, not delivered again before retry_after_ms.
// A stream that ends, or a delivery unanswered for delivery_timeout, puts the Item back at the head
// of its key for any stream. Nacks (but deferred ones), lost streams and timeouts count as failures; at max_attempts
// failures the Item goes to on_give_up instead (OK: forgotten; an error: retried as for on_ack).
// The bookkeeping is DispatchState's; this class adds the lock, the threads and the metrics.
//
// Thread-safe. Offer, DropPartition and the stream calls never block on I/O: the gRPC reactions of
// DispatchService call them. Stop it after the gRPC server has shut down.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/dispatch/item.h"
#include "common/observability/metrics.h"
#include "subguard/v1/dispatch.pb.h"

namespace subguard::dispatch {

struct DispatcherOptions {
  std::string role_name;       // "verifier" or "sender": a metric label
  size_t max_queued = 10000;   // Offer() refuses beyond this (queued + in flight), urgent and routine apart
  int max_attempts = 10;       // failures (Nack, lost stream, timeout) before on_give_up
  int completion_threads = 4;  // threads running on_ack / on_give_up
  absl::Duration retry_delay = absl::Milliseconds(200);  // after an on_ack / on_give_up error
  absl::Duration delivery_timeout = absl::Seconds(30);   // unanswered this long: delivered again elsewhere
};

struct DispatcherCallbacks {
  // The worker acked item. OK: done; an error: delivered again after retry_delay.
  std::function<absl::Status(const Item&, const v1::Ack&)> on_ack;
  // item failed max_attempts times; nack is the last failure (a worker's Nack, "stream closed" or
  // "delivery timed out"). OK: forgotten (dead-lettered by the callee); an error: retried.
  std::function<absl::Status(const Item&, const v1::Nack&)> on_give_up;
};

// Where a Dispatcher writes the deliveries of one stream: implemented by DispatchService's reactor
// handle. Send must not block, and must accept calls after the stream ended (dropping them: the
// stream's Items are redelivered by DetachStream).
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void Send(v1::IngestMessage message) = 0;
};

class Dispatcher {
 public:
  static std::unique_ptr<Dispatcher> Create(DispatcherOptions options, DispatcherCallbacks callbacks,
                                            observability::Registry& registry);
  virtual ~Dispatcher() = default;

  // Queues an Item; false when max_queued Items of its class (urgent or routine) are already held
  // (nothing is queued then).
  virtual bool Offer(Item item) = 0;
  // Forgets every queued Item of a partition whose lease this ingest lost; Items in flight are
  // still answered, and their on_ack sees a stale fence; then they are forgotten whatever it returns.
  virtual void DropPartition(int partition) = 0;
  // Items held: queued plus in flight.
  virtual size_t size() const = 0;
  // Streams connected now.
  virtual int streams() const = 0;
  // Runs the pending on_ack / on_give_up calls, then stops the threads. Later calls do nothing.
  virtual void Stop() = 0;

  // For DispatchService: a stream whose Hello (already validated, max_in_flight >= 1) names this
  // dispatcher's role. Returns the stream's id for the calls below; every attached stream is
  // detached exactly once, after which the Dispatcher no longer touches its sink.
  virtual uint64_t AttachStream(std::shared_ptr<StreamSink> sink, const v1::Hello& hello) = 0;
  virtual void OnAck(uint64_t stream_id, v1::Ack ack) = 0;
  virtual void OnNack(uint64_t stream_id, const v1::Nack& nack) = 0;
  virtual void DetachStream(uint64_t stream_id) = 0;
};

}  // namespace subguard::dispatch
