#include "services/ingest/commit.h"

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"
#include "prometheus/counter.h"

namespace subguard::ingest {
namespace {

// The metrics of one kind of work ("update" or "action").
struct CommitMetrics {
  CommitMetrics(const std::string& kind, observability::Registry& registry)
      : kind(kind),
        commits(prometheus::BuildCounter()
                    .Name("subguard_ingest_commits_total")
                    .Help("Journal commits of answered work, by kind and result (ok, fenced, error)")
                    .Register(registry)),
        dead_letters(prometheus::BuildCounter()
                         .Name("subguard_ingest_dead_letters_total")
                         .Help("Work moved to the dead-letter stream after too many failures, by kind")
                         .Register(registry)
                         .Add({{"kind", kind}})) {}
  const std::string kind;
  prometheus::Family<prometheus::Counter>& commits;
  prometheus::Counter& dead_letters;
};

// OK for a stale fence (see commit.h); counts and logs the result.
absl::Status Settle(CommitMetrics& metrics, const dispatch::Item& item, absl::Status status) {
  std::string result = "ok";
  if (status.code() == absl::StatusCode::kAborted) {
    result = "fenced";
    log::Info("commit_fenced_out",
              {{"kind", metrics.kind}, {"partition", item.partition}, {"entry", item.journal_id}, {"error", status}});
    status = absl::OkStatus();
  } else if (!status.ok()) {
    result = "error";
    log::Warn("commit_failed",
              {{"kind", metrics.kind}, {"partition", item.partition}, {"entry", item.journal_id}, {"error", status}});
  }
  metrics.commits.Add({{"kind", metrics.kind}, {"result", result}}).Increment();
  return status;
}

// The stream the item was read from: an action's lane is its stream (AssignLane).
journal::StreamKind StreamOf(const dispatch::Item& item) {
  if (item.delivery.has_update()) return journal::StreamKind::kUpdates;
  return item.urgent ? journal::StreamKind::kActions : journal::StreamKind::kRoutineActions;
}

std::function<absl::Status(const dispatch::Item&, const v1::Nack&)> GiveUp(journal::Journal& journal,
                                                                           std::shared_ptr<CommitMetrics> metrics) {
  return [&journal, metrics](const dispatch::Item& item, const v1::Nack& nack) {
    const std::string reason = absl::StrCat("gave up after repeated failures; last: ", nack.reason());
    absl::Status status = journal.DeadLetter(StreamOf(item), item.partition, item.fence, item.journal_id, reason);
    if (status.ok()) {
      metrics->dead_letters.Increment();
      log::Warn(
          "dead_lettered",
          {{"kind", metrics->kind}, {"partition", item.partition}, {"entry", item.journal_id}, {"reason", reason}});
    }
    return Settle(*metrics, item, std::move(status));
  };
}

}  // namespace

dispatch::DispatcherCallbacks VerifierCallbacks(journal::Journal& journal, observability::Registry& registry) {
  auto metrics = std::make_shared<CommitMetrics>("update", registry);
  return {
      .on_ack =
          [&journal, metrics](const dispatch::Item& item, const v1::Ack& ack) {
            return Settle(*metrics, item,
                          journal.CommitUpdate(item.partition, item.fence, item.journal_id, ack.actions()));
          },
      .on_give_up = GiveUp(journal, metrics),
  };
}

dispatch::DispatcherCallbacks SenderCallbacks(journal::Journal& journal, observability::Registry& registry) {
  auto metrics = std::make_shared<CommitMetrics>("action", registry);
  auto& failed = prometheus::BuildCounter()
                     .Name("subguard_ingest_action_failures_total")
                     .Help("Actions a sender reported as failed for good (the Bot API refused them)")
                     .Register(registry)
                     .Add({});
  return {
      .on_ack =
          [&journal, metrics, &failed](const dispatch::Item& item, const v1::Ack& ack) {
            if (ack.has_outcome() && !ack.outcome().ok()) {
              failed.Increment();
              log::Warn("action_failed", {{"action_id", item.delivery.action().id()},
                                          {"error_code", ack.outcome().error_code()},
                                          {"description", ack.outcome().description()}});
            }
            return Settle(*metrics, item,
                          journal.CommitAction(StreamOf(item), item.partition, item.fence, item.journal_id));
          },
      .on_give_up = GiveUp(journal, metrics),
  };
}

}  // namespace subguard::ingest
