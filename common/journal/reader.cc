#include "common/journal/reader.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace subguard::journal {
namespace {

// XPENDING rows fetched per round trip while claiming.
constexpr int kClaimPage = 100;

// [id, [field, value, ...]] -> Entry. An entry deleted while pending comes back with nil fields.
std::optional<Entry> ParseEntry(const redis::Reply& raw, StreamRef stream) {
  if (raw.elements.size() != 2 || raw.elements[1].type != redis::Reply::Type::kArray) return std::nullopt;
  Entry entry{.kind = stream.kind, .partition = stream.partition, .id = raw.elements[0].str};
  const std::vector<redis::Reply>& fields = raw.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& name = fields[i].str;
    if (name == "u" || name == "a") {
      entry.payload = fields[i + 1].str;
    } else if (name == "k") {
      (void)absl::SimpleAtoi(fields[i + 1].str, &entry.ordering_key);
    }
  }
  return entry;
}

void AppendEntries(const redis::Reply& entries, StreamRef stream, std::vector<Entry>& out) {
  for (const redis::Reply& raw : entries.elements) {
    if (std::optional<Entry> entry = ParseEntry(raw, stream)) out.push_back(std::move(*entry));
  }
}

// KEYS[1] stream; ARGV[1] group, ARGV[2] consumer. Deletes the consumer only while nothing is pending
// with it (XGROUP DELCONSUMER drops a consumer's pending entries, which would lose them).
constexpr char kForgetConsumerScript[] = R"lua(
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
)lua";

absl::Status Classify(const absl::Status& status) {
  if (absl::StrContains(status.message(), "NOGROUP")) {
    return absl::FailedPreconditionError(absl::StrCat("journal: consumer group missing: ", status.message()));
  }
  return status;
}

}  // namespace

absl::StatusOr<std::vector<Entry>> JournalReader::ReadNew(const std::vector<StreamRef>& streams, int count,
                                                          absl::Duration block) {
  std::vector<Entry> entries;
  if (streams.empty()) return entries;
  if (connection_ == nullptr || connection_->broken()) {
    auto opened = pool_.OpenDedicated();
    if (!opened.ok()) return opened.status();
    connection_ = std::move(*opened);
  }
  std::vector<std::string> command = {"XREADGROUP", "GROUP", kConsumerGroup, consumer_, "COUNT", absl::StrCat(count)};
  if (block > absl::ZeroDuration()) {
    command.push_back("BLOCK");
    command.push_back(absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(block))));
  }
  command.push_back("STREAMS");
  absl::flat_hash_map<std::string, StreamRef> by_key;
  for (const StreamRef& stream : streams) {
    std::string key = StreamKey(stream.kind, stream.partition);
    command.push_back(key);
    by_key.emplace(std::move(key), stream);
  }
  command.insert(command.end(), streams.size(), ">");
  auto reply = connection_->Command(command);
  if (!reply.ok()) return Classify(reply.status());
  // nil: nothing arrived within block. Otherwise [[key, [entry, ...]], ...].
  for (const redis::Reply& per_stream : reply->elements) {
    if (per_stream.elements.size() != 2) continue;
    auto it = by_key.find(per_stream.elements[0].str);
    if (it != by_key.end()) AppendEntries(per_stream.elements[1], it->second, entries);
  }
  return entries;
}

JournalReader::JournalReader(redis::Pool& pool, std::string consumer)
    : pool_(pool), consumer_(std::move(consumer)), forget_consumer_(kForgetConsumerScript) {}

absl::StatusOr<std::vector<Entry>> JournalReader::ClaimPending(StreamRef stream, const ClaimOptions& options) {
  const std::string key = StreamKey(stream.kind, stream.partition);
  const std::string min_idle = absl::StrCat(absl::ToInt64Milliseconds(options.min_idle));
  std::vector<Entry> claimed;
  std::string start = "-";
  while (true) {
    // Rows: [id, consumer, idle ms, deliveries].
    auto pending =
        pool_.Command({"XPENDING", key, kConsumerGroup, "IDLE", min_idle, start, "+", absl::StrCat(kClaimPage)});
    if (!pending.ok()) return Classify(pending.status());
    std::vector<std::string> claim = {"XCLAIM", key, kConsumerGroup, consumer_, min_idle};
    const size_t command_size = claim.size();
    for (const redis::Reply& row : pending->elements) {
      if (row.elements.size() < 2) continue;
      if (options.others_only && row.elements[1].str == consumer_) continue;
      claim.push_back(row.elements[0].str);
    }
    if (claim.size() > command_size) {
      auto entries = pool_.Command(claim);
      if (!entries.ok()) return Classify(entries.status());
      AppendEntries(*entries, stream, claimed);
    }
    if (pending->elements.size() < static_cast<size_t>(kClaimPage)) break;
    start = absl::StrCat("(", pending->elements.back().elements[0].str);
  }
  return claimed;
}

absl::StatusOr<int> JournalReader::ForgetIdleConsumers(StreamRef stream, absl::Duration min_idle) {
  const std::string key = StreamKey(stream.kind, stream.partition);
  // Rows: [name, n, pending, n, idle, n, ...] (field-value pairs).
  auto consumers = pool_.Command({"XINFO", "CONSUMERS", key, kConsumerGroup});
  if (!consumers.ok()) return Classify(consumers.status());
  int forgotten = 0;
  for (const redis::Reply& row : consumers->elements) {
    std::string name;
    int64_t idle_ms = 0;
    for (size_t i = 0; i + 1 < row.elements.size(); i += 2) {
      if (row.elements[i].str == "name") name = row.elements[i + 1].str;
      if (row.elements[i].str == "idle") idle_ms = row.elements[i + 1].integer;
    }
    if (name.empty() || name == consumer_ || absl::Milliseconds(idle_ms) < min_idle) continue;
    auto removed = forget_consumer_.Run(pool_, {key}, {kConsumerGroup, name});
    if (!removed.ok()) return Classify(removed.status());
    forgotten += static_cast<int>(removed->integer);
  }
  return forgotten;
}

}  // namespace subguard::journal
