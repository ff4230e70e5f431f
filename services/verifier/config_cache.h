// ConfigCache: protected groups' configurations in process memory, so the hot path rarely waits for
// PostgreSQL.
//
// A bounded LRU (max_entries) of the last configuration loaded per group, "not protected" included.
// An entry younger than ttl is served as is; an older one is reloaded, and if the reload fails (PostgreSQL
// away) the last-known value is served for up to max_stale. A change notification
// (ConfigChangeListener) or the verifier's own write invalidates an entry at once.
// Used by the Verifier's worker threads and the listener thread. Thread-safe. Cost: a map lookup
// under a mutex; the loader (one PostgreSQL transaction) on a miss, outside the mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/bounded_lru.h"
#include "common/base/clock.h"
#include "services/verifier/decide/types.h"

namespace subguard::verifier {

struct ConfigCacheOptions {
  // --config_cache_max_entries / SUBGUARD_CONFIG_CACHE_MAX_ENTRIES; default 10000.
  size_t max_entries = 10000;
  // --config_cache_ttl / SUBGUARD_CONFIG_CACHE_TTL: reload an entry this old; default 30s.
  absl::Duration ttl = absl::Seconds(30);
  // --config_cache_max_stale / SUBGUARD_CONFIG_CACHE_MAX_STALE: serve a last-known entry this long
  // while PostgreSQL is away; default 24h.
  absl::Duration max_stale = absl::Hours(24);
};

class ConfigCache {
 public:
  // nullopt: the group is not protected.
  using Loader = std::function<absl::StatusOr<std::optional<decide::GroupConfig>>(int64_t chat_id)>;
  // Null when the group is not protected.
  using ConfigPtr = std::shared_ptr<const decide::GroupConfig>;

  ConfigCache(ConfigCacheOptions options, Loader loader, const base::Clock& clock);

  // The group's configuration, or null when it is not protected. The loader's error only when
  // nothing usable is cached.
  absl::StatusOr<ConfigPtr> Get(int64_t chat_id);
  void Invalidate(int64_t chat_id);
  void InvalidateAll();
  size_t size();

 private:
  struct Entry {
    ConfigPtr config;
    absl::Time loaded;
  };

  const ConfigCacheOptions options_;
  const Loader loader_;
  const base::Clock& clock_;
  absl::Mutex mu_;
  base::BoundedLru<int64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  // Bumped by every invalidation: a load that started before one is returned but not kept, since it
  // may have read what the invalidation replaced.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace subguard::verifier
