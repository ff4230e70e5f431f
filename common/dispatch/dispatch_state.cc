#include "common/dispatch/dispatch_state.h"

#include <algorithm>
#include <utility>

namespace subguard::dispatch {
namespace {

v1::Nack Failure(const char* reason) {
  v1::Nack nack;
  nack.set_reason(reason);
  return nack;
}

}  // namespace

DispatchState::DispatchState(DispatchStateOptions options, const base::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

bool DispatchState::Offer(Item item) {
  if ((item.urgent ? size_ - routine_ : routine_) >= options_.max_queued) return false;
  const int64_t key_id = item.ordering_key;
  if (!item.urgent) ++routine_;
  Key& key = keys_[key_id];
  key.entries.push_back(Entry{.item = std::make_shared<const Item>(std::move(item))});
  ++size_;
  // A key without Items does not exist, so a first Item is an idle head with no delay.
  if (key.entries.size() == 1) MarkReady(key_id, key);
  return true;
}

size_t DispatchState::DropPartition(int partition) {
  size_t dropped = 0;
  const auto in_partition = [partition](const Entry& entry) { return entry.item->partition == partition; };
  for (auto it = keys_.begin(); it != keys_.end();) {
    const int64_t key_id = it->first;
    Key& key = it->second;
    const bool busy = key.head != Head::kIdle;
    if (busy && in_partition(key.entries.front())) key.entries.front().dropped = true;
    const std::shared_ptr<const Item> old_head = key.entries.front().item;
    const auto first_droppable = key.entries.begin() + (busy ? 1 : 0);
    routine_ -= std::count_if(first_droppable, key.entries.end(),
                              [&](const Entry& entry) { return in_partition(entry) && !entry.item->urgent; });
    const auto kept_end = std::remove_if(first_droppable, key.entries.end(), in_partition);
    const size_t removed = key.entries.end() - kept_end;
    key.entries.erase(kept_end, key.entries.end());
    dropped += removed;
    size_ -= removed;
    if (busy || (!key.entries.empty() && key.entries.front().item == old_head)) {
      ++it;
      continue;
    }
    // The idle head went: its retry delay goes with it.
    delayed_.erase({key.not_before, key_id});
    key.not_before = absl::InfinitePast();
    if (key.entries.empty()) {
      keys_.erase(it++);
    } else {
      MarkReady(key_id, key);
      ++it;
    }
  }
  for (std::deque<int64_t>& ready : ready_) {
    std::erase_if(ready, [this](int64_t key_id) { return !keys_.contains(key_id); });
  }
  return dropped;
}

void DispatchState::AddStream(uint64_t stream_id, uint32_t credits) { streams_[stream_id].credits = credits; }

void DispatchState::RemoveStream(uint64_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  const absl::flat_hash_set<uint64_t> unanswered = std::move(it->second.deliveries);
  streams_.erase(it);
  const v1::Nack lost = Failure("stream closed");
  for (uint64_t delivery_id : unanswered) {
    if (std::optional<Delivery> delivery = EndDelivery(delivery_id)) FailHead(delivery->key, lost);
  }
}

bool DispatchState::Ack(uint64_t stream_id, v1::Ack ack) {
  auto it = deliveries_.find(ack.delivery_id());
  if (it == deliveries_.end() || it->second.stream_id != stream_id) return false;
  const std::optional<Delivery> delivery = EndDelivery(ack.delivery_id());
  if (!delivery) return false;
  Key& key = keys_.at(delivery->key);
  key.head = Head::kCompleting;
  completions_.push_back(Completion{.kind = Completion::Kind::kAck,
                                    .item = key.entries.front().item,
                                    .ack = std::move(ack),
                                    .latency = clock_.Now() - delivery->sent_at});
  return true;
}

bool DispatchState::Nack(uint64_t stream_id, const v1::Nack& nack) {
  auto it = deliveries_.find(nack.delivery_id());
  if (it == deliveries_.end() || it->second.stream_id != stream_id) return false;
  const std::optional<Delivery> delivery = EndDelivery(nack.delivery_id());
  if (!delivery) return false;
  FailHead(delivery->key, nack);
  return true;
}

void DispatchState::Complete(const Completion& completion, const absl::Status& status) {
  const int64_t key_id = completion.item->ordering_key;
  auto it = keys_.find(key_id);
  if (it == keys_.end() || it->second.head != Head::kCompleting || it->second.entries.front().item != completion.item) {
    return;  // not this Completion's: completed already
  }
  Key& key = it->second;
  --in_flight_;
  if (status.ok() || key.entries.front().dropped) {
    PopHead(key_id, key);
    return;
  }
  key.head = Head::kIdle;
  Delay(key_id, key, options_.retry_delay);
}

Work DispatchState::TakeWork() {
  Work work;
  const absl::Time now = clock_.Now();
  const v1::Nack timed_out = Failure("delivery timed out");
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    const uint64_t delivery_id = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    Delivery& delivery = deliveries_.at(delivery_id);
    // The worker may still answer: the delivery keeps its credit until then, or until its stream ends.
    delivery.live = false;
    FailHead(delivery.key, timed_out);
  }
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    const int64_t key_id = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    MarkReady(key_id, keys_.at(key_id));
  }
  while (!ready_[0].empty() || !ready_[1].empty()) {
    auto stream = FreestStream();
    if (stream == streams_.end()) break;
    std::deque<int64_t>& ready = ready_[0].empty() ? ready_[1] : ready_[0];
    const int64_t key_id = ready.front();
    ready.pop_front();
    Key& key = keys_.at(key_id);
    key.ready = false;
    Deliver(stream->first, stream->second, key_id, key, now, work);
  }
  work.completions = std::move(completions_);
  completions_.clear();
  return work;
}

