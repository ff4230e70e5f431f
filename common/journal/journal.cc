#include "common/journal/journal.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/journal/action_stream.h"
#include "common/journal/lease.h"

namespace subguard::journal {
namespace {

// KEYS: seen marker, update stream. ARGV: ttl in seconds, update bytes, ordering key, max backlog.
// Returns 1 appended, 0 duplicate, -1 backlog full.
constexpr char kAppendUpdate[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('XLEN', KEYS[2]) >= tonumber(ARGV[4]) then return -1 end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
redis.call('XADD', KEYS[2], '*', 'u', ARGV[2], 'k', ARGV[3])
return 1
)lua";

// KEYS: lease, source stream, action stream. ARGV: lease value, group, entry id, then pairs of
// (action bytes, ordering key). Acking first makes a repeated commit append nothing.
// KEYS: lease, the done entry's stream, the urgent and the routine action streams. ARGV: fence:owner,
// group, entry id, then per action its bytes, its chat and "u" or "r" (which action stream).
constexpr char kCommit[] = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('XACK', KEYS[2], ARGV[2], ARGV[3]) == 0 then return 0 end
for i = 4, #ARGV, 3 do
  redis.call('XADD', ARGV[i + 2] == 'u' and KEYS[3] or KEYS[4], '*', 'a', ARGV[i], 'k', ARGV[i + 1])
end
redis.call('XDEL', KEYS[2], ARGV[3])
return 1
)lua";

// KEYS: lease, source stream, dead-letter stream. ARGV: lease value, group, entry id, reason,
// source kind, dead-letter max length.
constexpr char kDeadLetter[] = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local entries = redis.call('XRANGE', KEYS[2], ARGV[3], ARGV[3])
if redis.call('XACK', KEYS[2], ARGV[2], ARGV[3]) == 0 then return 0 end
local fields = {}
if entries[1] then fields = entries[1][2] end
for _, v in ipairs({'from', ARGV[5], 'source_id', ARGV[3], 'reason', ARGV[4]}) do table.insert(fields, v) end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', unpack(fields))
redis.call('XDEL', KEYS[2], ARGV[3])
return 1
)lua";

// KEYS: poller lease, offset. ARGV: lease value, offset.
constexpr char kSavePollOffset[] = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if tonumber(ARGV[2]) > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], ARGV[2]) end
return 1
)lua";

}  // namespace

Journal::Journal(redis::Pool& pool, JournalOptions options)
    : pool_(pool),
      options_(std::move(options)),
      append_script_(kAppendUpdate),
      commit_script_(kCommit),
      dead_letter_script_(kDeadLetter),
      save_offset_script_(kSavePollOffset) {}

absl::StatusOr<bool> Journal::AppendUpdate(const v1::Update& update) {
  const int64_t key = OrderingKeyOf(update);
  const int partition = PartitionOf(key, options_.partitions);
  std::string bytes;
  if (!update.SerializeToString(&bytes)) return absl::InternalError("journal: update does not serialize");
  auto reply =
      append_script_.Run(pool_, {SeenKey(partition, update.update_id()), StreamKey(StreamKind::kUpdates, partition)},
                         {absl::StrCat(absl::ToInt64Seconds(options_.dedupe_ttl)), std::move(bytes), absl::StrCat(key),
                          absl::StrCat(options_.max_backlog)});
  if (!reply.ok()) return reply.status();
  if (reply->integer < 0) {
    return absl::ResourceExhaustedError(absl::StrCat("journal: partition ", partition, " has ", options_.max_backlog,
                                                     " updates waiting: workers are behind"));
  }
  return reply->integer == 1;
}

absl::Status Journal::EnsureGroups(int partition) {
  for (const StreamKind kind : kStreamKinds) {
    auto reply = pool_.Command({"XGROUP", "CREATE", StreamKey(kind, partition), kConsumerGroup, "0", "MKSTREAM"});
    if (!reply.ok() && !absl::StrContains(reply.status().message(), "BUSYGROUP")) return reply.status();
  }
  return absl::OkStatus();
}

absl::Status Journal::RunFenced(const redis::Script& script, std::string_view what, std::string_view lease,
                                uint64_t fence, std::vector<std::string> keys, std::vector<std::string> args) {
  keys.insert(keys.begin(), LeaseKey(lease));
  args.insert(args.begin(), LeaseValue(fence, options_.owner));
  auto reply = script.Run(pool_, keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->integer < 0) {
    return absl::AbortedError(absl::StrCat("journal: ", base::ToAbsl(what), ": lease ", base::ToAbsl(lease),
                                           " no longer carries fence ", fence));
  }
  return absl::OkStatus();
}

absl::Status Journal::CommitUpdate(int partition, uint64_t fence, std::string_view entry_id,
                                   const google::protobuf::RepeatedPtrField<v1::Action>& actions) {
  std::vector<std::string> args = {kConsumerGroup, std::string(entry_id)};
  args.reserve(2 + 3 * actions.size());
  for (const v1::Action& action : actions) {
    std::string bytes;
    if (!action.SerializeToString(&bytes)) return absl::InternalError("journal: action does not serialize");
    args.push_back(std::move(bytes));
    args.push_back(absl::StrCat(action.chat_id()));
    args.push_back(IsUrgent(action) ? "u" : "r");
  }
  return RunFenced(commit_script_, "commit update", PartitionLeaseName(partition), fence,
                   {StreamKey(StreamKind::kUpdates, partition), StreamKey(StreamKind::kActions, partition),
                    StreamKey(StreamKind::kRoutineActions, partition)},
                   std::move(args));
}

absl::Status Journal::CommitAction(StreamKind kind, int partition, uint64_t fence, std::string_view entry_id) {
  const std::string stream = StreamKey(kind, partition);
  return RunFenced(commit_script_, "commit action", PartitionLeaseName(partition), fence, {stream, stream, stream},
                   {kConsumerGroup, std::string(entry_id)});
}

absl::Status Journal::DeadLetter(StreamKind kind, int partition, uint64_t fence, std::string_view entry_id,
                                 std::string_view reason) {
  return RunFenced(dead_letter_script_, "dead-letter", PartitionLeaseName(partition), fence,
                   {StreamKey(kind, partition), DeadLetterKey(partition)},
                   {kConsumerGroup, std::string(entry_id), std::string(reason), StreamKindName(kind),
                    absl::StrCat(options_.dead_letter_max_len)});
}

absl::StatusOr<int64_t> Journal::LoadPollOffset() {
  auto reply = pool_.Command({"GET", PollOffsetKey()});
  if (!reply.ok()) return reply.status();
  int64_t offset = 0;
  if (!reply->is_nil() && !absl::SimpleAtoi(reply->str, &offset)) {
    return absl::InternalError("journal: stored poll offset is not a number");
  }
  return offset;
}

absl::Status Journal::SavePollOffset(uint64_t fence, int64_t offset) {
  return RunFenced(save_offset_script_, "save poll offset", kPollerLease, fence, {PollOffsetKey()},
                   {absl::StrCat(offset)});
}

}  // namespace subguard::journal
