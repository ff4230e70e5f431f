// The flood limits and faults as a client sees them: real 429 and 500 replies over HTTP, and the control
// endpoints that switch them.
#include "services/sandbox/call_guard.h"

#include "services/sandbox/sandbox_fixture.h"

namespace subguard::sandbox {
namespace {

class CallGuardTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    SetUpWorld();
  }

  BotReply Send(int64_t chat_id) { return Call("sendMessage", {{"chat_id", chat_id}, {"text", "hi"}}); }

  boost::json::object Control(std::string_view path, const boost::json::object& body) {
    auto reply = control_->Post(path, body);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : boost::json::object();
  }
};

TEST_F(CallGuardTest, MessagesBeyondAChatsBurstAre429WithRetryAfter) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Send(kGroup).status, 200) << i;
  const BotReply refused = Send(kGroup);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(boost::json::serialize(refused.body),
            R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1",)"
            R"("parameters":{"retry_after":1}})");

  auto state = control_->Get("/control/flood");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->at("refusals").at("chat").as_int64(), 1);
  EXPECT_EQ(state->at("total").as_int64(), 1);
  auto calls = control_->Calls("sendMessage");
  ASSERT_TRUE(calls.ok());
  EXPECT_EQ(calls->back().at("error_code").as_int64(), 429);

  // Moderation is not a message; a second later the chat takes one more.
  EXPECT_EQ(Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", "{}"}}).status, 200);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Send(kGroup).status, 200);
}

TEST_F(CallGuardTest, ControlChangesTheLimitsAndForgetsCounts) {
  boost::json::object state = Control("/control/flood", {{"chat_burst", 1}});
  EXPECT_EQ(state.at("limits").at("chat_burst").as_int64(), 1);
  EXPECT_EQ(Send(kGroup).status, 200);
  EXPECT_EQ(Send(kGroup).status, 429);
  state = Control("/control/flood", {{"enabled", false}});
  EXPECT_EQ(state.at("total").as_int64(), 0);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Send(kGroup).status, 200) << i;
  EXPECT_FALSE(control_->Post("/control/flood", {{"chat_burst", -1}}).ok());
}

TEST_F(CallGuardTest, FaultsAnswer500ForTheMethodsChosen) {
  boost::json::object state = Control("/control/faults", {{"error_rate", 1}, {"methods", {"restrictChatMember"}}});
  EXPECT_EQ(state.at("faults").at("error_rate").as_double(), 1.0);
  const BotReply failed = Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", "{}"}});
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.description(), "Internal Server Error: injected error");
  EXPECT_EQ(Send(kGroup).status, 200);
  auto faults = control_->Get("/control/faults");
  ASSERT_TRUE(faults.ok());
  EXPECT_EQ(faults->at("injected").as_int64(), 1);
  Control("/control/faults", {});
  EXPECT_EQ(Call("restrictChatMember", {{"chat_id", kGroup}, {"user_id", kBob}, {"permissions", "{}"}}).status, 200);
}

}  // namespace
}  // namespace subguard::sandbox
