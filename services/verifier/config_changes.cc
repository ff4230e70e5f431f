#include "services/verifier/config_changes.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/observability/log.h"

namespace subguard::verifier {
namespace {

constexpr absl::Duration kReconnectDelay = absl::Seconds(1);

// The id of the stream's newest entry, or "0-0" when it is empty.
absl::StatusOr<std::string> NewestId(redis::Connection& connection) {
  auto reply = connection.Command({"XREVRANGE", kConfigChangedStream, "+", "-", "COUNT", "1"});
  if (!reply.ok()) return reply.status();
  if (reply->elements.empty() || reply->elements[0].elements.empty()) return std::string("0-0");
  return reply->elements[0].elements[0].str;
}

}  // namespace

absl::Status PublishConfigChange(redis::Pool& redis, int64_t chat_id) {
  return redis.Command({"XADD", kConfigChangedStream, "MAXLEN", "~", "1000", "*", "chat", absl::StrCat(chat_id)})
      .status();
}

ConfigChangeListener::ConfigChangeListener(redis::RedisOptions redis_options, ConfigCache& cache, absl::Duration block,
                                           AlsoInvalidate also)
    : redis_options_(std::move(redis_options)), cache_(cache), also_(std::move(also)), block_(block) {}

ConfigChangeListener::~ConfigChangeListener() { Stop(); }

void ConfigChangeListener::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ConfigChangeListener::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ConfigChangeListener::Run() {
  while (!stop_.HasBeenNotified()) {
    absl::Status status = [&]() -> absl::Status {
      ASSIGN_OR_RETURN(std::unique_ptr<redis::Connection> connection, redis::Connection::Open(redis_options_));
      if (last_id_.empty()) {
        ASSIGN_OR_RETURN(last_id_, NewestId(*connection));
      }
      // Changes may have gone by while we were away.
      cache_.InvalidateAll();
      if (also_) also_(std::nullopt);
      return Listen(*connection);
    }();
    if (!status.ok()) log::Warn("config_listener_disconnected", {{"status", status}});
    stop_.WaitForNotificationWithTimeout(kReconnectDelay);
  }
}

absl::Status ConfigChangeListener::Listen(redis::Connection& connection) {
  const std::string block_ms = absl::StrCat(absl::ToInt64Milliseconds(block_));
  while (!stop_.HasBeenNotified()) {
    auto reply =
        connection.Command({"XREAD", "COUNT", "100", "BLOCK", block_ms, "STREAMS", kConfigChangedStream, last_id_});
    if (!reply.ok()) return reply.status();
    if (reply->is_nil()) continue;  // nothing within block_
    // [[stream, [[id, [field, value, ...]], ...]]]
    for (const redis::Reply& stream : reply->elements) {
      if (stream.elements.size() < 2) continue;
      for (const redis::Reply& entry : stream.elements[1].elements) {
        if (entry.elements.size() < 2) continue;
        last_id_ = entry.elements[0].str;
        const auto& fields = entry.elements[1].elements;
        for (size_t i = 0; i + 1 < fields.size(); i += 2) {
          int64_t chat_id = 0;
          if (fields[i].str != "chat" || !absl::SimpleAtoi(fields[i + 1].str, &chat_id)) continue;
          cache_.Invalidate(chat_id);
          if (also_) also_(chat_id);
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace subguard::verifier
