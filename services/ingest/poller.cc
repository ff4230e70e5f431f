#include "services/ingest/poller.h"

#include "common/observability/log.h"
#include "common/telegram/errors.h"
#include "services/ingest/poll_offset.h"

namespace subguard::ingest {
namespace {

// The poll_errors_total kind of a failed Bot API call.
std::string_view KindOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kFailedPrecondition:  // 409 Conflict
      return "conflict";
    case absl::StatusCode::kUnauthenticated:
      return "unauthorized";
    default:
      return "telegram";
  }
}

}  // namespace

std::vector<std::string> DefaultAllowedUpdates() {
  return {"message",        "edited_message", "channel_post",   "edited_channel_post",
          "callback_query", "chat_member",    "my_chat_member", "chat_join_request"};
}

Poller::Poller(PollerOptions options, telegram::BotApi& bot, journal::Journal& journal, Intake& intake,
               const LeaseKeeper& poller_lease, base::Random& random, observability::Registry& registry)
    : options_(std::move(options)),
      bot_(bot),
      journal_(journal),
      intake_(intake),
      poller_lease_(poller_lease),
      random_(random),
      errors_(prometheus::BuildCounter()
                  .Name("subguard_ingest_poll_errors_total")
                  .Help("Failed polling rounds, by kind (conflict, unauthorized, telegram, journal, backlog)")
                  .Register(registry)) {}

absl::Duration Poller::Fail(std::string_view kind, const absl::Status& status) {
  errors_.Add({{"kind", std::string(kind)}}).Increment();
  absl::Duration delay = base::FullJitterDelay(options_.backoff, failures_++, random_);
  if (std::optional<absl::Duration> retry_after = telegram::RetryAfter(status)) {
    delay = std::max(delay, *retry_after);
  }
  std::string_view why = "";
  if (kind == "conflict") {
    why = "another getUpdates poller uses this token, or a webhook is set: only one receiver may run";
  } else if (kind == "unauthorized") {
    why = "the Bot API server rejects the token: check SUBGUARD_BOT_TOKEN and SUBGUARD_TELEGRAM_API_URL";
  }
  log::Warn("poll_failed", {{"kind", kind},
                            {"error", status},
                            {"why", why},
                            {"retry_in_ms", absl::ToInt64Milliseconds(delay)},
                            {"offset", offset_}});
  return delay;
}

std::optional<absl::Duration> Poller::BecomePoller(uint64_t fence) {
  absl::StatusOr<int64_t> stored = journal_.LoadPollOffset();
  if (!stored.ok()) return Fail("journal", stored.status());
  offset_ = std::max(offset_, *stored);
  if (!webhook_deleted_) {
    absl::StatusOr<boost::json::value> deleted = bot_.Call("deleteWebhook", {{"drop_pending_updates", false}});
    if (!deleted.ok()) return Fail(KindOf(deleted.status()), deleted.status());
    webhook_deleted_ = true;
  }
  fence_ = fence;
  log::Info("poller_active", {{"offset", offset_}, {"fence", fence_}});
  return std::nullopt;
}

absl::Duration Poller::PollOnce() {
  const std::optional<uint64_t> fence = poller_lease_.Fence(journal::kPollerLease);
  if (!fence.has_value()) {
    if (fence_ != 0) log::Info("poller_standby", {{"offset", offset_}});
    fence_ = 0;
    return options_.standby_interval;
  }
  if (*fence != fence_) {
    if (std::optional<absl::Duration> delay = BecomePoller(*fence)) return *delay;
  }

  absl::StatusOr<std::vector<std::string>> updates = bot_.GetUpdates({.offset = offset_,
                                                                      .limit = options_.limit,
                                                                      .timeout = options_.long_poll,
                                                                      .allowed_updates = options_.allowed_updates});
  if (!updates.ok()) return Fail(KindOf(updates.status()), updates.status());

  // Telegram sends a batch in update_id order, so the ids journaled before a failure can be
  // confirmed on their own.
  std::vector<int64_t> done;
  absl::Status journal_error;
  for (const std::string& json : *updates) {
    absl::StatusOr<Accepted> accepted = intake_.Accept(json, Source::kPoll);
    if (accepted.ok()) {
      done.push_back(accepted->update_id);
    } else if (accepted.status().code() == absl::StatusCode::kInvalidArgument) {
      if (std::optional<int64_t> id = UpdateIdOf(json)) done.push_back(*id);
    } else {
      journal_error = accepted.status();
      break;
    }
  }
  const int64_t next = NextOffset(offset_, done);
  if (next != offset_) {
    offset_ = next;
    // Best effort: a standby resuming from an older offset only gets duplicates, which are dropped.
    if (absl::Status saved = journal_.SavePollOffset(fence_, offset_); !saved.ok()) {
      log::Warn("poll_offset_not_saved", {{"offset", offset_}, {"error", saved}});
    }
  }
  if (!journal_error.ok()) {
    // A full backlog means the workers are behind: polling slows down until they catch up.
    return Fail(journal_error.code() == absl::StatusCode::kResourceExhausted ? "backlog" : "journal", journal_error);
  }
  failures_ = 0;
  return absl::ZeroDuration();
}

void Poller::Start() {
  thread_ = std::thread([this] {
    while (!stop_.HasBeenNotified()) {
      const absl::Duration delay = PollOnce();
      if (delay > absl::ZeroDuration()) stop_.WaitForNotificationWithTimeout(delay);
    }
  });
}

void Poller::RequestStop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
}

void Poller::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace subguard::ingest
