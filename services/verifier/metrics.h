// The verifier's Prometheus metrics, registered once in main's registry and shared by reference.
// Labels are fixed sets (decision outcomes, lookup results), never ids. Thread-safe (prometheus-cpp).
#pragma once

#include <string_view>

#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"

namespace subguard::verifier {

class VerifierMetrics {
 public:
  explicit VerifierMetrics(observability::Registry& registry);

  // subguard_verifier_decisions_total{outcome}: one per decision (decide/ names the outcomes).
  void CountDecision(std::string_view outcome);
  // subguard_verifier_membership_lookups_total{result}: "hit", "miss", "bypass" (a fresh check), or
  // "redis_error" (Redis away: straight to Telegram).
  void CountLookup(std::string_view result);
  // subguard_verifier_getchatmember_calls_total.
  void CountGetChatMember() { getchatmember_calls_.Increment(); }
  // subguard_verifier_config_cache_entries.
  void SetConfigCacheEntries(double entries) { config_cache_entries_.Set(entries); }
  // subguard_verifier_answers_total{answer}: "ack", "skip" (acked without acting after an error that
  // retrying cannot fix) or "nack".
  void CountAnswer(std::string_view answer);

 private:
  prometheus::Family<prometheus::Counter>& decisions_;
  prometheus::Family<prometheus::Counter>& lookups_;
  prometheus::Family<prometheus::Counter>& answers_;
  prometheus::Counter& getchatmember_calls_;
  prometheus::Gauge& config_cache_entries_;
};

}  // namespace subguard::verifier
