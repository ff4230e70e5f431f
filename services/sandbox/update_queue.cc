#include "services/sandbox/update_queue.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "absl/strings/ascii.h"
#include "services/sandbox/errors.h"

namespace subguard::sandbox {
namespace {

// Client.cpp get_update_type_name, in its UpdateType order (bit i of a mask is kUpdateTypes[i]).
constexpr std::array<std::string_view, 22> kUpdateTypes = {"message",
                                                           "edited_message",
                                                           "channel_post",
                                                           "edited_channel_post",
                                                           "inline_query",
                                                           "chosen_inline_result",
                                                           "callback_query",
                                                           "shipping_query",
                                                           "pre_checkout_query",
                                                           "poll",
                                                           "poll_answer",
                                                           "my_chat_member",
                                                           "chat_member",
                                                           "chat_join_request",
                                                           "chat_boost",
                                                           "removed_chat_boost",
                                                           "message_reaction",
                                                           "message_reaction_count",
                                                           "business_connection",
                                                           "business_message",
                                                           "edited_business_message",
                                                           "deleted_business_messages"};

int TypeBit(std::string_view type) {
  for (size_t i = 0; i < kUpdateTypes.size(); ++i) {
    if (kUpdateTypes[i] == type) return static_cast<int>(i);
  }
  return -1;
}

uint32_t DefaultMask() {
  uint32_t mask = (uint32_t{1} << kUpdateTypes.size()) - 1;
  for (std::string_view excluded : {"chat_member", "message_reaction", "message_reaction_count"}) {
    mask &= ~(uint32_t{1} << TypeBit(excluded));
  }
  return mask;
}

// The official server answers at most about 4 MiB of updates at once.
constexpr size_t kMaxAnswerBytes = size_t{1} << 22;

}  // namespace

UpdateQueue::UpdateQueue(const UpdateQueueOptions& options)
    : options_(options), next_update_id_(options.first_update_id), allowed_mask_(DefaultMask()) {}

int64_t UpdateQueue::Push(std::string_view type, boost::json::value payload, int64_t queue_key) {
  int64_t update_id = 0;
  {
    std::lock_guard lock(mu_);
    const int bit = TypeBit(type);
    if (bit < 0 || ((allowed_mask_ >> bit) & 1) == 0) return 0;
    update_id = next_update_id_++;
    QueuedUpdate& queued = pending_[update_id];
    queued.update_id = update_id;
    queued.type = std::string(type);
    queued.queue_key = queue_key;
    queued.update["update_id"] = update_id;
    queued.update[type] = std::move(payload);
    while (pending_.size() > std::max<size_t>(options_.max_pending, 1)) {
      pending_.erase(pending_.begin());
      ++dropped_;
    }
  }
  changed_.notify_all();
  if (listener_) listener_();
  return update_id;
}

std::vector<QueuedUpdate> UpdateQueue::Collect(int64_t from, int limit) const {
  std::vector<QueuedUpdate> result;
  size_t bytes = 0;
  for (auto it = pending_.lower_bound(from); it != pending_.end() && static_cast<int>(result.size()) < limit; ++it) {
    bytes += 50 + boost::json::serialize(it->second.update).size();
    if (!result.empty() && bytes > kMaxAnswerBytes) break;
    result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<std::vector<QueuedUpdate>> UpdateQueue::GetUpdates(const GetUpdatesRequest& request) {
  const int limit = std::clamp(request.limit, 1, 100);
  std::unique_lock lock(mu_);
  if (webhook_active_) {
    return Conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  }
  if (shutdown_) return InternalServerError("restart");
  // Which update the answer starts from, and what the offset confirms (Client.cpp do_get_updates, TQueue).
  const int64_t head = pending_.empty() ? next_update_id_ : pending_.begin()->first;
  int64_t from = head;
  if (request.offset < 0) {
    while (static_cast<int64_t>(pending_.size()) > -request.offset) pending_.erase(pending_.begin());
    from = pending_.empty() ? next_update_id_ : pending_.begin()->first;
  } else if (request.offset > 0 && request.offset <= next_update_id_) {
    pending_.erase(pending_.begin(), pending_.lower_bound(request.offset));
    from = request.offset;
  }
  std::vector<QueuedUpdate> updates = Collect(from, limit);
  if (!updates.empty() || request.timeout <= absl::ZeroDuration()) return updates;

  // Wait for an update; a newer waiting call or a webhook ends this one.
  const int64_t generation = ++poll_generation_;
  const int64_t webhook_generation = webhook_generation_;
  changed_.notify_all();
  ++waiting_;
  absl::StatusOr<std::vector<QueuedUpdate>> result =
      Wait(lock, generation, webhook_generation, from, limit, absl::ToChronoNanoseconds(request.timeout));
  --waiting_;
  return result;
}

absl::StatusOr<std::vector<QueuedUpdate>> UpdateQueue::Wait(std::unique_lock<std::mutex>& lock, int64_t generation,
                                                            int64_t webhook_generation, int64_t from, int limit,
                                                            std::chrono::nanoseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (generation != poll_generation_) {
      return Conflict("terminated by other getUpdates request; make sure that only one bot instance is running");
    }
    if (webhook_generation != webhook_generation_) return Conflict("terminated by setWebhook request");
    if (shutdown_) return InternalServerError("restart");
    std::vector<QueuedUpdate> updates = Collect(from, limit);
    if (!updates.empty()) return updates;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) return Collect(from, limit);
  }
}

void UpdateQueue::UpdateAllowed(std::string_view allowed_updates_json) {
  if (allowed_updates_json.empty()) return;
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(allowed_updates_json, ec);
  if (ec || !value.is_array()) return;
  uint32_t mask = 0;
  for (const boost::json::value& name : value.as_array()) {
    if (!name.is_string()) return;
    const int bit = TypeBit(absl::AsciiStrToLower(std::string(name.as_string())));
    if (bit >= 0) mask |= uint32_t{1} << bit;
  }
  std::lock_guard lock(mu_);
  allowed_mask_ = mask == 0 ? DefaultMask() : mask;
}

bool UpdateQueue::AllowedIsDefault() const {
  std::lock_guard lock(mu_);
  return allowed_mask_ == DefaultMask();
}

std::vector<std::string> UpdateQueue::AllowedNames() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  for (size_t i = 0; i < kUpdateTypes.size(); ++i) {
    if ((allowed_mask_ >> i) & 1) names.emplace_back(kUpdateTypes[i]);
  }
  return names;
}

