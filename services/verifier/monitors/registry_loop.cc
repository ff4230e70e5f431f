#include "services/verifier/monitors/registry_loop.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"
#include "common/registry/outcomes.h"
#include "common/registry/stream_fold.h"
#include "common/telegram/errors.h"

namespace subguard::verifier::monitors {

void RegistryLoop::Start() {
  const absl::Duration prune_every = std::min(absl::Hours(1), options_.prune_after);
  loop_.Start(options_.tick, [this, prune_every, next_prune = absl::Now()]() mutable {
    if (absl::Status folded = FoldOutcomes(); !folded.ok()) {
      log::Warn("monitor_outcomes_fold_failed", {{"status", folded}});
    }
    if (absl::Status flushed = RequestFlushes(); !flushed.ok()) {
      log::Warn("monitor_flush_request_failed", {{"status", flushed}});
    }
    if (absl::Status albums = RequestAlbums(); !albums.ok()) {
      log::Warn("monitor_album_request_failed", {{"status", albums}});
    }
    if (absl::Now() >= next_prune) {
      next_prune = absl::Now() + prune_every;
      Prune();
    }
  });
}

absl::Status RegistryLoop::FoldOutcomes() {
  const registry::StreamFoldOptions fold_options{.stream = registry::kMonitorOutcomesStream,
                                                 .group = registry::kMonitorOutcomesGroup,
                                                 .consumer = options_.consumer,
                                                 .claim_idle = options_.claim_idle};
  return registry::FoldStream(redis_, fold_options, [this](const std::string& id, const redis::Reply& fields) {
    const std::optional<registry::MonitorOutcome> outcome = registry::ParseMonitorOutcome(fields);
    if (!outcome.has_value()) {
      log::Warn("monitor_outcome_malformed", {{"entry_id", id}});
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const bool changed, registry_.RecordOutcome(*outcome));
    if (changed) RefreshBotStatus(outcome->action.chat_id());
    return absl::OkStatus();
  });
}

int64_t SyntheticUpdateId(absl::Time now, int64_t salt, int64_t sequence) {
  return -(absl::ToUnixMicros(now) * 1000 + (salt + sequence) % 1000);
}

int64_t RegistryLoop::SyntheticUpdateId() { return monitors::SyntheticUpdateId(absl::Now(), salt_, next_sequence_++); }

absl::Status RegistryLoop::RequestFlushes() {
  ASSIGN_OR_RETURN(std::vector<int64_t> dests, registry_.ClaimFlushes());
  for (const int64_t dest : dests) {
    v1::Update update;
    update.set_update_id(SyntheticUpdateId());
    update.set_chat_id(dest);
    update.mutable_monitor_flush()->set_dest_chat_id(dest);
    // A failed append is retried once the claim is older than the cool-down base.
    RETURN_IF_ERROR(journal_.AppendUpdate(update).status());
    log::Info("monitor_flush_requested", {{"chat_id", dest}, {"update_id", update.update_id()}});
  }
  return absl::OkStatus();
}

absl::Status RegistryLoop::RequestAlbums() {
  ASSIGN_OR_RETURN(const std::vector<AlbumKey> albums,
                   albums_.ClaimQuiet(options_.album_quiet, options_.album_reclaim));
  for (const AlbumKey& album : albums) {
    v1::Update update;
    update.set_update_id(SyntheticUpdateId());
    update.set_chat_id(album.source_chat_id);
    update.mutable_monitor_album()->set_source_chat_id(album.source_chat_id);
    update.mutable_monitor_album()->set_media_group_id(album.media_group_id);
    // A failed append is retried once the claim is older than album_reclaim.
    RETURN_IF_ERROR(journal_.AppendUpdate(update).status());
    log::Info("monitor_album_requested", {{"chat_id", album.source_chat_id}, {"update_id", update.update_id()}});
  }
  return absl::OkStatus();
}

void RegistryLoop::RefreshBotStatus(int64_t chat_id) {
  absl::StatusOr<v1::ChatMember> member = bot_api_.GetChatMember(chat_id, options_.bot_id);
  std::string status;
  if (member.ok()) {
    status = member->status();
  } else if (telegram::BotApiErrorCode(member.status()) == 403) {
    // "Forbidden: bot was kicked from ..." or "... is not a member of ...".
    status = absl::StrContains(member.status().message(), "kicked") ? "kicked" : "left";
  } else if (telegram::BotApiErrorCode(member.status()) == 400) {
    status = "gone (chat not found)";
  } else {
    log::Warn("monitor_bot_status_not_refreshed", {{"chat_id", chat_id}, {"status", member.status()}});
    return;
  }
  if (absl::Status written = registry_.SetBotStatus(chat_id, status); !written.ok()) {
    log::Warn("monitor_bot_status_not_refreshed", {{"chat_id", chat_id}, {"status", written}});
    return;
  }
  log::Info("monitor_bot_status_refreshed", {{"chat_id", chat_id}, {"bot_status", status}});
}

void RegistryLoop::Prune() {
  absl::StatusOr<int64_t> pruned = registry_.Prune(options_.prune_after);
  if (!pruned.ok()) {
    log::Warn("chat_registry_prune_failed", {{"status", pruned.status()}});
  } else if (*pruned > 0) {
    log::Info("chat_registry_pruned", {{"chats", *pruned}});
  }
  absl::StatusOr<int64_t> albums = albums_.Prune();
  if (!albums.ok()) {
    log::Warn("monitor_albums_prune_failed", {{"status", albums.status()}});
  } else if (*albums > 0) {
    log::Info("monitor_albums_pruned", {{"albums", *albums}});
  }
}

}  // namespace subguard::verifier::monitors
