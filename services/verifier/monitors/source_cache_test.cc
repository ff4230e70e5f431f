#include "services/verifier/monitors/source_cache.h"

#include <vector>

#include "common/base/clock.h"
#include "gtest/gtest.h"

namespace subguard::verifier::monitors {
namespace {

class SourceCacheTest : public ::testing::Test {
 protected:
  SourceCache cache_{{.max_entries = 2, .ttl = absl::Seconds(60)},
                     [this](int64_t chat_id) -> absl::StatusOr<bool> {
                       ++loads_;
                       if (!up_) return absl::UnavailableError("postgres away");
                       return chat_id == kSource;
                     },
                     [this](int64_t chat_id) { published_.push_back(chat_id); },
                     clock_,
                     metrics_};

  static constexpr int64_t kSource = -100;
  base::FakeClock clock_;
  observability::Registry registry_;
  RegistryMetrics metrics_{registry_};
  int loads_ = 0;
  bool up_ = true;
  std::vector<int64_t> published_;
};

TEST_F(SourceCacheTest, AnswersAreCachedUntilTheTtlOrAChange) {
  EXPECT_EQ(cache_.IsSource(-200).value_or(true), false);
  EXPECT_EQ(cache_.IsSource(-200).value_or(true), false);
  EXPECT_EQ(cache_.IsSource(kSource).value_or(false), true);
  EXPECT_EQ(loads_, 2);  // a group that is no source costs one query, then none

  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(cache_.IsSource(-200).value_or(true), false);
  EXPECT_EQ(loads_, 3);

  cache_.Changed(-200);
  EXPECT_EQ(published_, std::vector<int64_t>{-200});
  EXPECT_EQ(cache_.IsSource(-200).value_or(true), false);
  EXPECT_EQ(loads_, 4);
  cache_.InvalidateAll();
  EXPECT_EQ(cache_.IsSource(-200).value_or(true), false);
  EXPECT_EQ(loads_, 5);
}

TEST_F(SourceCacheTest, TheLastAnswerIsServedWhileTheLoaderFails) {
  EXPECT_EQ(cache_.IsSource(kSource).value_or(false), true);
  up_ = false;
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(cache_.IsSource(kSource).value_or(false), true);
  EXPECT_FALSE(cache_.IsSource(-300).ok());  // nothing cached: the error
}

}  // namespace
}  // namespace subguard::verifier::monitors
