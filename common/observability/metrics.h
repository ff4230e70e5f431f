// The process's Prometheus registry. Metric names follow subguard_<area>_<what>_<unit>; labels are
// low-cardinality (never a user or chat id).
#pragma once

#include <memory>
#include <string>

#include "prometheus/registry.h"

namespace subguard::observability {

// The registry every component of a process registers its metrics in; created in main and passed
// down by reference.
using Registry = prometheus::Registry;

// The registry's metrics in the Prometheus text exposition format.
std::string SerializeMetrics(Registry& registry);

}  // namespace subguard::observability
