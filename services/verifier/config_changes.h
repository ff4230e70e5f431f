// Change notifications for group configurations, across verifier instances (and the admin API).
//
// A writer appends {chat: <id>} to the Redis stream sg:config_changed (capped near 1000 entries);
// each verifier's ConfigChangeListener reads the stream with XREAD BLOCK and invalidates that group in
// its ConfigCache. A stream rather than PUBLISH/SUBSCRIBE: a listener that was disconnected resumes
// from the last entry it saw instead of missing what was published meanwhile, and it needs nothing
// beyond plain commands on a dedicated connection. After any reconnect the listener clears its whole
// cache anyway (Redis may have restarted empty). The cache's TTL bounds staleness if Redis is away.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/redis/client.h"
#include "services/verifier/config_cache.h"

namespace subguard::verifier {

inline constexpr char kConfigChangedStream[] = "sg:config_changed";

// Announces that chat_id's configuration changed. Thread-safe.
absl::Status PublishConfigChange(redis::Pool& redis, int64_t chat_id);

// Owns one thread and one Redis connection. Start and Stop are called once each, from main.
class ConfigChangeListener {
 public:
  // Invalidates another cache along with the ConfigCache: a chat, or every chat (nullopt).
  using AlsoInvalidate = std::function<void(std::optional<int64_t> chat_id)>;

  // block: how long one XREAD waits; below RedisOptions::command_timeout. Stop takes up to this long.
  // also: called with every invalidation of cache (may be null).
  ConfigChangeListener(redis::RedisOptions redis_options, ConfigCache& cache, absl::Duration block = absl::Seconds(2),
                       AlsoInvalidate also = nullptr);
  ~ConfigChangeListener();

  void Start();
  void Stop();

 private:
  void Run();
  // Reads until the connection fails (its error) or Stop is called (OK).
  absl::Status Listen(redis::Connection& connection);

  const redis::RedisOptions redis_options_;
  ConfigCache& cache_;
  const AlsoInvalidate also_;
  const absl::Duration block_;
  std::string last_id_;  // the last entry seen; only the listener thread touches it
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace subguard::verifier
