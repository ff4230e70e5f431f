// HandleWebhook's answers that need no working Redis: everything but the 200 (see ingest_itest.cc).
// The journal points at a closed loopback port, so an append fails at once with kUnavailable.
#include "services/ingest/webhook_receiver.h"

#include "gtest/gtest.h"
#include "tests/harness/process.h"

namespace subguard::ingest {
namespace {

constexpr char kSecret[] = "s3cret-token_value";
constexpr char kUpdate[] =
    R"({"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"supergroup"},"text":"hi"}})";

class WebhookReceiverTest : public ::testing::Test {
 protected:
  WebhookReceiverTest()
      : pool_({.host = "127.0.0.1", .port = harness::FreePort()}),
        journal_(pool_, {.owner = "test"}),
        intake_(journal_, registry_),
        receiver_({.path = "/hook", .secret = kSecret}, intake_, registry_) {}

  http::Request Post(std::string body, std::string secret = kSecret) {
    http::Request request{.method = "POST", .path = "/hook", .body = std::move(body)};
    request.headers = {{"content-type", "application/json"}, {"x-telegram-bot-api-secret-token", std::move(secret)}};
    return request;
  }

  observability::Registry registry_;
  redis::Pool pool_;
  journal::Journal journal_;
  Intake intake_;
  WebhookReceiver receiver_;
};

TEST_F(WebhookReceiverTest, RefusesWhatIsNotTelegramsPost) {
  http::Request wrong_path = Post(kUpdate);
  wrong_path.path = "/other";
  EXPECT_EQ(receiver_.HandleWebhook(wrong_path).status, 404);
  http::Request get = Post(kUpdate);
  get.method = "GET";
  EXPECT_EQ(receiver_.HandleWebhook(get).status, 405);
  http::Request form = Post(kUpdate);
  form.headers[0].second = "application/x-www-form-urlencoded";
  EXPECT_EQ(receiver_.HandleWebhook(form).status, 415);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate, "wrong")).status, 401);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate, "")).status, 401);
  http::Request no_secret = Post(kUpdate);
  no_secret.headers.pop_back();
  EXPECT_EQ(receiver_.HandleWebhook(no_secret).status, 401);
}

TEST_F(WebhookReceiverTest, BadJsonIs400AndJournalTroubleIs503) {
  EXPECT_EQ(receiver_.HandleWebhook(Post("{not json")).status, 400);
  EXPECT_EQ(receiver_.HandleWebhook(Post(R"({"message":{}})")).status, 400);
  EXPECT_EQ(receiver_.HandleWebhook(Post(kUpdate)).status, 503);
}

TEST(SecretsEqualTest, ComparesWholeSecrets) {
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "ab"));
  EXPECT_FALSE(SecretsEqual("abc", "abcabc"));
  EXPECT_FALSE(SecretsEqual("abc", ""));
  EXPECT_FALSE(SecretsEqual("", ""));  // an unset secret lets nobody in
}

}  // namespace
}  // namespace subguard::ingest
