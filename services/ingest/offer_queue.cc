#include "services/ingest/offer_queue.h"

#include <algorithm>

namespace subguard::ingest {

size_t OfferQueue::Drain(const std::function<bool(const dispatch::Item&)>& offer) {
  size_t accepted = 0;
  while (!items_.empty() && offer(items_.front())) {
    items_.pop_front();
    ++accepted;
  }
  return accepted;
}

void OfferQueue::DropPartition(int partition) {
  std::erase_if(items_, [partition](const dispatch::Item& item) { return item.partition == partition; });
}

}  // namespace subguard::ingest
