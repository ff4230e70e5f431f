#include "tests/harness/servers.h"

#include "common/redis/client.h"
#include "gtest/gtest.h"

namespace subguard::harness {
namespace {

TEST(HarnessTest, RedisStartsAndRestartsEmpty) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  redis::Pool pool({.host = (*server)->host(), .port = (*server)->port()});
  ASSERT_TRUE(pool.Command({"SET", "k", "v"}).ok());
  ASSERT_TRUE((*server)->Restart().ok());
  // The pooled connection died with the server: the first call fails, the next reconnects.
  (void)pool.Command({"PING"});
  auto value = pool.Command({"GET", "k"});
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_TRUE(value->is_nil());
}

TEST(HarnessTest, PostgresStarts) {
  auto server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
}

}  // namespace
}  // namespace subguard::harness
