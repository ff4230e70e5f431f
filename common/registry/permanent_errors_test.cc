#include "common/registry/permanent_errors.h"

#include "gtest/gtest.h"

namespace subguard::registry {
namespace {

redis::Reply Fields(std::initializer_list<std::string> values) {
  redis::Reply reply{.type = redis::Reply::Type::kArray};
  for (const std::string& value : values) reply.elements.push_back({.type = redis::Reply::Type::kString, .str = value});
  return reply;
}

TEST(PermanentErrors, ParsesAnEntry) {
  const auto error = ParsePermanentError(Fields(
      {"action_id", "7:restrict:-100:5", "chat", "-100", "user", "5", "method", "restrictChatMember", "reason",
       "not_enough_rights", "code", "400", "error", "Bad Request: not enough rights", "at_us", "1700000000000000"}));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->action_id, "7:restrict:-100:5");
  EXPECT_EQ(error->chat_id, -100);
  EXPECT_EQ(error->user_id, 5);
  EXPECT_EQ(error->method, "restrictChatMember");
  EXPECT_EQ(error->reason, "not_enough_rights");
  EXPECT_EQ(error->error_code, 400);
  EXPECT_EQ(error->description, "Bad Request: not enough rights");
  EXPECT_EQ(error->at, absl::FromUnixSeconds(1700000000));
}

TEST(PermanentErrors, RejectsMalformedEntries) {
  EXPECT_FALSE(ParsePermanentError(Fields({"chat", "-100", "at_us", "1"})).has_value());  // no action id
  EXPECT_FALSE(ParsePermanentError(Fields({"action_id", "a", "chat", "x", "at_us", "1"})).has_value());
  EXPECT_FALSE(ParsePermanentError(Fields({"action_id", "a", "chat", "-100"})).has_value());  // no time
}

}  // namespace
}  // namespace subguard::registry
