#include "services/verifier/monitors/album_store.h"

#include "absl/strings/escaping.h"
#include "common/base/status_macros.h"

namespace subguard::verifier::monitors {
namespace {

constexpr char kHasPart[] = R"sql(
  SELECT 1 FROM monitor_album_parts WHERE source_chat_id = $1 AND media_group_id = $2 AND message_id = $3)sql";
// Opens the album or marks its last part now; no row when it was claimed already. The row lock
// orders this against ClaimQuiet: a part either makes it into the album or is late.
constexpr char kTouchAlbum[] = R"sql(
  INSERT INTO monitor_albums (source_chat_id, media_group_id) VALUES ($1, $2)
  ON CONFLICT (source_chat_id, media_group_id) DO UPDATE SET last_part_at = now()
  WHERE monitor_albums.claimed_at IS NULL
  RETURNING 1)sql";
constexpr char kAddPart[] = R"sql(
  INSERT INTO monitor_album_parts (source_chat_id, media_group_id, message_id, update_id, post)
  VALUES ($1, $2, $3, $4, decode($5, 'hex'))
  ON CONFLICT DO NOTHING)sql";
constexpr char kClaim[] = R"sql(
  UPDATE monitor_albums SET claimed_at = now()
  WHERE done_at IS NULL
    AND ((claimed_at IS NULL AND last_part_at < now() - make_interval(secs => $1))
         OR claimed_at < now() - make_interval(secs => $2))
  RETURNING source_chat_id, media_group_id)sql";
constexpr char kParts[] = R"sql(
  SELECT update_id, encode(post, 'hex') FROM monitor_album_parts
  WHERE source_chat_id = $1 AND media_group_id = $2 ORDER BY message_id)sql";
constexpr char kDone[] = R"sql(
  UPDATE monitor_albums SET done_at = now() WHERE source_chat_id = $1 AND media_group_id = $2)sql";
constexpr char kPrune[] = R"sql(
  DELETE FROM monitor_albums
  WHERE done_at < now() - interval '1 hour' OR last_part_at < now() - interval '1 day')sql";

}  // namespace

absl::StatusOr<Gathered> AlbumStore::Gather(int64_t update_id, const v1::Message& post) {
  Gathered gathered = Gathered::kGathered;
  const int64_t source = post.chat().id();
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    if (!tx.exec_params(kHasPart, source, post.media_group_id(), post.message_id()).empty()) {
      gathered = Gathered::kAlready;
    } else if (tx.exec_params(kTouchAlbum, source, post.media_group_id()).empty()) {
      gathered = Gathered::kLate;
    } else {
      gathered = Gathered::kGathered;
      tx.exec_params(kAddPart, source, post.media_group_id(), post.message_id(), update_id,
                     absl::BytesToHexString(post.SerializeAsString()));
    }
    return absl::OkStatus();
  }));
  return gathered;
}

absl::StatusOr<std::vector<AlbumKey>> AlbumStore::ClaimQuiet(absl::Duration quiet, absl::Duration reclaim_after) {
  std::vector<AlbumKey> albums;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    albums.clear();
    for (const pqxx::row& row :
         tx.exec_params(kClaim, absl::ToDoubleSeconds(quiet), absl::ToDoubleSeconds(reclaim_after))) {
      albums.push_back({row[0].as<int64_t>(), row[1].as<std::string>()});
    }
    return absl::OkStatus();
  }));
  return albums;
}

absl::StatusOr<std::vector<AlbumPart>> AlbumStore::Parts(const AlbumKey& album) {
  std::vector<AlbumPart> parts;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    parts.clear();
    for (const pqxx::row& row : tx.exec_params(kParts, album.source_chat_id, album.media_group_id)) {
      AlbumPart part{.update_id = row[0].as<int64_t>()};
      if (part.post.ParseFromString(absl::HexStringToBytes(row[1].as<std::string>()))) parts.push_back(std::move(part));
    }
    return absl::OkStatus();
  }));
  return parts;
}

absl::Status AlbumStore::MarkDone(const AlbumKey& album) {
  return pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(kDone, album.source_chat_id, album.media_group_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> AlbumStore::Prune() {
  int64_t pruned = 0;
  RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& tx) {
    pruned = tx.exec(kPrune).affected_rows();
    return absl::OkStatus();
  }));
  return pruned;
}

}  // namespace subguard::verifier::monitors
