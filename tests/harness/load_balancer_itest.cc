#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/http/client.h"
#include "common/http/server.h"
#include "gtest/gtest.h"
#include "tests/harness/load_balancer.h"

namespace subguard::harness {
namespace {

// A backend that answers `status` and remembers the bodies and secret headers it received.
class Backend {
 public:
  explicit Backend(int status) {
    server_ = *http::Server::Start({}, [this, status](const http::Request& request) {
      absl::MutexLock lock(&mu_);
      bodies_.push_back(request.body);
      secrets_.emplace_back(request.Header("x-telegram-bot-api-secret-token"));
      return http::Response::Json(status, R"({"ok":true})");
    });
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", server_->port()); }
  void Stop() { server_->Stop(); }
  std::vector<std::string> bodies() {
    absl::MutexLock lock(&mu_);
    return bodies_;
  }
  std::vector<std::string> secrets() {
    absl::MutexLock lock(&mu_);
    return secrets_;
  }

 private:
  std::unique_ptr<http::Server> server_;
  absl::Mutex mu_;
  std::vector<std::string> bodies_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> secrets_ ABSL_GUARDED_BY(mu_);
};

int Post(const LoadBalancer& balancer, const std::string& body) {
  http::HttpClient client;
  auto answer = client.Post(balancer.url("/hook"), "application/json", body, absl::Seconds(10),
                            {"X-Telegram-Bot-Api-Secret-Token: s3cret"});
  return answer.ok() ? answer->status : -1;
}

TEST(LoadBalancerTest, TakesTurnsAndForwardsTheSecretHeader) {
  Backend a(200), b(200);
  auto balancer = LoadBalancer::Start({a.url(), b.url()});
  ASSERT_TRUE(balancer.ok()) << balancer.status();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Post(**balancer, absl::StrCat("u", i)), 200);
  EXPECT_EQ(a.bodies().size(), 2u);
  EXPECT_EQ(b.bodies().size(), 2u);
  EXPECT_EQ(a.secrets(), std::vector<std::string>(2, "s3cret"));
}

TEST(LoadBalancerTest, SkipsABackendThatIsDownAndAnswers502WhenAllAre) {
  Backend a(200), b(200);
  auto balancer = LoadBalancer::Start({a.url(), b.url()});
  ASSERT_TRUE(balancer.ok()) << balancer.status();
  a.Stop();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Post(**balancer, absl::StrCat("u", i)), 200);
  EXPECT_EQ(b.bodies().size(), 3u);
  b.Stop();
  EXPECT_EQ(Post(**balancer, "lost?"), 502);
}

TEST(LoadBalancerTest, PassesABackendsErrorStatusBack) {
  Backend busy(503);
  auto balancer = LoadBalancer::Start({busy.url()});
  ASSERT_TRUE(balancer.ok()) << balancer.status();
  EXPECT_EQ(Post(**balancer, "u"), 503);
  EXPECT_EQ(busy.bodies().size(), 1u);
}

}  // namespace
}  // namespace subguard::harness
