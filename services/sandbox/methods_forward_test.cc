// forwardMessage, copyMessage, forwardMessages and copyMessages against the sandbox over real HTTP.
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

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

// An album arrives as one channel_post per part, back to back, sharing a media_group_id; sent on as
// one call, its parts form one new album in the destination, in order.
TEST_F(ForwardTest, AnAlbumArrivesPartByPartAndIsSentOnAsOneGroup) {
  auto album = control_->PostAlbum(kChannel, kAlice, 3, "holiday");
  ASSERT_TRUE(album.ok()) << album.status();
  ASSERT_EQ(album->message_ids.size(), 3u);
  ASSERT_EQ(album->update_ids.size(), 3u);
  EXPECT_EQ(album->update_ids[1], album->update_ids[0] + 1);
  EXPECT_EQ(album->update_ids[2], album->update_ids[1] + 1);
  std::vector<boost::json::object> posts;
  const boost::json::value updates = Ok("getUpdates", {});
  for (const boost::json::value& update : updates.as_array()) {
    if (update.as_object().contains("channel_post")) posts.push_back(update.at("channel_post").as_object());
  }
  ASSERT_EQ(posts.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const boost::json::object& post = posts[i];
    EXPECT_EQ(post.at("message_id").as_int64(), album->message_ids[i]);
    EXPECT_EQ(post.at("media_group_id").as_string(), album->media_group_id);
    EXPECT_TRUE(post.contains("photo"));
    EXPECT_EQ(post.contains("caption"), i == 0);
  }

  boost::json::array ids;
  for (const int64_t id : album->message_ids) ids.push_back(id);
  const boost::json::value copied =
      Ok("copyMessages", {{"chat_id", kGroup}, {"from_chat_id", kChannel}, {"message_ids", ids}});
  ASSERT_EQ(copied.as_array().size(), 3u);
  auto messages = control_->Messages(kGroup);
  ASSERT_TRUE(messages.ok());
  ASSERT_GE(messages->size(), 3u);
  std::string group;
  for (size_t i = messages->size() - 3; i < messages->size(); ++i) {
    const boost::json::object& part = (*messages)[i].as_object();
    EXPECT_TRUE(part.contains("photo"));
    if (group.empty()) group = std::string(part.at("media_group_id").as_string());
    EXPECT_EQ(part.at("media_group_id").as_string(), group);
  }
  EXPECT_NE(group, album->media_group_id);
  EXPECT_EQ((*messages)[messages->size() - 3].at("caption").as_string(), "holiday");
}

}  // namespace
}  // namespace subguard::sandbox
