#include "services/ingest/intake.h"

#include "absl/time/clock.h"
#include "common/observability/log.h"
#include "common/telegram/update_parser.h"
#include "services/ingest/json_guard.h"

namespace subguard::ingest {
namespace {

const char* SourceName(Source source) { return source == Source::kPoll ? "poll" : "webhook"; }

}  // namespace

Intake::Intake(journal::Journal& journal, observability::Registry& registry)
    : journal_(journal),
      duplicate_(prometheus::BuildCounter()
                     .Name("subguard_ingest_updates_duplicate_total")
                     .Help("Updates dropped because their update_id was already journaled")
                     .Register(registry)
                     .Add({})),
      append_errors_(prometheus::BuildCounter()
                         .Name("subguard_ingest_journal_append_errors_total")
                         .Help("Updates not confirmed to Telegram because the journal append failed")
                         .Register(registry)
                         .Add({})),
      append_seconds_(prometheus::BuildHistogram()
                          .Name("subguard_ingest_journal_append_seconds")
                          .Help("Time to append one update to the journal")
                          .Register(registry)
                          .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.002, 0.005, 0.01, 0.025,
                                                                           0.05, 0.1, 0.25, 1})) {
  auto& received = prometheus::BuildCounter()
                       .Name("subguard_ingest_updates_received_total")
                       .Help("Updates received from Telegram, by source")
                       .Register(registry);
  auto& malformed = prometheus::BuildCounter()
                        .Name("subguard_ingest_updates_malformed_total")
                        .Help("Received updates that are not a Telegram update (skipped), by source")
                        .Register(registry);
  for (const Source source : {Source::kPoll, Source::kWebhook}) {
    received_[static_cast<int>(source)] = &received.Add({{"source", SourceName(source)}});
    malformed_[static_cast<int>(source)] = &malformed.Add({{"source", SourceName(source)}});
  }
}

absl::StatusOr<Accepted> Intake::Accept(std::string_view json, Source source) {
  received_[static_cast<int>(source)]->Increment();
  const absl::Status body = CheckJsonBody(json);
  absl::StatusOr<v1::Update> update = body.ok() ? telegram::ParseUpdate(json) : absl::StatusOr<v1::Update>(body);
  if (!update.ok()) {
    malformed_[static_cast<int>(source)]->Increment();
    log::Warn(
        "update_malformed",
        {{"source", SourceName(source)}, {"error", update.status()}, {"bytes", static_cast<int64_t>(json.size())}});
    return absl::InvalidArgumentError(update.status().message());
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<bool> appended = journal_.AppendUpdate(*update);
  append_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  if (!appended.ok()) {
    append_errors_.Increment();
    return appended.status();
  }
  if (!*appended) duplicate_.Increment();
  log::Debug("update_journaled",
             {{"source", SourceName(source)}, {"update_id", update->update_id()}, {"duplicate", !*appended}});
  return Accepted{.update_id = update->update_id(), .duplicate = !*appended};
}

}  // namespace subguard::ingest
