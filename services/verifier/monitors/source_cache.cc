#include "services/verifier/monitors/source_cache.h"

#include <optional>

namespace subguard::verifier::monitors {
namespace {

// How long a last answer is served while the loader fails.
constexpr absl::Duration kMaxStale = absl::Hours(24);

}  // namespace

SourceCache::SourceCache(SourceCacheOptions options, Loader loader, Publisher publisher, const base::Clock& clock,
                         RegistryMetrics& metrics)
    : options_(options),
      loader_(std::move(loader)),
      publisher_(std::move(publisher)),
      clock_(clock),
      metrics_(metrics),
      entries_(options.max_entries, kMaxStale, clock) {}

absl::StatusOr<bool> SourceCache::IsSource(int64_t chat_id) {
  std::optional<Entry> cached;
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    cached = entries_.Get(chat_id);
    if (cached.has_value() && clock_.Now() - cached->loaded < options_.ttl) return cached->source;
    generation = generation_;
  }
  absl::StatusOr<bool> loaded = loader_(chat_id);
  if (!loaded.ok()) {
    if (cached.has_value()) return cached->source;
    return loaded.status();
  }
  absl::MutexLock lock(&mu_);
  if (generation == generation_) entries_.Put(chat_id, Entry{*loaded, clock_.Now()});
  metrics_.SetSourceCacheEntries(static_cast<double>(entries_.size()));
  return *loaded;
}

void SourceCache::Changed(int64_t chat_id) {
  Invalidate(chat_id);
  publisher_(chat_id);
}

void SourceCache::Invalidate(int64_t chat_id) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  entries_.Erase(chat_id);
  metrics_.SetSourceCacheEntries(static_cast<double>(entries_.size()));
}

void SourceCache::InvalidateAll() {
  absl::MutexLock lock(&mu_);
  ++generation_;
  entries_.Clear();
  metrics_.SetSourceCacheEntries(0);
}

}  // namespace subguard::verifier::monitors
