// SourceCache: whether a group is the source of any monitor, in process memory, so a group's message
// costs no PostgreSQL query when the group is no source (the common case).
//
// A bounded LRU (max_entries) of the last answer per chat, "not a source" included. An answer
// younger than ttl is served as is; an older one is reloaded, and if the reload fails (PostgreSQL
// away) the last answer is served until it is a day old. /monitor add calls Changed, which drops the
// chat here and announces it on the config-change stream (config_changes.h), whose listener in every
// verifier calls Invalidate; ttl bounds staleness when an announcement is lost.
// Used by the Verifier's worker threads (through Monitors) and the listener thread. Thread-safe.
// Cost: a map lookup under a mutex; the loader (one PostgreSQL query) on a miss, outside the mutex.
#pragma once

#include <cstdint>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/bounded_lru.h"
#include "common/base/clock.h"
#include "services/verifier/monitors/registry_metrics.h"

namespace subguard::verifier::monitors {

struct SourceCacheOptions {
  // --monitor_source_cache_max_entries: chats remembered at most (default 10000).
  size_t max_entries = 10000;
  // --monitor_source_cache_ttl: an answer this old is reloaded (default 60s).
  absl::Duration ttl = absl::Seconds(60);
};

class SourceCache {
 public:
  // Whether chat_id is some monitor's source (one query).
  using Loader = std::function<absl::StatusOr<bool>(int64_t chat_id)>;
  // Announces a change of chat_id's monitors to every verifier.
  using Publisher = std::function<void(int64_t chat_id)>;

  SourceCache(SourceCacheOptions options, Loader loader, Publisher publisher, const base::Clock& clock,
              RegistryMetrics& metrics);

  // The loader's error only when nothing usable is cached.
  absl::StatusOr<bool> IsSource(int64_t chat_id);
  // chat_id became (or stopped being) a source here: forget it and tell the other verifiers.
  void Changed(int64_t chat_id);
  void Invalidate(int64_t chat_id);
  void InvalidateAll();

 private:
  struct Entry {
    bool source = false;
    absl::Time loaded;
  };

  const SourceCacheOptions options_;
  const Loader loader_;
  const Publisher publisher_;
  const base::Clock& clock_;
  RegistryMetrics& metrics_;
  absl::Mutex mu_;
  base::BoundedLru<int64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  // Bumped by every invalidation: a load that started before one is returned but not kept.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace subguard::verifier::monitors
