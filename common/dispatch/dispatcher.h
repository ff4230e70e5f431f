// Dispatcher: the ingest side of dispatch.proto for one worker role (verifiers or senders).
//
// It owns the queued work and the worker streams of that role. Work is offered as Items; each is
// delivered to a stream with free credit, with at most one Item of an ordering key (a chat) in flight
// at a time and the key's Items in the order offered. When the worker answers:
//   Ack  -> on_ack(item, ack) runs on the dispatcher's own threads (it may block on Redis). OK releases
//           the key's next Item; an error puts the Item back at the head of its key and delivers it
//           again after a short delay (nothing is released out of order).
//   Nack -> the Item goes back to the head of its key, not delivered again before retry_after_ms;
//           after max_attempts it is handed to on_give_up instead.
// A stream that ends has its unanswered Items put back at the head of their keys for other streams.
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/observability/metrics.h"
#include "subguard/v1/dispatch.pb.h"

namespace subguard::dispatch {

struct Item {
  std::string journal_id;    // where the work lives in the journal (a stream entry id)
  int partition = 0;         // the journal partition it was read from
  uint64_t fence = 0;        // the partition lease's fencing token when it was read
  int64_t ordering_key = 0;  // chat id
  v1::Delivery delivery;     // payload set (update or action); delivery_id and attempt are the dispatcher's
};

struct DispatcherOptions {
  std::string role_name;                   // "verifier" or "sender": a metric label
  size_t max_queued = 10000;               // Offer() refuses beyond this: the caller stops reading the journal
  int max_attempts = 10;                   // Nacks before on_give_up
  int completion_threads = 4;              // threads running on_ack / on_give_up
  absl::Duration retry_delay = absl::Milliseconds(200);  // after an on_ack error
};

struct DispatcherCallbacks {
  std::function<absl::Status(const Item&, const v1::Ack&)> on_ack;
  std::function<absl::Status(const Item&, const v1::Nack&)> on_give_up;
};

class Dispatcher {
 public:
  static std::unique_ptr<Dispatcher> Create(DispatcherOptions options, DispatcherCallbacks callbacks,
                                            observability::Registry& registry);
  virtual ~Dispatcher() = default;

  // Queues an Item; false when max_queued Items are already held (nothing is queued then).
  virtual bool Offer(Item item) = 0;
  // Forgets every queued Item of a partition whose lease this ingest lost; Items in flight are
  // still answered, and their on_ack sees a stale fence.
  virtual void DropPartition(int partition) = 0;
  // Items held: queued plus in flight.
  virtual size_t size() const = 0;
  // Streams connected now.
  virtual int streams() const = 0;
  virtual void Stop() = 0;
};

}  // namespace subguard::dispatch
