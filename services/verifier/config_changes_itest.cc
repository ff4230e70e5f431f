// Config change notifications across verifiers, over a real Redis.
#include <atomic>

#include "gtest/gtest.h"
#include "services/verifier/config_changes.h"
#include "tests/harness/servers.h"

namespace subguard::verifier {
namespace {

constexpr int64_t kGroup = -100;

class ConfigChangesItest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = harness::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    options_ = {.host = server_->host(), .port = server_->port()};
  }

  std::unique_ptr<harness::RedisServer> server_;
  redis::RedisOptions options_;
  std::atomic<int> loads_ = 0;
  ConfigCache cache_{{},
                     [this](int64_t chat_id) -> absl::StatusOr<std::optional<decide::GroupConfig>> {
                       ++loads_;
                       return decide::GroupConfig{.chat_id = chat_id};
                     },
                     base::RealClock::Instance()};
};

TEST_F(ConfigChangesItest, APublishedChangeInvalidatesEveryListener) {
  ConfigChangeListener listener(options_, cache_, absl::Milliseconds(100));
  listener.Start();
  // The listener clears the cache once connected; wait for that before filling it.
  ASSERT_TRUE(cache_.Get(kGroup).ok());
  redis::Pool writer(options_);
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        (void)cache_.Get(kGroup);
        (void)cache_.Get(kGroup - 1);
        if (!PublishConfigChange(writer, kGroup).ok()) return false;
        // Only the changed group is dropped.
        return harness::WaitFor([&] { return cache_.size() == 1; }, absl::Seconds(2), absl::Milliseconds(10));
      },
      absl::Seconds(30), absl::Milliseconds(50)));
  const int loads = loads_;
  ASSERT_TRUE(cache_.Get(kGroup - 1).ok());
  EXPECT_EQ(loads_, loads);
  ASSERT_TRUE(cache_.Get(kGroup).ok());
  EXPECT_EQ(loads_, loads + 1);
  listener.Stop();
}

TEST_F(ConfigChangesItest, AReconnectClearsTheCache) {
  ConfigChangeListener listener(options_, cache_, absl::Milliseconds(100));
  listener.Start();
  ASSERT_TRUE(server_->Restart().ok());
  // Whatever was published while the listener was away is unknown: everything reloads.
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        (void)cache_.Get(kGroup);
        return harness::WaitFor([&] { return cache_.size() == 0; }, absl::Seconds(2), absl::Milliseconds(10));
      },
      absl::Seconds(30), absl::Milliseconds(50)));
  listener.Stop();
}

}  // namespace
}  // namespace subguard::verifier
