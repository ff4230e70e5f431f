// OfferQueue: journal entries read for one Dispatcher but not yet accepted by it, in read order.
//
// Dispatcher::Offer refuses work when the dispatcher is full (backpressure); the refused Item and
// everything read after it wait here, and the partition owner reads no more for that dispatcher
// until the queue drains, so one chat's work is offered in journal order and memory stays bounded
// by one read batch per stream. Not thread-safe: owned by the partition-owner thread.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "common/dispatch/item.h"

namespace subguard::ingest {

class OfferQueue {
 public:
  void Push(dispatch::Item item) { items_.push_back(std::move(item)); }
  // Offers the queued Items in order until offer refuses one (it stays at the head). Returns how
  // many were accepted.
  size_t Drain(const std::function<bool(const dispatch::Item&)>& offer);
  // Forgets the Items of a partition whose lease was lost.
  void DropPartition(int partition);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }

 private:
  std::deque<dispatch::Item> items_;
};

}  // namespace subguard::ingest
