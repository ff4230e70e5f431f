#include "common/base/host_port.h"

#include "gtest/gtest.h"

namespace subguard::base {
namespace {

TEST(ParseHostPortTest, SplitsAtTheLastColon) {
  auto parsed = ParseHostPort("127.0.0.1:6379");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->first, "127.0.0.1");
  EXPECT_EQ(parsed->second, 6379);
  EXPECT_EQ(ParseHostPort("[::1]:80")->first, "[::1]");
}

TEST(ParseHostPortTest, RejectsWhatIsNotHostPort) {
  for (const char* bad : {"", "localhost", ":80", "host:", "host:port", "host:0", "host:70000"}) {
    EXPECT_EQ(ParseHostPort(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace subguard::base
