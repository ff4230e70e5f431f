#include "services/verifier/monitors/registry_loop.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "common/registry/outcomes.h"

namespace subguard::verifier::monitors {
namespace {

constexpr char kBatch[] = "200";

}  // namespace

void RegistryLoop::Start() {
  thread_ = std::thread([this] {
    const absl::Duration prune_every = std::min(absl::Hours(1), options_.prune_after);
    absl::Time next_prune = absl::Now();
    do {
      if (absl::Status folded = FoldOutcomes(); !folded.ok()) {
        log::Warn("monitor_outcomes_fold_failed", {{"status", folded}});
      }
      if (absl::Status flushed = RequestFlushes(); !flushed.ok()) {
        log::Warn("monitor_flush_request_failed", {{"status", flushed}});
      }
      if (absl::Now() >= next_prune) {
        next_prune = absl::Now() + prune_every;
        absl::StatusOr<int64_t> pruned = registry_.Prune(options_.prune_after);
        if (!pruned.ok()) {
          log::Warn("chat_registry_prune_failed", {{"status", pruned.status()}});
        } else if (*pruned > 0) {
          log::Info("chat_registry_pruned", {{"chats", *pruned}});
        }
      }
    } while (!stop_.WaitForNotificationWithTimeout(options_.tick));
  });
}

void RegistryLoop::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

absl::Status RegistryLoop::EnsureGroup() {
  auto reply = redis_.Command(
      {"XGROUP", "CREATE", registry::kMonitorOutcomesStream, registry::kMonitorOutcomesGroup, "0", "MKSTREAM"});
  if (!reply.ok() && !absl::StrContains(reply.status().message(), "BUSYGROUP")) return reply.status();
  return absl::OkStatus();
}

absl::Status RegistryLoop::FoldOutcomes() {
  RETURN_IF_ERROR(EnsureGroup());
  // Entries a verifier read and never acknowledged (it died, or PostgreSQL was away): [next, entries, ...].
  ASSIGN_OR_RETURN(redis::Reply claimed,
                   redis_.Command({"XAUTOCLAIM", registry::kMonitorOutcomesStream, registry::kMonitorOutcomesGroup,
                                   options_.consumer, absl::StrCat(absl::ToInt64Milliseconds(options_.claim_idle)),
                                   "0-0", "COUNT", kBatch}));
  if (claimed.elements.size() >= 2) RETURN_IF_ERROR(Fold(claimed.elements[1]));
  // New entries: [[stream, entries]], nil when none.
  ASSIGN_OR_RETURN(redis::Reply read,
                   redis_.Command({"XREADGROUP", "GROUP", registry::kMonitorOutcomesGroup, options_.consumer, "COUNT",
                                   kBatch, "STREAMS", registry::kMonitorOutcomesStream, ">"}));
  for (const redis::Reply& stream : read.elements) {
    if (stream.elements.size() >= 2) RETURN_IF_ERROR(Fold(stream.elements[1]));
  }
  return absl::OkStatus();
}

absl::Status RegistryLoop::Fold(const redis::Reply& entries) {
  for (const redis::Reply& entry : entries.elements) {
    if (entry.elements.size() < 2) continue;  // deleted meanwhile
    const std::string& id = entry.elements[0].str;
    const std::optional<registry::MonitorOutcome> outcome = registry::ParseMonitorOutcome(entry.elements[1]);
    if (outcome.has_value()) {
      RETURN_IF_ERROR(registry_.RecordOutcome(*outcome));
    } else {
      log::Warn("monitor_outcome_malformed", {{"entry_id", id}});
    }
    RETURN_IF_ERROR(
        redis_.Command({"XACK", registry::kMonitorOutcomesStream, registry::kMonitorOutcomesGroup, id}).status());
    RETURN_IF_ERROR(redis_.Command({"XDEL", registry::kMonitorOutcomesStream, id}).status());
  }
  return absl::OkStatus();
}

absl::Status RegistryLoop::RequestFlushes() {
  ASSIGN_OR_RETURN(std::vector<int64_t> dests, registry_.ClaimFlushes());
  const int64_t now_us = absl::ToUnixMicros(absl::Now());
  for (size_t i = 0; i < dests.size(); ++i) {
    const int64_t dest = dests[i];
    v1::Update update;
    // Never a Telegram update id (those are positive); unique per request (the journal drops repeats).
    update.set_update_id(-(now_us * 1000 + static_cast<int64_t>(i % 1000)));
    update.set_chat_id(dest);
    update.mutable_monitor_flush()->set_dest_chat_id(dest);
    // A failed append is retried once the claim is older than the cool-down base.
    RETURN_IF_ERROR(journal_.AppendUpdate(update).status());
    log::Info("monitor_flush_requested", {{"chat_id", dest}, {"update_id", update.update_id()}});
  }
  return absl::OkStatus();
}

}  // namespace subguard::verifier::monitors
