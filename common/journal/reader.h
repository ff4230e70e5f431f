// JournalReader: reads the update and action streams of the partitions an ingest owns, through the
// streams' consumer group (keys.h), with this instance as the consumer.
//
// ReadNew takes entries no consumer has seen (XREADGROUP ">"), blocking briefly on a connection of
// its own so new work is picked up at once. ClaimPending takes over entries read but never
// acknowledged (XPENDING + XCLAIM): all of them when a partition is acquired (the previous owner's
// unfinished work), or those stranded with other consumers during a periodic sweep. An entry stays
// pending until Journal::Commit*/DeadLetter acknowledges it, so a crash loses nothing. The sweep also
// forgets consumers long idle with nothing pending, so the groups do not grow with every restart.
// Called from the ingest's partition-owner thread only: not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/journal/keys.h"
#include "common/redis/client.h"

namespace subguard::journal {

struct StreamRef {
  StreamKind kind = StreamKind::kUpdates;
  int partition = 0;
};

// One stream entry: a serialized v1::Update (kUpdates) or v1::Action (kActions).
struct Entry {
  StreamKind kind = StreamKind::kUpdates;
  int partition = 0;
  std::string id;            // the stream entry id, e.g. "1700000000000-0"
  int64_t ordering_key = 0;  // the chat (OrderingKeyOf for updates, Action.chat_id for actions)
  std::string payload;
};

struct ClaimOptions {
  bool others_only = false;                        // leave this consumer's own pending entries alone
  absl::Duration min_idle = absl::ZeroDuration();  // only entries unacknowledged at least this long
};

class JournalReader {
 public:
  // consumer: this instance's name (JournalOptions::owner).
  JournalReader(redis::Pool& pool, std::string consumer);

  // Up to count new entries of each stream, in stream order, waiting up to block (keep it well under
  // the pool's command timeout) when there are none. kFailedPrecondition when a stream's consumer
  // group is missing (Redis lost its data): call Journal::EnsureGroups and read again.
  absl::StatusOr<std::vector<Entry>> ReadNew(const std::vector<StreamRef>& streams, int count, absl::Duration block);

  // Moves the stream's pending entries to this consumer and returns them in stream order. Entries
  // deleted meanwhile are dropped from the pending list by Redis and not returned.
  absl::StatusOr<std::vector<Entry>> ClaimPending(StreamRef stream, const ClaimOptions& options);

  // Removes from the stream's consumer group every other consumer idle at least min_idle with nothing
  // pending (an ingest that died or was renamed: instance ids default to hostname-pid, so each restart
  // adds one). The pending check and the removal are one script: a consumer that read something
  // meanwhile is kept, since removing it would drop its pending entries. Returns how many went.
  absl::StatusOr<int> ForgetIdleConsumers(StreamRef stream, absl::Duration min_idle);

 private:
  redis::Pool& pool_;
  const std::string consumer_;
  const redis::Script forget_consumer_;
  std::unique_ptr<redis::Connection> connection_;  // for blocking reads; reopened when broken
};

}  // namespace subguard::journal