std::optional<absl::Time> DispatchState::NextWakeup() const {
  std::optional<absl::Time> next;
  if (!delayed_.empty()) next = delayed_.begin()->first;
  if (!deadlines_.empty()) next = std::min(next.value_or(absl::InfiniteFuture()), deadlines_.begin()->first);
  return next;
}

void DispatchState::MarkReady(int64_t key_id, Key& key) {
  if (key.ready) return;
  key.ready = true;
  const bool urgent = key.entries.empty() || key.entries.front().item->urgent;
  ready_[urgent ? 0 : 1].push_back(key_id);
}

void DispatchState::Delay(int64_t key_id, Key& key, absl::Duration delay) {
  if (delay <= absl::ZeroDuration()) {
    key.not_before = absl::InfinitePast();
    MarkReady(key_id, key);
    return;
  }
  key.not_before = clock_.Now() + delay;
  delayed_.emplace(key.not_before, key_id);
}

void DispatchState::FailHead(int64_t key_id, const v1::Nack& nack) {
  Key& key = keys_.at(key_id);
  Entry& head = key.entries.front();
  if (head.dropped) {
    --in_flight_;
    PopHead(key_id, key);
    return;
  }
  if (!nack.deferred() && ++head.failures >= options_.max_attempts) {
    key.head = Head::kCompleting;
    completions_.push_back(Completion{.kind = Completion::Kind::kGiveUp, .item = head.item, .nack = nack});
    return;
  }
  --in_flight_;
  key.head = Head::kIdle;
  Delay(key_id, key, absl::Milliseconds(nack.retry_after_ms()));
}

void DispatchState::PopHead(int64_t key_id, Key& key) {
  if (!key.entries.front().item->urgent) --routine_;
  key.entries.pop_front();
  --size_;
  key.head = Head::kIdle;
  key.not_before = absl::InfinitePast();
  if (key.entries.empty()) {
    keys_.erase(key_id);
  } else {
    MarkReady(key_id, key);
  }
}

std::optional<DispatchState::Delivery> DispatchState::EndDelivery(uint64_t delivery_id) {
  auto it = deliveries_.find(delivery_id);
  const Delivery delivery = it->second;
  deliveries_.erase(it);
  if (auto stream = streams_.find(delivery.stream_id); stream != streams_.end()) {
    stream->second.deliveries.erase(delivery_id);
  }
  if (!delivery.live) return std::nullopt;
  deadlines_.erase({delivery.deadline, delivery_id});
  return delivery;
}

std::map<uint64_t, DispatchState::Stream>::iterator DispatchState::FreestStream() {
  auto freest = streams_.end();
  size_t most_free = 0;
  for (auto it = streams_.begin(); it != streams_.end(); ++it) {
    const size_t used = it->second.deliveries.size();
    const size_t free = it->second.credits > used ? it->second.credits - used : 0;
    if (free > most_free) {
      most_free = free;
      freest = it;
    }
  }
  return freest;
}

void DispatchState::Deliver(uint64_t stream_id, Stream& stream, int64_t key_id, Key& key, absl::Time now, Work& work) {
  Entry& head = key.entries.front();
  ++head.attempt;
  const uint64_t delivery_id = next_delivery_id_++;
  key.head = Head::kInFlight;
  ++in_flight_;
  stream.deliveries.insert(delivery_id);
  const absl::Time deadline = now + options_.delivery_timeout;
  deliveries_[delivery_id] = Delivery{.stream_id = stream_id, .key = key_id, .sent_at = now, .deadline = deadline};
  deadlines_.emplace(deadline, delivery_id);

  Outbound& out = work.sends.emplace_back();
  out.stream_id = stream_id;
  v1::Delivery& delivery = *out.message.mutable_delivery();
  delivery = head.item->delivery;
  delivery.set_delivery_id(delivery_id);
  delivery.set_attempt(head.attempt);
  if (head.attempt > 1) ++work.redeliveries;
}

}  // namespace subguard::dispatch
