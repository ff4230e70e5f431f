// The Bot API endpoint over real HTTP: routing, errors, parameters, getUpdates and webhooks.
#include <future>
#include <mutex>
#include <vector>

#include "common/http/server.h"
#include "services/sandbox/errors.h"
#include "services/sandbox/sandbox_fixture.h"

namespace subguard::sandbox {
namespace {

std::vector<std::string> UpdateTypes(const boost::json::value& updates) {
  std::vector<std::string> types;
  for (const boost::json::value& update : updates.as_array()) {
    for (const auto& [key, value] : update.as_object()) {
      if (key != "update_id") types.emplace_back(key);
    }
  }
  return types;
}

TEST_F(SandboxTest, GetMeDescribesTheBot) {
  const boost::json::value me = Ok("getMe");
  EXPECT_EQ(me.at("id").as_int64(), kBotId);
  EXPECT_TRUE(me.at("is_bot").as_bool());
  EXPECT_EQ(me.at("username").as_string(), "subguard_sandbox_bot");
  EXPECT_TRUE(me.at("can_join_groups").as_bool());
}

TEST_F(SandboxTest, ErrorsHaveTheBotApiShape) {
  BotReply reply = Call("getMe", {}, "123456:wrong");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(boost::json::serialize(reply.body), R"({"ok":false,"error_code":401,"description":"Unauthorized"})");

  reply = Call("getMe", {}, "not-a-token");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.description(), "Unauthorized: invalid token specified");

  reply = Call("noSuchMethod");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(boost::json::serialize(reply.body),
            R"({"ok":false,"error_code":404,"description":"Not Found: method not found"})");

  reply = Call("getChat", {{"chat_id", -42}});
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body.at("error_code").as_int64(), 400);
  EXPECT_EQ(reply.description(), "Bad Request: chat not found");
}

TEST(ErrorsTest, TooManyRequestsCarriesRetryAfter) {
  const Reply reply = ErrorReply(TooManyRequests(7));
  EXPECT_EQ(reply.http_status, 429);
  EXPECT_EQ(
      reply.body,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})");
  EXPECT_EQ(ErrorReply(BadRequest("Chat not found")).body,
            R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
  EXPECT_EQ(ErrorReply(BadRequest("CHAT_ADMIN_REQUIRED")).body,
            R"({"ok":false,"error_code":400,"description":"Bad Request: CHAT_ADMIN_REQUIRED"})");
}

TEST_F(SandboxTest, MethodNamesIgnoreCaseAndParamsComeFromQueryFormOrJson) {
  SetUpWorld();
  EXPECT_EQ(CallRaw("GETME").status, 200);
  const BotReply by_query = CallRaw("getChat?chat_id=-1001000000001");
  const BotReply by_form = CallRaw("getchat", "chat_id=-1001000000001");
  const BotReply by_json = Call("getChat", {{"chat_id", kGroup}});
  const BotReply by_username = Call("getChat", {{"chat_id", "@news_channel"}});
  ASSERT_EQ(by_query.status, 200) << by_query.description();
  EXPECT_EQ(by_query.body, by_form.body);
  EXPECT_EQ(by_query.body, by_json.body);
  EXPECT_EQ(by_query.result().at("type").as_string(), "supergroup");
  EXPECT_TRUE(by_query.result().as_object().contains("permissions"));
  EXPECT_EQ(by_username.result().at("id").as_int64(), kChannel);
}

TEST_F(SandboxTest, GetUpdatesOffsetConfirmsEarlierUpdates) {
  SetUpWorld();
  DrainUpdates();
  for (const char* text : {"one", "two", "three"}) ASSERT_TRUE(control_->Send(kGroup, kBob, text).ok());
  const boost::json::value first = Ok("getUpdates");
  ASSERT_EQ(first.as_array().size(), 3u);
  const int64_t first_id = first.as_array()[0].at("update_id").as_int64();
  EXPECT_EQ(first.as_array()[2].at("update_id").as_int64(), first_id + 2);
  EXPECT_EQ(first.as_array()[0].at("message").at("text").as_string(), "one");

  // Unconfirmed updates come again; an offset confirms and forgets those before it.
  EXPECT_EQ(Ok("getUpdates", {{"limit", 2}}).as_array().size(), 2u);
  EXPECT_EQ(Ok("getUpdates", {{"offset", first_id + 2}}).as_array().size(), 1u);
  EXPECT_EQ(Ok("getUpdates").as_array().size(), 1u);
  EXPECT_TRUE(Ok("getUpdates", {{"offset", first_id + 3}}).as_array().empty());

  // A negative offset keeps only the newest updates.
  for (const char* text : {"four", "five"}) ASSERT_TRUE(control_->Send(kGroup, kBob, text).ok());
  const boost::json::value last = Ok("getUpdates", {{"offset", -1}});
  ASSERT_EQ(last.as_array().size(), 1u);
  EXPECT_EQ(last.as_array()[0].at("message").at("text").as_string(), "five");
  EXPECT_EQ(Ok("getUpdates").as_array().size(), 1u);
}

