#include "services/ingest/action_lane.h"

namespace subguard::ingest {

void AssignLane(journal::StreamKind stream, dispatch::Item& item) {
  const int64_t chat_id = item.delivery.action().chat_id();
  item.urgent = stream == journal::StreamKind::kActions;
  item.ordering_key = item.urgent ? chat_id : chat_id ^ (int64_t{1} << 61);
}

}  // namespace subguard::ingest
