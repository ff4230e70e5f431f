#include "services/ingest/poll_offset.h"

#include <string>

#include "gtest/gtest.h"

namespace subguard::ingest {
namespace {

TEST(NextOffsetTest, MovesOnePastTheHighestJournaledId) {
  EXPECT_EQ(NextOffset(0, {}), 0);
  EXPECT_EQ(NextOffset(0, {5, 6, 7}), 8);
  EXPECT_EQ(NextOffset(100, {}), 100);
}

TEST(NextOffsetTest, NeverMovesBack) {
  EXPECT_EQ(NextOffset(100, {5}), 100);
  EXPECT_EQ(NextOffset(100, {100}), 101);
}

TEST(UpdateIdOfTest, FindsTheIdOfAnUpdateParseUpdateRejects) {
  EXPECT_EQ(UpdateIdOf(R"({"update_id":42,"message":{"chat":"not an object"}})"), 42);
  std::string deep = R"({"update_id":7,"x":)";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  EXPECT_EQ(UpdateIdOf(deep), 7);
}

TEST(UpdateIdOfTest, NoIdInWhatHasNone) {
  EXPECT_EQ(UpdateIdOf("not json"), std::nullopt);
  EXPECT_EQ(UpdateIdOf("[1,2]"), std::nullopt);
  EXPECT_EQ(UpdateIdOf(R"({"update_id":"7"})"), std::nullopt);
  EXPECT_EQ(UpdateIdOf(R"({"message":{}})"), std::nullopt);
  EXPECT_EQ(UpdateIdOf(R"({"update_id":7)"), std::nullopt);
}

}  // namespace
}  // namespace subguard::ingest
