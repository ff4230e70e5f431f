// Journal: the durable hand-off between receiving an update and acting on it, in Redis Streams.
//
// Updates are appended to the stream of their partition (chosen by OrderingKeyOf, so one chat's
// updates keep their order), with the update_id's dedupe marker set in the same script. The
// partition's lease holder reads them (JournalReader), and commits each one with the actions it
// called for: the actions are appended to the partition's action stream and the update is
// acknowledged and deleted, atomically and only if the lease still carries the caller's fence.
// Actions are committed (acknowledged and deleted) the same way once executed, and work that keeps
// failing is moved to the partition's dead-letter stream. Key names: keys.h.
//
// Every operation is one Lua script (one round trip), so it happens entirely or not at all. Errors:
// kUnavailable when Redis cannot be reached (retry; nothing was confirmed), kAborted when the lease
// no longer carries the fence (nothing changed; the new owner redelivers), kInternal otherwise.
// Thread-safe; shares the caller's redis::Pool.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/journal/keys.h"
#include "common/redis/client.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "subguard/v1/action.pb.h"
#include "subguard/v1/update.pb.h"

namespace subguard::journal {

struct JournalOptions {
  // This instance's name (--instance_id / SUBGUARD_INSTANCE_ID; default hostname-pid): its lease
  // owner name (as in LeaseOptions) and its consumer name in the streams' consumer group.
  std::string owner;
  // Number of partitions (--partitions / SUBGUARD_PARTITIONS; default 16). Every ingest instance of
  // a deployment must use the same number.
  int partitions = 16;
  // How long an update_id is remembered to drop duplicates (--dedupe_ttl / SUBGUARD_DEDUPE_TTL;
  // default 24h, Telegram's own retention of undelivered updates).
  absl::Duration dedupe_ttl = absl::Hours(24);
  // Updates a partition may hold not yet done (read or not) before AppendUpdate refuses more
  // (--max_partition_backlog / SUBGUARD_MAX_PARTITION_BACKLOG; default 50000): the ingest's
  // intake slows down instead of Redis' memory growing when workers fall behind.
  int64_t max_backlog = 50000;
  // Approximate cap on each partition's dead-letter stream (default 100000 entries).
  int64_t dead_letter_max_len = 100000;
};

class Journal {
 public:
  Journal(redis::Pool& pool, JournalOptions options);

  // Appends update to its partition unless its update_id was appended within dedupe_ttl.
  // true: appended; false: a duplicate, dropped (cluster-wide). Only after OK may the caller confirm
  // the update to Telegram. kResourceExhausted: the partition's backlog is full (max_backlog);
  // nothing was recorded, so the same update is taken later.
  absl::StatusOr<bool> AppendUpdate(const v1::Update& update);
  int PartitionOfUpdate(const v1::Update& update) const {
    return PartitionOf(OrderingKeyOf(update), options_.partitions);
  }

  // Creates the partition's streams and their consumer group when missing (reading from the start,
  // so nothing appended before is skipped). Idempotent; called on acquiring a partition and after
  // Redis lost its data.
  absl::Status EnsureGroups(int partition);

  // Fenced by the partition's lease (fence, this owner). A repeat of a commit already done is OK and
  // appends nothing.
  // The update entry_id is done: append actions to the partition's action streams (each to its lane's,
  // action_stream.h), ack and delete it.
  absl::Status CommitUpdate(int partition, uint64_t fence, std::string_view entry_id,
                            const google::protobuf::RepeatedPtrField<v1::Action>& actions);
  // The action entry_id of the action stream kind was executed (or failed for good): ack and delete it.
  absl::Status CommitAction(StreamKind kind, int partition, uint64_t fence, std::string_view entry_id);
  // Moves the entry to the partition's dead-letter stream with reason, then acks and deletes it.
  absl::Status DeadLetter(StreamKind kind, int partition, uint64_t fence, std::string_view entry_id,
                          std::string_view reason);

  // The getUpdates offset confirmed so far (0 when none), so a standby poller resumes there.
  absl::StatusOr<int64_t> LoadPollOffset();
  // Raises the stored offset to offset (never lowers it); fenced by the poller lease.
  absl::Status SavePollOffset(uint64_t fence, int64_t offset);

  const JournalOptions& options() const { return options_; }

 private:
  // Runs a fenced script: KEYS[1] is the lease, ARGV[1] the value it must hold; the script answers -1
  // when it does not.
  absl::Status RunFenced(const redis::Script& script, std::string_view what, std::string_view lease, uint64_t fence,
                         std::vector<std::string> keys, std::vector<std::string> args);

  redis::Pool& pool_;
  const JournalOptions options_;
  const redis::Script append_script_;
  const redis::Script commit_script_;
  const redis::Script dead_letter_script_;
  const redis::Script save_offset_script_;
};

}  // namespace subguard::journal
