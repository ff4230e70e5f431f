// AlbumStore: a monitored source's albums gathered part by part in PostgreSQL (monitor_albums and
// monitor_album_parts, migrations/0009_monitor_albums.sql; decisions/0012-monitor-albums.md).
//
// Telegram sends an album as one update per part sharing a media_group_id, back to back. Monitors
// gathers each part (Gather); once no part has come for the quiet period, one verifier's RegistryLoop
// claims the album (ClaimQuiet, atomic across verifiers) and appends a MonitorAlbum update; the
// verifier that takes it reads the parts (Parts) and answers one forwardMessages/copyMessages per
// destination. A part that comes after the claim is sent on its own. Parts stay until pruned, so a
// redelivered album update yields the same actions (deduplicated by their ids).
//
// Called by Monitors on the dispatch Worker's threads and by the RegistryLoop. Thread-safe: every
// method is one transaction on the pool. Errors are the pool's (kUnavailable while PostgreSQL is
// away: retry later).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/pg/pool.h"
#include "services/verifier/monitors/posts.h"
#include "subguard/v1/update.pb.h"

namespace subguard::verifier::monitors {

struct AlbumKey {
  int64_t source_chat_id = 0;
  std::string media_group_id;
};

// What Gather did with a part.
enum class Gathered {
  kGathered,  // stored in its open album: the album's update sends it
  kAlready,   // stored before (a redelivery): nothing to do
  kLate,      // its album was claimed already: send it on its own
};

class AlbumStore {
 public:
  explicit AlbumStore(pg::Pool& pool) : pool_(pool) {}

  // Adds the post (a part: media_group_id set) that came in update_id to its album, opening it.
  absl::StatusOr<Gathered> Gather(int64_t update_id, const v1::Message& post);
  // Claims the albums with no new part for quiet, and those claimed more than reclaim_after ago and
  // still not answered (their update was lost); each once across verifiers.
  absl::StatusOr<std::vector<AlbumKey>> ClaimQuiet(absl::Duration quiet, absl::Duration reclaim_after);
  // The album's parts by message id.
  absl::StatusOr<std::vector<AlbumPart>> Parts(const AlbumKey& album);
  // The album's update was answered.
  absl::Status MarkDone(const AlbumKey& album);
  // Deletes albums answered more than an hour ago, or opened more than a day ago; returns how many.
  absl::StatusOr<int64_t> Prune();

 private:
  pg::Pool& pool_;
};

}  // namespace subguard::verifier::monitors
