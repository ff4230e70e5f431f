// RpcMetrics: the admin API's Prometheus metrics, by method and gRPC status code (both fixed sets, so
// labels stay low-cardinality). Thread-safe (prometheus-cpp families are).
#pragma once

#include <string_view>

#include "absl/time/time.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"

namespace subguard::admin {

class RpcMetrics {
 public:
  explicit RpcMetrics(observability::Registry& registry);

  // subguard_admin_rpcs_total{method,code} and subguard_admin_rpc_duration_seconds{method,code}.
  void Observe(std::string_view method, std::string_view code, absl::Duration elapsed);

 private:
  prometheus::Family<prometheus::Counter>& rpcs_;
  prometheus::Family<prometheus::Histogram>& seconds_;
};

}  // namespace subguard::admin
