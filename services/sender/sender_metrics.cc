#include "services/sender/sender_metrics.h"

#include <string>

namespace subguard::sender {
namespace {

// From a fast local sandbox call to the Bot API's slowest answers before a timeout.
const prometheus::Histogram::BucketBoundaries kCallBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,    1,     2.5,  5,     10};

}  // namespace

SenderMetrics::SenderMetrics(observability::Registry& registry)
    : actions_(prometheus::BuildCounter()
                   .Name("subguard_sender_actions_total")
                   .Help("Actions handled, by kind and outcome")
                   .Register(registry)),
      botapi_seconds_(prometheus::BuildHistogram()
                          .Name("subguard_sender_botapi_seconds")
                          .Help("Time of one Bot API call, by method")
                          .Register(registry)),
      too_many_requests_(prometheus::BuildCounter()
                             .Name("subguard_sender_429_total")
                             .Help("Bot API replies of 429 Too Many Requests")
                             .Register(registry)
                             .Add({})),
      permanent_errors_(prometheus::BuildCounter()
                            .Name("subguard_sender_permanent_errors_total")
                            .Help("Actions Telegram refused for good (never retried), by method and reason")
                            .Register(registry)),
      prompt_batch_users_(prometheus::BuildHistogram()
                              .Name("subguard_sender_prompt_batch_users")
                              .Help("Users named by one prompt sent (coalesced prompts name several)")
                              .Register(registry)
                              .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 5, 10, 20, 30, 50})) {}

void SenderMetrics::CountAction(std::string_view kind, std::string_view outcome) {
  actions_.Add({{"kind", std::string(kind)}, {"outcome", std::string(outcome)}}).Increment();
}

void SenderMetrics::ObserveCall(std::string_view method, absl::Duration elapsed) {
  botapi_seconds_.Add({{"method", std::string(method)}}, kCallBuckets).Observe(absl::ToDoubleSeconds(elapsed));
}

void SenderMetrics::ObservePromptBatch(size_t users) { prompt_batch_users_.Observe(static_cast<double>(users)); }

void SenderMetrics::Count429() { too_many_requests_.Increment(); }

void SenderMetrics::CountPermanentError(std::string_view method, std::string_view reason) {
  permanent_errors_.Add({{"method", std::string(method)}, {"reason", std::string(reason)}}).Increment();
}

}  // namespace subguard::sender
