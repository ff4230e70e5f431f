// The journal's Redis key names and partitioning: the one place that spells them.
//
// Every key carries the hash tag of what it belongs to, so a Redis Cluster could spread partitions
// later: "{p3}" for partition 3, "{poller}" for the long-polling election. Per partition:
//   sg:upd:{p3}              stream of updates    (fields: u = v1::Update bytes, k = ordering key)
//   sg:act:{p3}              stream of actions    (fields: a = v1::Action bytes, k = ordering key)
//   sg:dead:{p3}             dead letters of both (the entry's fields plus from, source_id, reason)
//   sg:seen:{p3}:<update_id> dedupe marker, with a TTL
//   sg:lease:{p3}            "<fence>:<owner>" with a TTL; sg:fence:{p3} the fence counter
// and globally sg:lease:{poller}, sg:fence:{poller}, sg:poll_offset:{poller}, and per lease set
// ("partitions", "poller") sg:members:{partitions}: the live instances, scored by expiry (ms).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "subguard/v1/update.pb.h"

namespace subguard::journal {

// A partition's streams: updates, and the actions decided from them in two lanes (action_stream.h):
// urgent actions (restrictions, callback answers) and routine ones (prompts, deletions, forwards), so a
// backlog of routine work held back by the chats' message limits never stands in front of urgent work.
enum class StreamKind { kUpdates, kActions, kRoutineActions };
inline constexpr StreamKind kStreamKinds[] = {StreamKind::kUpdates, StreamKind::kActions, StreamKind::kRoutineActions};

// "update", "action" or "routine_action": metric labels, log fields, a dead letter's "from".
const char* StreamKindName(StreamKind kind);

// The consumer group every ingest instance reads the update and action streams with.
inline constexpr char kConsumerGroup[] = "ingest";
// The lease name of the long-polling election.
inline constexpr char kPollerLease[] = "poller";

// What orders an update against others: its chat; without one (inline queries, some callbacks) the
// user it comes from; failing that its own update_id.
int64_t OrderingKeyOf(const v1::Update& update);

// The partition of an ordering key in [0, partitions): a fixed hash, the same in every process and
// every build (never std::hash), so all ingest instances agree.
int PartitionOf(int64_t ordering_key, int partitions);

// "p3": the lease name of partition 3.
std::string PartitionLeaseName(int partition);
// 3 for "p3"; -1 for any other name.
int PartitionOfLeaseName(std::string_view name);

std::string StreamKey(StreamKind kind, int partition);
std::string DeadLetterKey(int partition);
std::string SeenKey(int partition, int64_t update_id);
// Keys of the lease called name ("p3", "poller") and of its fence counter.
std::string LeaseKey(std::string_view name);
std::string FenceKey(std::string_view name);
std::string PollOffsetKey();
// The live members of a lease set (Leases::Heartbeat), e.g. "partitions".
std::string MembersKey(std::string_view set);

}  // namespace subguard::journal
