// forwardMessage, copyMessage, forwardMessages and copyMessages against the sandbox over real HTTP.
#include <boost/json/serialize.hpp>

#include "gtest/gtest.h"
#include "services/sandbox/sandbox_fixture.h"

namespace subguard::sandbox {
namespace {

class ForwardTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    SetUpWorld();
    SetMember(kChannel, kBotId, "administrator", {{"can_post_messages", true}});
  }

  int64_t PostInChannel(std::string_view text) {
    auto sent = control_->Send(kChannel, kAlice, text);
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.ok() ? sent->message_id : 0;
  }
};

TEST_F(ForwardTest, ForwardKeepsTheOriginAndCopyDropsIt) {
  const int64_t post = PostInChannel("hello");
  const boost::json::value forwarded =
      Ok("forwardMessage", {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_id", post}});
  EXPECT_EQ(forwarded.at("text").as_string(), "hello");
  EXPECT_EQ(forwarded.at("forward_from_message_id").as_int64(), post);
  EXPECT_EQ(forwarded.at("forward_from_chat").at("id").as_int64(), kChannel);

  const boost::json::value copied =
      Ok("copyMessage", {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_id", post}});
  auto messages = control_->Messages(kGroup);
  ASSERT_TRUE(messages.ok());
  const boost::json::object& last = messages->back().as_object();
  EXPECT_EQ(last.at("message_id").as_int64(), copied.at("message_id").as_int64());
  EXPECT_EQ(last.at("text").as_string(), "hello");
  EXPECT_FALSE(last.contains("forward_origin"));
}

TEST_F(ForwardTest, ManyInOrderSkippingMissingOnes) {
  const int64_t first = PostInChannel("one");
  const int64_t second = PostInChannel("two");
  const boost::json::value sent =
      Ok("forwardMessages",
         {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_ids", boost::json::array{first, second, 999}}});
  ASSERT_EQ(sent.as_array().size(), 2u);
  EXPECT_LT(sent.as_array()[0].at("message_id").as_int64(), sent.as_array()[1].at("message_id").as_int64());
  EXPECT_EQ(Call("copyMessages",
                 {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_ids", boost::json::array{second, first}}})
                .status,
            400);
}

TEST_F(ForwardTest, RefusalsAsTelegramWordsThem) {
  BotReply missing = Call("forwardMessage", {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_id", 999}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.description(), "Bad Request: message to forward not found");
  const int64_t post = PostInChannel("x");
  SetMember(kGroup, kBotId, "left");
  BotReply not_member = Call("copyMessage", {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_id", post}});
  EXPECT_EQ(not_member.status, 403);
}

}  // namespace
}  // namespace subguard::sandbox
