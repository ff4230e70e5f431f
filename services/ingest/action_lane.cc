#include "services/ingest/action_lane.h"

#include "common/journal/action_stream.h"

namespace subguard::ingest {

void AssignLane(const v1::Action& action, dispatch::Item& item) {
  item.urgent = journal::IsUrgent(action);
  item.ordering_key = item.urgent ? action.chat_id() : action.chat_id() ^ (int64_t{1} << 61);
}

}  // namespace subguard::ingest