void UpdateQueue::SetWebhookActive(bool active) {
  {
    std::lock_guard lock(mu_);
    if (active && !webhook_active_) ++webhook_generation_;
    webhook_active_ = active;
  }
  changed_.notify_all();
}

std::vector<UpdateQueue::PendingKey> UpdateQueue::PendingKeys(size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<PendingKey> keys;
  for (auto it = pending_.begin(); it != pending_.end() && keys.size() < limit; ++it) {
    keys.push_back({it->first, it->second.queue_key});
  }
  return keys;
}

std::optional<QueuedUpdate> UpdateQueue::Find(int64_t update_id) const {
  std::lock_guard lock(mu_);
  auto it = pending_.find(update_id);
  if (it == pending_.end()) return std::nullopt;
  return it->second;
}

void UpdateQueue::Forget(int64_t update_id) {
  std::lock_guard lock(mu_);
  pending_.erase(update_id);
}

void UpdateQueue::Clear() {
  std::lock_guard lock(mu_);
  pending_.clear();
}

size_t UpdateQueue::pending_count() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

uint64_t UpdateQueue::dropped_count() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

int UpdateQueue::waiting_polls() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

void UpdateQueue::SetListener(std::function<void()> listener) { listener_ = std::move(listener); }

void UpdateQueue::Shutdown() {
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
  }
  changed_.notify_all();
}

}  // namespace subguard::sandbox
