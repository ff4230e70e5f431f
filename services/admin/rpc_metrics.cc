#include "services/admin/rpc_metrics.h"

#include <string>

namespace subguard::admin {
namespace {

// From a cached read to a slow PostgreSQL write or a Bot API lookup.
const prometheus::Histogram::BucketBoundaries kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                          0.1,   0.25,   0.5,   1,    2.5,   5};

}  // namespace

RpcMetrics::RpcMetrics(observability::Registry& registry)
    : rpcs_(prometheus::BuildCounter()
                .Name("subguard_admin_rpcs_total")
                .Help("Admin API calls, by method and gRPC status code")
                .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("subguard_admin_rpc_duration_seconds")
                   .Help("Time of one admin API call, by method and gRPC status code")
                   .Register(registry)) {}

void RpcMetrics::Observe(std::string_view method, std::string_view code, absl::Duration elapsed) {
  const std::map<std::string, std::string> labels = {{"method", std::string(method)}, {"code", std::string(code)}};
  rpcs_.Add(labels).Increment();
  seconds_.Add(labels, kBuckets).Observe(absl::ToDoubleSeconds(elapsed));
}

}  // namespace subguard::admin
