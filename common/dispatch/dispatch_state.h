// DispatchState: the bookkeeping of one Dispatcher, without I/O, threads or locks.
//
// It holds the queued Items of every ordering key (FIFO per key), the worker streams with their
// credits, and the deliveries in flight with their deadlines. Callers change it (Offer, Ack, Nack,
// AddStream, RemoveStream, Complete, DropPartition) and then call TakeWork(), which says what to do
// now: the deliveries to write to which stream, and the answered Items to complete (on_ack, or
// on_give_up). Time comes from the injected Clock; NextWakeup() says when TakeWork() has timed work
// (a delayed retry or a delivery deadline).
//
// Ready keys whose head Item is urgent go before the others; each group is served FIFO, so no chat
// starves another of its group.
//
// An Item's life: queued -> in flight (delivered on a stream, holding one of its credits) ->
// completing (answered with an Ack, or given up; its key stays blocked) -> Complete(OK) removes it
// and releases the key's next Item. A Nack, a lost stream or a delivery deadline puts the Item back
// at the head of its key (after the Nack's retry_after_ms) and counts a failure (a deferred Nack, the
// worker's own limits waiting, does not); at max_attempts failures it is given up instead. Complete(error) puts it back
// at the head after retry_delay.
//
// Owned by the Dispatcher, which serialises every call with its mutex. Not thread-safe.
// Cost: O(1) amortised per operation, O(streams) per delivery, O(keys) for DropPartition.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/dispatch/item.h"
#include "subguard/v1/dispatch.pb.h"

namespace subguard::dispatch {

struct DispatchStateOptions {
  // Items held (queued + in flight) before Offer refuses, for urgent and for routine Items apart: work
  // held back by the chats' message limits never keeps urgent work out.
  size_t max_queued = 10000;
  int max_attempts = 10;                                 // failures (Nack, lost stream, timeout) before give-up
  absl::Duration retry_delay = absl::Milliseconds(200);  // before redelivering after Complete(error)
  absl::Duration delivery_timeout = absl::Seconds(30);   // unanswered this long: delivered elsewhere
};

// An answered Item, to be completed by on_ack (kAck) or on_give_up (kGiveUp), then Complete().
struct Completion {
  enum class Kind { kAck, kGiveUp };
  Kind kind = Kind::kAck;
  std::shared_ptr<const Item> item;
  v1::Ack ack;                                    // kAck: the worker's answer
  v1::Nack nack;                                  // kGiveUp: the last failure
  absl::Duration latency = absl::ZeroDuration();  // kAck: from delivery to ack
};

// A delivery to write on a stream.
struct Outbound {
  uint64_t stream_id = 0;
  v1::IngestMessage message;
};

struct Work {
  std::vector<Outbound> sends;
  std::vector<Completion> completions;
  int redeliveries = 0;  // sends whose attempt is above 1
};

class DispatchState {
 public:
  DispatchState(DispatchStateOptions options, const base::Clock& clock);

  // Queues item behind its key's earlier Items; false (nothing queued) when max_queued Items of its
  // class (urgent or routine) are held.
  bool Offer(Item item);
  // Forgets the Items of partition that are not in flight; those in flight are forgotten when
  // they are answered, whatever the answer. Returns how many were forgotten now.
  size_t DropPartition(int partition);

  // A stream with credits (its Hello's max_in_flight); stream_id is the caller's, unique.
  void AddStream(uint64_t stream_id, uint32_t credits);
  // Puts the stream's unanswered Items back at the head of their keys, each counting a failure.
  void RemoveStream(uint64_t stream_id);
  // The worker's answers. Each returns the delivery's credit. False when delivery_id is not a live
  // delivery of this stream (unknown, or already timed out and delivered elsewhere): then only the
  // credit comes back.
  bool Ack(uint64_t stream_id, v1::Ack ack);
  bool Nack(uint64_t stream_id, const v1::Nack& nack);
  // The result of on_ack / on_give_up for a Completion from TakeWork().
  void Complete(const Completion& completion, const absl::Status& status);

  // Expires deadlines, releases due retries, matches ready keys with stream credits, and hands out
  // the completions gathered since the last call.
  Work TakeWork();
  // When TakeWork() next has timed work; nullopt when none is pending.
  std::optional<absl::Time> NextWakeup() const;

  size_t size() const { return size_; }                 // Items held
  size_t in_flight() const { return in_flight_; }       // delivered or completing
  size_t queued() const { return size_ - in_flight_; }  // waiting for delivery (delayed included)
  int streams() const { return static_cast<int>(streams_.size()); }

 private:
  struct Entry {
    std::shared_ptr<const Item> item;
    uint32_t attempt = 0;  // deliveries so far
    int failures = 0;
    bool dropped = false;  // its partition was dropped while it was in flight
  };
  enum class Head { kIdle, kInFlight, kCompleting };
  struct Key {
    std::deque<Entry> entries;
    Head head = Head::kIdle;
    absl::Time not_before = absl::InfinitePast();  // the head's earliest delivery when idle
    bool ready = false;                            // listed in ready_
  };
  struct Stream {
    uint32_t credits = 0;
    absl::flat_hash_set<uint64_t> deliveries;  // unanswered, live or timed out: each holds a credit
  };
  struct Delivery {
    uint64_t stream_id = 0;
    int64_t key = 0;
    absl::Time sent_at;
    absl::Time deadline;
    bool live = true;  // false once timed out: the late answer only returns the credit
  };

  void MarkReady(int64_t key_id, Key& key);
  void Delay(int64_t key_id, Key& key, absl::Duration delay);
  // The head of key_id stops being in flight because of nack: retried, given up, or forgotten.
  void FailHead(int64_t key_id, const v1::Nack& nack);
  void PopHead(int64_t key_id, Key& key);
  // Ends delivery_id (answered or its stream gone); returns it if it was live.
  std::optional<Delivery> EndDelivery(uint64_t delivery_id);
  // The stream with the most free credit (spreading work over workers), or streams_.end().
  std::map<uint64_t, Stream>::iterator FreestStream();
  void Deliver(uint64_t stream_id, Stream& stream, int64_t key_id, Key& key, absl::Time now, Work& work);

  const DispatchStateOptions options_;
  const base::Clock& clock_;
  absl::flat_hash_map<int64_t, Key> keys_;
  // Idle keys with an Item due now, FIFO: [0] those whose head is urgent, delivered first; [1] the rest.
  std::array<std::deque<int64_t>, 2> ready_;
  std::set<std::pair<absl::Time, int64_t>> delayed_;  // idle keys whose head waits until then
  std::map<uint64_t, Stream> streams_;
  absl::flat_hash_map<uint64_t, Delivery> deliveries_;
  std::set<std::pair<absl::Time, uint64_t>> deadlines_;  // live deliveries by deadline
  std::vector<Completion> completions_;
  size_t size_ = 0;
  size_t routine_ = 0;  // of size_, the Items not urgent
  size_t in_flight_ = 0;
  uint64_t next_delivery_id_ = 1;
};

}  // namespace subguard::dispatch
