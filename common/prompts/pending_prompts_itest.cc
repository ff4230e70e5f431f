// Pending prompts against a real Redis: one prompt gathers everyone pending, each user is named by
// exactly one action, a redelivered action sends the same batch again, and the batch has its cap.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/prompts/pending_prompts.h"
#include "tests/harness/servers.h"

namespace subguard::prompts {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr int64_t kGroup = -100555;
constexpr absl::Duration kTtl = absl::Minutes(10);

v1::Action Prompt(int64_t user) {
  v1::Action action;
  action.set_id(absl::StrCat(user, ":prompt:", kGroup, ":", user));
  action.set_chat_id(kGroup);
  v1::SendMessage& message = *action.mutable_send_message();
  message.set_text(absl::StrCat("u", user, " please join"));
  message.add_keyboard()->add_buttons()->set_callback_data(absl::StrCat("check:", user));
  v1::PromptBatch& batch = *message.mutable_batch();
  batch.set_user_id(user);
  batch.set_mention(absl::StrCat("u", user));
  batch.set_text(absl::StrCat(kUsersMarker, " please join"));
  batch.set_callback_data(absl::StrCat("check:", user));
  batch.set_shared_callback_data("check:0");
  return action;
}

class PendingPromptsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = harness::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    redis_ = std::make_unique<redis::Pool>(redis::RedisOptions{.host = server_->host(), .port = server_->port()});
  }

  bool Needed(const v1::Action& prompt) {
    absl::StatusOr<bool> needed = StillNeeded(*redis_, prompt);
    EXPECT_TRUE(needed.ok()) << needed.status();
    return needed.value_or(false);
  }

  std::vector<std::string> GatherFor(const v1::Action& prompt, int max_users = 30) {
    absl::StatusOr<std::vector<std::string>> mentions = Gather(*redis_, prompt, max_users, kTtl);
    EXPECT_TRUE(mentions.ok()) << mentions.status();
    return mentions.value_or(std::vector<std::string>{});
  }

  std::unique_ptr<harness::RedisServer> server_;
  std::unique_ptr<redis::Pool> redis_;
};

TEST_F(PendingPromptsTest, OnePromptNamesEveryonePendingAndTheOthersAreNotNeeded) {
  for (int64_t user : {1, 2, 3}) ASSERT_TRUE(AddPending(*redis_, Prompt(user), kTtl).ok());
  ASSERT_TRUE(AddPending(*redis_, Prompt(2), kTtl).ok());  // a redelivered decision adds nobody twice
  EXPECT_TRUE(Needed(Prompt(2)));

  const std::vector<std::string> named = GatherFor(Prompt(2));
  ASSERT_THAT(named, SizeIs(3));
  EXPECT_EQ(named[0], "u2");
  EXPECT_FALSE(Needed(Prompt(1)));
  EXPECT_FALSE(Needed(Prompt(3)));
  EXPECT_THAT(GatherFor(Prompt(3)), IsEmpty());

  // The gathering action, redelivered, sends the same batch.
  EXPECT_TRUE(Needed(Prompt(2)));
  EXPECT_EQ(GatherFor(Prompt(2)), named);
}

TEST_F(PendingPromptsTest, ABatchHoldsAtMostMaxUsersAndTheRestWaitForTheirOwnPrompt) {
  for (int64_t user : {1, 2, 3}) ASSERT_TRUE(AddPending(*redis_, Prompt(user), kTtl).ok());
  EXPECT_THAT(GatherFor(Prompt(1), /*max_users=*/2), SizeIs(2));
  const int still_needed = Needed(Prompt(2)) + Needed(Prompt(3));
  EXPECT_EQ(still_needed, 1);
}

TEST_F(PendingPromptsTest, AUserAloneGetsTheirOwnPromptSeveralGetTheSharedButton) {
  const v1::Action prompt = Prompt(7);
  const v1::SendMessage alone = Named(prompt.send_message(), {"u7"});
  EXPECT_EQ(alone.text(), "u7 please join");
  EXPECT_EQ(alone.keyboard(0).buttons(0).callback_data(), "check:7");
  EXPECT_FALSE(alone.has_batch());

  const v1::SendMessage several = Named(prompt.send_message(), {"u7", "u8"});
  EXPECT_EQ(several.text(), "u7, u8 please join");
  EXPECT_EQ(several.keyboard(0).buttons(0).callback_data(), "check:0");
}

}  // namespace
}  // namespace subguard::prompts