TEST_F(SandboxTest, LongPollWakesUpWhenAnUpdateArrives) {
  SetUpWorld();
  const int64_t offset = DrainUpdates();
  auto poll = std::async(std::launch::async, [&] { return Call("getUpdates", {{"offset", offset}, {"timeout", 50}}); });
  ASSERT_TRUE(WaitForLongPolls(1));
  ASSERT_TRUE(control_->Send(kGroup, kBob, "wake up").ok());
  const BotReply reply = poll.get();
  ASSERT_EQ(reply.status, 200);
  ASSERT_EQ(reply.result().as_array().size(), 1u);
  EXPECT_EQ(reply.result().as_array()[0].at("message").at("text").as_string(), "wake up");
}

TEST_F(SandboxTest, SecondPollerEndsTheFirstWithConflict) {
  SetUpWorld();
  const int64_t offset = DrainUpdates();
  auto first = std::async(std::launch::async, [&] {
    return Call("getUpdates", {{"offset", offset}, {"timeout", 50}});
  });
  ASSERT_TRUE(WaitForLongPolls(1));
  auto second = std::async(std::launch::async, [&] {
    return Call("getUpdates", {{"offset", offset}, {"timeout", 50}});
  });
  const BotReply ended = first.get();
  EXPECT_EQ(ended.status, 409);
  EXPECT_EQ(ended.description(),
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
  ASSERT_TRUE(WaitForLongPolls(1));
  ASSERT_TRUE(control_->Send(kGroup, kBob, "for the second").ok());
  EXPECT_EQ(second.get().result().as_array().size(), 1u);
}

TEST_F(SandboxTest, AllowedUpdatesFilterAndAreRemembered) {
  SetUpWorld();
  DrainUpdates();
  // By default chat_member is left out.
  ASSERT_TRUE(control_->Join(kGroup, kCarol).ok());
  EXPECT_EQ(UpdateTypes(Ok("getUpdates")), std::vector<std::string>{"message"});
  DrainUpdates();

  Ok("getUpdates", {{"allowed_updates", boost::json::array{"chat_member", "callback_query"}}});
  ASSERT_TRUE(control_->Leave(kGroup, kCarol).ok());
  ASSERT_TRUE(control_->Send(kGroup, kBob, "not delivered").ok());
  // A later call without allowed_updates keeps the setting, as Telegram does.
  EXPECT_EQ(UpdateTypes(Ok("getUpdates")), std::vector<std::string>{"chat_member"});
  const boost::json::value info = Ok("getWebhookInfo");
  EXPECT_EQ(info.at("allowed_updates"), (boost::json::array{"callback_query", "chat_member"}));

  // An array naming no known type restores the default.
  DrainUpdates();
  Ok("getUpdates", {{"allowed_updates", boost::json::array{}}});
  ASSERT_TRUE(control_->Send(kGroup, kBob, "delivered").ok());
  EXPECT_EQ(UpdateTypes(Ok("getUpdates")), std::vector<std::string>{"message"});
}

TEST_F(SandboxTest, GetUpdatesIsAConflictWhileAWebhookIsSet) {
  BotReply reply = Call("setWebhook", {{"url", "http://127.0.0.1:1/hook"}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.description(), "Webhook was set");
  reply = Call("getUpdates");
  EXPECT_EQ(reply.status, 409);
  EXPECT_EQ(reply.description(),
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook "
            "first");
  EXPECT_EQ(Ok("getWebhookInfo").at("url").as_string(), "http://127.0.0.1:1/hook");
  EXPECT_EQ(Call("deleteWebhook").description(), "Webhook was deleted");
  EXPECT_EQ(Call("deleteWebhook").description(), "Webhook is already deleted");
  EXPECT_EQ(Call("getUpdates").status, 200);
}

// A webhook receiver answering each POST with the next status from a list, then 200.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    auto server = http::Server::Start({.port = 0}, [this](const http::Request& request) {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      const int status = requests_.size() <= statuses_.size() ? statuses_[requests_.size() - 1] : 200;
      return http::Response::Text(status, "");
    });
    EXPECT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", server_->port(), "/hook"); }
  std::vector<http::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::vector<int> statuses_;
  std::mutex mu_;
  std::vector<http::Request> requests_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(SandboxTest, WebhookDeliversWithSecretAndRetriesFailures) {
  SetUpWorld();
  DrainUpdates();
  Receiver receiver({500});
  Ok("setWebhook", {{"url", receiver.url()}, {"secret_token", "s3cret_-token"}});
  ASSERT_TRUE(control_->Send(kGroup, kBob, "hooked").ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (receiver.requests().size() < 2 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  const std::vector<http::Request> requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);  // the failure, then its immediate retry
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(requests[1].Header("x-telegram-bot-api-secret-token"), "s3cret_-token");
  const boost::json::value update = boost::json::parse(requests[1].body);
  EXPECT_EQ(update.at("message").at("text").as_string(), "hooked");
  const boost::json::value info = Ok("getWebhookInfo");
  EXPECT_EQ(info.at("last_error_message").as_string(), "Wrong response from the webhook: 500 Internal Server Error");
  while (Ok("getWebhookInfo").at("pending_update_count").as_int64() != 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(Ok("getWebhookInfo").at("pending_update_count").as_int64(), 0);
  EXPECT_EQ(Call("setWebhook", {{"url", receiver.url()}, {"secret_token", "bad token!"}}).description(),
            "Bad Request: secret token contains unallowed characters");
}

}  // namespace
}  // namespace subguard::sandbox
