// Item: one unit of work the ingest hands to a worker role (an update for verifiers, an action for
// senders), with where it came from in the journal. Plain value; copied freely.
#pragma once

#include <cstdint>
#include <string>

#include "subguard/v1/dispatch.pb.h"

namespace subguard::dispatch {

struct Item {
  std::string journal_id;    // where the work lives in the journal (a stream entry id)
  int partition = 0;         // the journal partition it was read from
  uint64_t fence = 0;        // the partition lease's fencing token when it was read
  int64_t ordering_key = 0;  // chat id: one Item of a key in flight at a time, in the order offered
  bool urgent = true;        // ready urgent keys are delivered before ready routine ones (by their head)
  v1::Delivery delivery;     // payload set (update or action); delivery_id and attempt are the dispatcher's
};

}  // namespace subguard::dispatch
