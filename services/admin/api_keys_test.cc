// The pure parts of API keys: hashing and derivation.
#include "services/admin/api_keys.h"

#include "gtest/gtest.h"

namespace subguard::admin {
namespace {

TEST(ApiKeysTest, Sha256IsLowercaseHex) {
  EXPECT_EQ(KeySha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeysTest, DerivedKeysAreStablePerOwnerAndUpdate) {
  const std::string key = DeriveKey("secret", 1001, 7);
  EXPECT_EQ(key.rfind("sgk_", 0), 0u);
  EXPECT_EQ(key.size(), 4u + 64u);
  EXPECT_EQ(key, DeriveKey("secret", 1001, 7));
  EXPECT_NE(key, DeriveKey("secret", 1001, 8));
  EXPECT_NE(key, DeriveKey("secret", 1002, 7));
  EXPECT_NE(key, DeriveKey("other", 1001, 7));
}

}  // namespace
}  // namespace subguard::admin
