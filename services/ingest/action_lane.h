// The lane an action waits in at the ingest's sender Dispatcher. Each chat has two, urgent and routine
// (journal::IsUrgent, the same split as the journal's two action streams). A lane is an ordering key
// of its own, so an urgent action never waits behind routine ones the limiter deferred, and
// ready urgent keys are delivered first (dispatch::Item::urgent). Pure.
#pragma once

#include "common/dispatch/item.h"
#include "subguard/v1/action.pb.h"

namespace subguard::ingest {

// Sets item.urgent and item.ordering_key for action: the chat id for urgent actions; for routine ones the
// chat id with bit 61 flipped, a key no chat has.
void AssignLane(const v1::Action& action, dispatch::Item& item);

}  // namespace subguard::ingest
