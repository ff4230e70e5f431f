// Authenticator without a database: the operator token, and credentials rejected before any lookup
// (only an "sgk_" key is looked up in PostgreSQL, which the pool here would never reach).
#include "services/admin/auth.h"

#include "gtest/gtest.h"

namespace subguard::admin {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  pg::Pool pool_{pg::PoolOptions{.conninfo = "host=127.0.0.1 port=1 dbname=none"}};
  ApiKeys keys_{pool_};
};

TEST_F(AuthTest, TheOperatorTokenMakesTheOperator) {
  Authenticator auth("s3cret", keys_);
  auto caller = auth.Authenticate("Bearer s3cret");
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_TRUE(caller->is_operator);
  EXPECT_TRUE(caller->Owns(1234));
  EXPECT_TRUE(auth.Authenticate("bearer   s3cret ").ok());
}

TEST_F(AuthTest, AnythingElseIsUnauthenticated) {
  Authenticator auth("s3cret", keys_);
  for (const char* bad : {"", "s3cret", "Basic s3cret", "Bearer ", "Bearer s3cre", "Bearer s3cret2", "Bearer x"}) {
    EXPECT_EQ(auth.Authenticate(bad).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

TEST_F(AuthTest, NoOperatorTokenMeansNoOperator) {
  Authenticator auth("", keys_);
  EXPECT_EQ(auth.Authenticate("Bearer ").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Bearer anything").status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(CallerTest, AnOwnerOwnsOnlyTheirs) {
  const Caller owner{.owner_user_id = 7};
  EXPECT_TRUE(owner.Owns(7));
  EXPECT_FALSE(owner.Owns(8));
  EXPECT_FALSE(owner.Owns(0));  // a group set up by an anonymous admin
}

}  // namespace
}  // namespace subguard::admin
