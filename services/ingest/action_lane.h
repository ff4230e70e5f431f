// The lane an action waits in at the ingest's sender Dispatcher. Each chat has two, urgent and routine:
// the action stream it was read from (journal::kActions or kRoutineActions, split by journal::IsUrgent
// when it was journaled), so an item is always committed back to its own stream. A lane is an ordering key
// of its own, so an urgent action never waits behind routine ones the limiter deferred, and
// ready urgent keys are delivered first (dispatch::Item::urgent). Pure.
#pragma once

#include "common/dispatch/item.h"
#include "common/journal/keys.h"
#include "subguard/v1/action.pb.h"

namespace subguard::ingest {

// Sets item.urgent and item.ordering_key for the action item carries, read from stream: the chat id for
// urgent actions; for routine ones the chat id with bit 61 flipped, a key no chat has.
void AssignLane(journal::StreamKind stream, dispatch::Item& item);

}  // namespace subguard::ingest
