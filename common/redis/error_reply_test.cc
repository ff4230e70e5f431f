#include "absl/status/status.h"
#include "common/redis/client.h"
#include "gtest/gtest.h"

namespace subguard::redis {
namespace {

TEST(ErrorReplyStatusTest, ARedisThatWillAnswerSoonIsUnavailable) {
  EXPECT_EQ(ErrorReplyStatus("LOADING Redis is loading the dataset in memory").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyStatus("BUSY Redis is busy running a script").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyStatus("READONLY You can't write against a read only replica.").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyStatus("MASTERDOWN Link with MASTER is down").code(), absl::StatusCode::kUnavailable);
}

TEST(ErrorReplyStatusTest, NoScriptAsksForALoadAndTheRestIsABug) {
  EXPECT_EQ(ErrorReplyStatus("NOSCRIPT No matching script.").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReplyStatus("BUSYGROUP Consumer Group name already exists").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(ErrorReplyStatus("WRONGTYPE Operation against a key holding the wrong kind of value").code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(ErrorReplyStatus("ERR syntax error").message(), "redis: ERR syntax error");
}

}  // namespace
}  // namespace subguard::redis
