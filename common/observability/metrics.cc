#include "common/observability/metrics.h"

#include "prometheus/text_serializer.h"

namespace subguard::observability {

std::string SerializeMetrics(Registry& registry) { return prometheus::TextSerializer().Serialize(registry.Collect()); }

}  // namespace subguard::observability
