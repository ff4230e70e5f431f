// The monitors' chat registry metrics, registered once in main's registry. Labels are fixed sets,
// never ids. Thread-safe (prometheus-cpp).
#pragma once

#include <string_view>

#include "common/observability/metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"

namespace subguard::verifier::monitors {

class RegistryMetrics {
 public:
  explicit RegistryMetrics(observability::Registry& registry);

  // subguard_monitors_outcomes_total{result}: "ok" or "failed", as the senders reported them.
  void CountOutcome(bool ok);
  // subguard_monitors_held_posts_total / subguard_monitors_held_dropped_total: posts held for a
  // destination in cool-down, and the oldest dropped beyond the bound.
  void CountHeld(double posts) { held_.Increment(posts); }
  void CountDropped(double posts) { dropped_.Increment(posts); }
  // subguard_monitors_unsendable_posts_total: posts dropped because Telegram refused the post itself
  // (a service message, a protected source, a deleted source message).
  void CountUnsendable() { unsendable_.Increment(); }
  // subguard_monitors_flushes_total: flushes of held posts requested.
  void CountFlush() { flushes_.Increment(); }
  // subguard_monitors_seen_cache_entries: chats in the in-process last-seen cache.
  void SetSeenCacheEntries(double entries) { seen_cache_entries_.Set(entries); }
  // subguard_monitors_source_cache_entries: chats in the in-process "is a monitor source" cache.
  void SetSourceCacheEntries(double entries) { source_cache_entries_.Set(entries); }
  // subguard_monitors_albums_total: albums gathered and answered as one group per destination.
  void CountAlbum() { albums_.Increment(); }

 private:
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Counter& held_;
  prometheus::Counter& dropped_;
  prometheus::Counter& unsendable_;
  prometheus::Counter& flushes_;
  prometheus::Gauge& seen_cache_entries_;
  prometheus::Gauge& source_cache_entries_;
  prometheus::Counter& albums_;
};

}  // namespace subguard::verifier::monitors
