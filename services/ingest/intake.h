// Intake: the one way a received update enters the journal, shared by the poller and the webhook
// receiver: parse (telegram::ParseUpdate), append (journal::Journal::AppendUpdate, which drops a
// duplicate update_id), and count what happened. Bodies must pass CheckJsonBody (json_guard.h) first. A malformed
// update is logged and counted here. Thread-safe (the webhook calls it from many connection threads). Cost: one Redis
// round trip.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/journal/journal.h"
#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"

namespace subguard::ingest {

enum class Source { kPoll, kWebhook };

struct Accepted {
  int64_t update_id = 0;
  bool duplicate = false;  // already journaled before: dropped
};

class Intake {
 public:
  Intake(journal::Journal& journal, observability::Registry& registry);

  // OK once the update is journaled (or was already): only then may it be confirmed to Telegram.
  // kInvalidArgument: the JSON is not an update (logged and counted; never retried). Any other error
  // is the journal's (kUnavailable: Redis unreachable): do not confirm, Telegram will send it again.
  absl::StatusOr<Accepted> Accept(std::string_view json, Source source);

 private:
  journal::Journal& journal_;
  prometheus::Counter* received_[2];
  prometheus::Counter* malformed_[2];
  prometheus::Counter& duplicate_;
  prometheus::Counter& append_errors_;
  prometheus::Histogram& append_seconds_;
};

}  // namespace subguard::ingest
