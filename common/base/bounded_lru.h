// BoundedLru: a map with a maximum size and a per-entry TTL; the least recently used entry is evicted
// when full, and an expired entry is never returned. Not thread-safe: callers hold their own lock.
// Cost: O(1) per operation.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/time/time.h"
#include "common/base/clock.h"

namespace subguard::base {

template <typename K, typename V, typename Hash = std::hash<K>>
class BoundedLru {
 public:
  BoundedLru(size_t max_size, absl::Duration ttl, const Clock& clock)
      : max_size_(max_size), ttl_(ttl), clock_(clock) {}

  std::optional<V> Get(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    if (clock_.Now() >= it->second->expires) {
      entries_.erase(it->second);
      index_.erase(it);
      return std::nullopt;
    }
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->value;
  }

  void Put(const K& key, V value) {
    const absl::Time expires = clock_.Now() + ttl_;
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->value = std::move(value);
      it->second->expires = expires;
      entries_.splice(entries_.begin(), entries_, it->second);
      return;
    }
    if (max_size_ == 0) return;
    if (index_.size() >= max_size_) {
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
    entries_.push_front(Entry{key, std::move(value), expires});
    index_.emplace(key, entries_.begin());
  }

  void Erase(const K& key) {
    if (auto it = index_.find(key); it != index_.end()) {
      entries_.erase(it->second);
      index_.erase(it);
    }
  }

  void Clear() {
    entries_.clear();
    index_.clear();
  }

  size_t size() const { return index_.size(); }

 private:
  struct Entry {
    K key;
    V value;
    absl::Time expires;
  };
  size_t max_size_;
  absl::Duration ttl_;
  const Clock& clock_;
  std::list<Entry> entries_;
  std::unordered_map<K, typename std::list<Entry>::iterator, Hash> index_;
};

}  // namespace subguard::base
