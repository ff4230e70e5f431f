#include "services/verifier/testing/verifier_env.h"

namespace subguard::verifier::testing {

double VerifierEnv::Metric(const std::string& name, const std::string& label) {
  double total = 0;
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      bool match = label.empty();
      for (const prometheus::ClientMetric::Label& l : metric.label) {
        if (l.name + "=" + l.value == label) match = true;
      }
      if (match) total += metric.counter.value + metric.gauge.value;
    }
  }
  return total;
}

}  // namespace subguard::verifier::testing
