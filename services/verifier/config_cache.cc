#include "services/verifier/config_cache.h"

#include <utility>

#include "common/observability/log.h"

namespace subguard::verifier {

ConfigCache::ConfigCache(ConfigCacheOptions options, Loader loader, const base::Clock& clock)
    : options_(options),
      loader_(std::move(loader)),
      clock_(clock),
      entries_(options.max_entries, options.max_stale, clock) {}

absl::StatusOr<ConfigCache::ConfigPtr> ConfigCache::Get(int64_t chat_id) {
  std::optional<Entry> cached;
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    cached = entries_.Get(chat_id);
    generation = generation_;
  }
  if (cached.has_value() && clock_.Now() - cached->loaded < options_.ttl) return cached->config;

  auto loaded = loader_(chat_id);
  if (!loaded.ok()) {
    if (!cached.has_value()) return loaded.status();
    log::Warn("config_served_stale", {{"chat_id", chat_id}, {"status", loaded.status()}});
    return cached->config;
  }
  ConfigPtr config = loaded->has_value() ? std::make_shared<const decide::GroupConfig>(std::move(**loaded)) : nullptr;
  absl::MutexLock lock(&mu_);
  if (generation == generation_) entries_.Put(chat_id, Entry{config, clock_.Now()});
  return config;
}

void ConfigCache::Invalidate(int64_t chat_id) {
  absl::MutexLock lock(&mu_);
  entries_.Erase(chat_id);
  ++generation_;
}

void ConfigCache::InvalidateAll() {
  absl::MutexLock lock(&mu_);
  entries_.Clear();
  ++generation_;
}

size_t ConfigCache::size() {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace subguard::verifier
