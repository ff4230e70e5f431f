// DeadLetters: reading and resolving the journal's dead-letter streams (sg:dead:{pN}, keys.h), for the
// admin API. Journal::DeadLetter moves work there with its fields plus from ("update"/"action"),
// source_id and reason.
//
// An entry is named "<partition>/<stream entry id>", e.g. "3/1700000000000-0". Replay puts the entry
// back on the stream it came from (a new entry, read by the partition's owner like any other) and
// deletes it from the dead letters in one Lua script, so replaying the same id twice re-appends once.
// Replay skips the update dedupe marker on purpose: the update was appended once already.
// Errors: kUnavailable when Redis is away, kNotFound for an id that is not (or no longer) there,
// kInvalidArgument for a malformed id or page token. Thread-safe; shares the caller's redis::Pool.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/client.h"

namespace subguard::journal {

struct DeadLetterEntry {
  std::string id;    // "<partition>/<entry id>"
  std::string from;  // "update" or "action"
  std::string reason;
  int64_t ordering_key = 0;  // the chat (or user) the work belongs to
  std::string payload;       // the v1::Update (from "update") or v1::Action (from "action") bytes
  int64_t dead_at_unix_ms = 0;
};

struct DeadLetterPage {
  std::vector<DeadLetterEntry> entries;  // by partition, then oldest first
  std::string next_page_token;           // "" on the last page
};

class DeadLetters {
 public:
  // partitions: the deployment's journal partition count (JournalOptions::partitions).
  DeadLetters(redis::Pool& pool, int partitions);

  // Up to limit entries after page_token ("" for the first page).
  absl::StatusOr<DeadLetterPage> List(std::string_view page_token, int limit);
  absl::Status Replay(std::string_view id);
  absl::Status Delete(std::string_view id);

 private:
  redis::Pool& pool_;
  const int partitions_;
  const redis::Script replay_script_;
};

}  // namespace subguard::journal
