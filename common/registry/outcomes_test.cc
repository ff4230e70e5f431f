#include "common/registry/outcomes.h"

#include "gtest/gtest.h"

namespace subguard::registry {
namespace {

redis::Reply Fields(std::initializer_list<std::string> values) {
  redis::Reply reply{.type = redis::Reply::Type::kArray};
  for (const std::string& value : values) reply.elements.push_back({.type = redis::Reply::Type::kString, .str = value});
  return reply;
}

v1::Action Forward() {
  v1::Action action;
  action.set_id("7:forward:-100:3");
  action.set_chat_id(-100);
  action.mutable_forward_message()->set_from_chat_id(-200);
  action.mutable_forward_message()->set_message_id(3);
  return action;
}

TEST(MonitorOutcomes, OnlyMonitorKindsAreMonitorDeliveries) {
  EXPECT_TRUE(IsMonitorDelivery(Forward()));
  v1::Action copy;
  copy.mutable_copy_message();
  EXPECT_TRUE(IsMonitorDelivery(copy));
  v1::Action album;
  album.mutable_forward_messages();
  EXPECT_TRUE(IsMonitorDelivery(album));
  v1::Action send;
  send.mutable_send_message();
  EXPECT_FALSE(IsMonitorDelivery(send));
}

TEST(MonitorOutcomes, ParsesAFailure) {
  const auto outcome =
      ParseMonitorOutcome(Fields({"action", Forward().SerializeAsString(), "ok", "0", "code", "403", "error", "no"}));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->action.id(), "7:forward:-100:3");
  EXPECT_FALSE(outcome->ok);
  EXPECT_EQ(outcome->error_code, 403);
  EXPECT_EQ(outcome->description, "no");
}

TEST(MonitorOutcomes, RejectsMalformedEntries) {
  EXPECT_FALSE(ParseMonitorOutcome(Fields({"ok", "1"})).has_value());
  EXPECT_FALSE(ParseMonitorOutcome(Fields({"action", "\xff\xff", "ok", "1"})).has_value());
  EXPECT_FALSE(ParseMonitorOutcome(Fields({"action", Forward().SerializeAsString(), "code", "x"})).has_value());
  v1::Action send;
  send.mutable_send_message()->set_text("hi");
  EXPECT_FALSE(ParseMonitorOutcome(Fields({"action", send.SerializeAsString(), "ok", "1"})).has_value());
}

}  // namespace
}  // namespace subguard::registry
