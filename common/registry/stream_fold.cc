#include "common/registry/stream_fold.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace subguard::registry {
namespace {

absl::Status EnsureGroup(redis::Pool& redis, const StreamFoldOptions& options) {
  auto reply = redis.Command({"XGROUP", "CREATE", options.stream, options.group, "0", "MKSTREAM"});
  if (!reply.ok() && !absl::StrContains(reply.status().message(), "BUSYGROUP")) return reply.status();
  return absl::OkStatus();
}

// Folds the entries of an XREADGROUP/XAUTOCLAIM entry list ([[id, [field, value, ...]], ...]).
absl::Status FoldEntries(redis::Pool& redis, const StreamFoldOptions& options, const redis::Reply& entries,
                         absl::FunctionRef<absl::Status(const std::string&, const redis::Reply&)> fold) {
  for (const redis::Reply& entry : entries.elements) {
    if (entry.elements.size() < 2) continue;  // deleted meanwhile
    const std::string& id = entry.elements[0].str;
    RETURN_IF_ERROR(fold(id, entry.elements[1]));
    RETURN_IF_ERROR(redis.Command({"XACK", options.stream, options.group, id}).status());
    RETURN_IF_ERROR(redis.Command({"XDEL", options.stream, id}).status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FoldStream(redis::Pool& redis, const StreamFoldOptions& options,
                        absl::FunctionRef<absl::Status(const std::string& id, const redis::Reply& fields)> fold) {
  RETURN_IF_ERROR(EnsureGroup(redis, options));
  const std::string batch = absl::StrCat(options.batch);
  // Entries a consumer read and never acknowledged: [next, entries, ...].
  ASSIGN_OR_RETURN(redis::Reply claimed,
                   redis.Command({"XAUTOCLAIM", options.stream, options.group, options.consumer,
                                  absl::StrCat(absl::ToInt64Milliseconds(options.claim_idle)), "0-0", "COUNT", batch}));
  if (claimed.elements.size() >= 2) RETURN_IF_ERROR(FoldEntries(redis, options, claimed.elements[1], fold));
  // New entries: [[stream, entries]], nil when none.
  ASSIGN_OR_RETURN(redis::Reply read, redis.Command({"XREADGROUP", "GROUP", options.group, options.consumer, "COUNT",
                                                     batch, "STREAMS", options.stream, ">"}));
  for (const redis::Reply& stream : read.elements) {
    if (stream.elements.size() >= 2) RETURN_IF_ERROR(FoldEntries(redis, options, stream.elements[1], fold));
  }
  return absl::OkStatus();
}

}  // namespace subguard::registry
