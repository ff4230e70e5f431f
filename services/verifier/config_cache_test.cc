#include "services/verifier/config_cache.h"

#include <map>

#include "gtest/gtest.h"

namespace subguard::verifier {
namespace {

constexpr int64_t kGroup = -100;

// A loader backed by a map, which can be made to fail like an unreachable PostgreSQL.
class FakeStore {
 public:
  ConfigCache::Loader Loader() {
    return [this](int64_t chat_id) -> absl::StatusOr<std::optional<decide::GroupConfig>> {
      ++loads;
      if (!available) return absl::UnavailableError("postgres away");
      auto it = groups.find(chat_id);
      if (it == groups.end()) return std::nullopt;
      return it->second;
    };
  }
  std::map<int64_t, decide::GroupConfig> groups;
  bool available = true;
  int loads = 0;
};

class ConfigCacheTest : public ::testing::Test {
 protected:
  ConfigCacheTest()
      : cache_({.max_entries = 2, .ttl = absl::Seconds(30), .max_stale = absl::Hours(1)}, store_.Loader(), clock_) {
    store_.groups[kGroup] = decide::GroupConfig{.chat_id = kGroup, .title = "v1"};
  }
  std::string Title(int64_t chat_id) {
    auto config = cache_.Get(chat_id);
    if (!config.ok()) return config.status().ToString();
    return *config == nullptr ? "<none>" : (*config)->title;
  }

  base::FakeClock clock_;
  FakeStore store_;
  ConfigCache cache_;
};

TEST_F(ConfigCacheTest, ServesFromMemoryWithinTtl) {
  EXPECT_EQ(Title(kGroup), "v1");
  store_.groups[kGroup].title = "v2";
  clock_.Advance(absl::Seconds(29));
  EXPECT_EQ(Title(kGroup), "v1");
  EXPECT_EQ(store_.loads, 1);
}

TEST_F(ConfigCacheTest, ReloadsAfterTtl) {
  EXPECT_EQ(Title(kGroup), "v1");
  store_.groups[kGroup].title = "v2";
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(Title(kGroup), "v2");
  EXPECT_EQ(store_.loads, 2);
}

TEST_F(ConfigCacheTest, CachesNotProtectedToo) {
  EXPECT_EQ(Title(-200), "<none>");
  EXPECT_EQ(Title(-200), "<none>");
  EXPECT_EQ(store_.loads, 1);
}

TEST_F(ConfigCacheTest, InvalidateReloadsAtOnce) {
  EXPECT_EQ(Title(kGroup), "v1");
  store_.groups[kGroup].title = "v2";
  cache_.Invalidate(kGroup);
  EXPECT_EQ(Title(kGroup), "v2");
  store_.groups[kGroup].title = "v3";
  cache_.InvalidateAll();
  EXPECT_EQ(cache_.size(), 0u);
  EXPECT_EQ(Title(kGroup), "v3");
}

TEST_F(ConfigCacheTest, ServesLastKnownWhilePostgresIsAway) {
  EXPECT_EQ(Title(kGroup), "v1");
  store_.available = false;
  clock_.Advance(absl::Minutes(59));
  EXPECT_EQ(Title(kGroup), "v1");
  // Each expired read tries again, so the cache recovers as soon as PostgreSQL is back.
  store_.available = true;
  store_.groups[kGroup].title = "v2";
  EXPECT_EQ(Title(kGroup), "v2");
}

TEST_F(ConfigCacheTest, StaleEntriesEndAtMaxStale) {
  EXPECT_EQ(Title(kGroup), "v1");
  store_.available = false;
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(cache_.Get(kGroup).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(ConfigCacheTest, NothingKnownAndPostgresAwayIsAnError) {
  store_.available = false;
  EXPECT_EQ(cache_.Get(kGroup).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(ConfigCacheTest, Bounded) {
  Title(-1);
  Title(-2);
  Title(-3);
  EXPECT_EQ(cache_.size(), 2u);
}

TEST(ConfigCacheRaceTest, ALoadOverlappingAnInvalidationIsNotKept) {
  base::FakeClock clock;
  ConfigCache* cache_ptr = nullptr;
  int loads = 0;
  ConfigCache cache(
      {},
      [&](int64_t chat_id) -> absl::StatusOr<std::optional<decide::GroupConfig>> {
        // The change lands while this (old) read is in flight.
        if (++loads == 1) cache_ptr->Invalidate(chat_id);
        return decide::GroupConfig{.chat_id = chat_id, .title = loads == 1 ? "old" : "new"};
      },
      clock);
  cache_ptr = &cache;
  EXPECT_EQ((*cache.Get(kGroup))->title, "old");
  EXPECT_EQ((*cache.Get(kGroup))->title, "new");
}

}  // namespace
}  // namespace subguard::verifier
