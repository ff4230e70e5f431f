// The core story of issue 3 across separate processes: sandbox -> ingest -> verifier -> sender.
#include "gtest/gtest.h"
#include "services/story/story.h"
#include "tests/e2e/cluster.h"

namespace subguard::e2e {
namespace {

TEST(CoreStoryE2e, EveryStepHappensThroughTheRealProcesses) {
  auto cluster = Cluster::Start({});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  const absl::Status story = story::PlayStory({.sandbox_url = (*cluster)->sandbox_url(),
                                               .bot_token = (*cluster)->bot_token(),
                                               .step_timeout = absl::Seconds(60)},
                                              [](const std::string& step) { std::printf("%s\n", step.c_str()); });
  EXPECT_TRUE(story.ok()) << story << "\n" << (*cluster)->LogTails();
}

}  // namespace
}  // namespace subguard::e2e
