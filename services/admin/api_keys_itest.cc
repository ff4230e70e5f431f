// ApiKeys against a real PostgreSQL: issue, resolve, replace, redelivery, and the shared secret.
#include "gtest/gtest.h"
#include "services/admin/api_keys.h"
#include "tests/harness/postgres_fixture.h"

namespace subguard::admin {
namespace {

using ApiKeysItest = harness::PostgresTest;

TEST_F(ApiKeysItest, AKeyResolvesToItsOwnerUntilReplaced) {
  ApiKeys keys(pool_);
  auto first = keys.Issue(1001, 10);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*keys.OwnerOf(*first), std::optional<int64_t>(1001));
  EXPECT_EQ(*keys.OwnerOf("sgk_nope"), std::nullopt);
  EXPECT_EQ(*keys.OwnerOf("not a key"), std::nullopt);

  // A redelivery of the same command answers the same key, from any process.
  ApiKeys other_process(pool_);
  EXPECT_EQ(*other_process.Issue(1001, 10), *first);

  auto second = keys.Issue(1001, 20);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *first);
  EXPECT_EQ(*keys.OwnerOf(*first), std::nullopt);
  EXPECT_EQ(*keys.OwnerOf(*second), std::optional<int64_t>(1001));

  // A late redelivery of the older command does not bring its key back.
  ASSERT_TRUE(keys.Issue(1001, 10).ok());
  EXPECT_EQ(*keys.OwnerOf(*first), std::nullopt);
  EXPECT_EQ(*keys.OwnerOf(*second), std::optional<int64_t>(1001));

  auto theirs = keys.Issue(1002, 21);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(*keys.OwnerOf(*theirs), std::optional<int64_t>(1002));
}

}  // namespace
}  // namespace subguard::admin
