#include "services/sandbox/webhook_pusher.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/base/strings.h"
#include "common/http/client.h"
#include "common/observability/log.h"

namespace subguard::sandbox {
namespace {

// How many pending updates one pick looks at for the next deliverable one.
constexpr size_t kScanLimit = 1000;

std::string_view Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

}  // namespace

WebhookPusher::WebhookPusher(UpdateQueue& queue, const base::Clock& clock, base::Random& random,
                             const WebhookPusherOptions& options)
    : queue_(queue), clock_(clock), random_(random), options_(options) {
  for (int i = 0; i < std::max(options_.threads, 1); ++i) workers_.emplace_back([this] { Work(); });
}

WebhookPusher::~WebhookPusher() { Stop(); }

bool WebhookPusher::Set(const WebhookSettings& settings) {
  {
    std::lock_guard lock(mu_);
    if (status_.settings == settings) return false;
    status_ = WebhookStatus{.settings = settings};
    retries_.clear();
  }
  queue_.SetWebhookActive(!settings.url.empty());
  wake_.notify_all();
  return true;
}

WebhookStatus WebhookPusher::Status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void WebhookPusher::Notify() { wake_.notify_all(); }

void WebhookPusher::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void WebhookPusher::Work() {
  http::HttpClient client;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    Delivery delivery;
    absl::Time next_wakeup = absl::InfiniteFuture();
    if (!PickLocked(&delivery, &next_wakeup)) {
      // Wake at the next retry time, and at least every second so a retry never waits on a missed notify.
      const absl::Duration wait = std::clamp(next_wakeup - clock_.Now(), absl::Milliseconds(1), absl::Seconds(1));
      wake_.wait_for(lock, absl::ToChronoMilliseconds(wait));
      continue;
    }
    const int64_t key = delivery.update.queue_key;
    in_flight_keys_.insert(key);
    lock.unlock();

    std::vector<std::string> headers;
    if (!delivery.settings.secret_token.empty()) {
      headers.push_back(absl::StrCat("X-Telegram-Bot-Api-Secret-Token: ", delivery.settings.secret_token));
    }
    auto response = client.Post(delivery.settings.url, "application/json",
                                boost::json::serialize(delivery.update.update), options_.request_timeout, headers);
    std::string error;
    if (!response.ok()) {
      error = std::string(response.status().message());
    } else if (response->status < 200 || response->status > 299) {
      error = absl::StrCat("Wrong response from the webhook: ", response->status, " ",
                           base::ToAbsl(Reason(response->status)));
    }

    lock.lock();
    in_flight_keys_.erase(key);
    FinishLocked(delivery.update, error);
    wake_.notify_all();  // the chat's next update may go now
  }
}

bool WebhookPusher::PickLocked(Delivery* delivery, absl::Time* next_wakeup) {
  if (status_.settings.url.empty()) return false;
  const size_t max_in_flight = static_cast<size_t>(std::max(status_.settings.max_connections, 1));
  if (in_flight_keys_.size() >= max_in_flight) return false;
  const std::vector<UpdateQueue::PendingKey> pending = queue_.PendingKeys(kScanLimit);
  if (pending.empty()) {
    retries_.clear();
    return false;
  }
  // Retry state of updates no longer pending (delivered, dropped or cleared) is not needed.
  retries_.erase(retries_.begin(), retries_.lower_bound(pending.front().update_id));
  const absl::Time now = clock_.Now();
  std::set<int64_t> seen_keys;
  for (const UpdateQueue::PendingKey& key : pending) {
    // Only the oldest pending update of a chat may go, and only while none of that chat is in flight.
    if (!seen_keys.insert(key.queue_key).second || in_flight_keys_.contains(key.queue_key)) continue;
    if (auto it = retries_.find(key.update_id); it != retries_.end() && it->second.wakeup > now) {
      *next_wakeup = std::min(*next_wakeup, it->second.wakeup);
      continue;
    }
    std::optional<QueuedUpdate> update = queue_.Find(key.update_id);
    if (!update.has_value()) continue;  // confirmed meanwhile
    *delivery = Delivery{*std::move(update), status_.settings};
    return true;
  }
  return false;
}

void WebhookPusher::FinishLocked(const QueuedUpdate& update, const std::string& error) {
  if (error.empty()) {
    queue_.Forget(update.update_id);
    retries_.erase(update.update_id);
    return;
  }
  const absl::Time now = clock_.Now();
  status_.last_error_date = absl::ToUnixSeconds(now);
  status_.last_error_message = error;
  log::Warn("sandbox_webhook_delivery_failed", {{"update_id", update.update_id}, {"error", error}});
  // WebhookActor.cpp on_update_error: retry the first failure at once, then double the delay up to a
  // random cap between 60 and 120 seconds.
  Retry& retry = retries_[update.update_id];
  int delay_seconds = 0;
  if (retry.fail_count > 0) {
    const int cap = 60 + static_cast<int>(60 * random_.Uniform());
    retry.delay_seconds = std::min(cap, retry.delay_seconds * 2);
    delay_seconds = retry.delay_seconds;
  }
  ++retry.fail_count;
  retry.wakeup = now + absl::Seconds(delay_seconds);
}

}  // namespace subguard::sandbox
