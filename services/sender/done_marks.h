// DoneMarks: which actions have been executed, so a redelivered action is acknowledged without
// calling Telegram again. An interface so the executor's unit tests need no Redis.
//
// RedisDoneMarks keeps one key per action, sg:done:{c<chat_id>}:<action_id>, with a TTL (the hash
// tag keeps a chat's keys together for a future Redis Cluster). A mark outlives any redelivery: the
// ingest redelivers within minutes, the mark lasts a day.
// Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/client.h"
#include "subguard/v1/action.pb.h"

namespace subguard::sender {

class DoneMarks {
 public:
  virtual ~DoneMarks() = default;
  // Whether action was marked done; kUnavailable when the store cannot be reached.
  virtual absl::StatusOr<bool> IsDone(const v1::Action& action) = 0;
  virtual absl::Status MarkDone(const v1::Action& action) = 0;
};

class RedisDoneMarks final : public DoneMarks {
 public:
  // ttl: how long a mark lasts (ExecutorOptions::done_ttl).
  RedisDoneMarks(redis::Pool& redis, absl::Duration ttl) : redis_(redis), ttl_(ttl) {}

  absl::StatusOr<bool> IsDone(const v1::Action& action) override;
  absl::Status MarkDone(const v1::Action& action) override;

  // "sg:done:{c-100123}:905427311:0".
  static std::string Key(const v1::Action& action);

 private:
  redis::Pool& redis_;
  const absl::Duration ttl_;
};

}  // namespace subguard::sender
