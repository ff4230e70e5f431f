#include "services/verifier/metrics.h"

#include <string>

namespace subguard::verifier {

VerifierMetrics::VerifierMetrics(observability::Registry& registry)
    : decisions_(prometheus::BuildCounter()
                     .Name("subguard_verifier_decisions_total")
                     .Help("Decisions taken, by outcome")
                     .Register(registry)),
      lookups_(prometheus::BuildCounter()
                   .Name("subguard_verifier_membership_lookups_total")
                   .Help("Membership lookups, by how they were answered")
                   .Register(registry)),
      answers_(prometheus::BuildCounter()
                   .Name("subguard_verifier_answers_total")
                   .Help("Deliveries answered, by answer")
                   .Register(registry)),
      getchatmember_calls_(prometheus::BuildCounter()
                               .Name("subguard_verifier_getchatmember_calls_total")
                               .Help("getChatMember calls made to the Bot API")
                               .Register(registry)
                               .Add({})),
      config_cache_entries_(prometheus::BuildGauge()
                                .Name("subguard_verifier_config_cache_entries")
                                .Help("Group configurations held in the in-process cache")
                                .Register(registry)
                                .Add({})) {}

void VerifierMetrics::CountDecision(std::string_view outcome) {
  decisions_.Add({{"outcome", std::string(outcome)}}).Increment();
}

void VerifierMetrics::CountLookup(std::string_view result) {
  lookups_.Add({{"result", std::string(result)}}).Increment();
}

void VerifierMetrics::CountAnswer(std::string_view answer) {
  answers_.Add({{"answer", std::string(answer)}}).Increment();
}

}  // namespace subguard::verifier
