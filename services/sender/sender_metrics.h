// SenderMetrics: the sender's Prometheus metrics. Labels are low-cardinality: action kinds, outcomes
// and Bot API method names, never a chat or user id. Thread-safe (prometheus-cpp families are).
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/time/time.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"

namespace subguard::sender {

class SenderMetrics {
 public:
  explicit SenderMetrics(observability::Registry& registry);

  // subguard_sender_actions_total{kind,outcome}; outcome is one of ok, already_done, failed (a
  // permanent error, acknowledged), retry (nacked after an error), deferred (nacked by the limiter),
  // coalesced (a prompt whose user another prompt named), unmodified and edit_target_gone (an edit
  // refused but done: action_call.h EditDoneAnyway).
  void CountAction(std::string_view kind, std::string_view outcome);
  // subguard_sender_botapi_seconds{method}: the time of one Bot API call, errors included.
  void ObserveCall(std::string_view method, absl::Duration elapsed);
  // subguard_sender_429_total: replies of 429 Too Many Requests.
  void Count429();
  // subguard_sender_permanent_errors_total{method,reason}: actions acknowledged as failed, by Bot API
  // method ("none" when the action never became a call) and PermanentErrorReason.
  void CountPermanentError(std::string_view method, std::string_view reason);
  // subguard_sender_prompt_batch_users: how many users each prompt sent names (1 without a backlog).
  void ObservePromptBatch(size_t users);

 private:
  prometheus::Family<prometheus::Counter>& actions_;
  prometheus::Family<prometheus::Histogram>& botapi_seconds_;
  prometheus::Counter& too_many_requests_;
  prometheus::Family<prometheus::Counter>& permanent_errors_;
  prometheus::Histogram& prompt_batch_users_;
};

}  // namespace subguard::sender
