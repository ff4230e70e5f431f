// JoinRequests: pending requests to join a linked channel (chat_join_request updates), which a group
// may count as joined (/settings join_requests on; private channels with join requests are common).
//
// Key sg:joinreq:{c<channel>}:<user> exists for ttl after the request. Telegram tells the bot nothing
// when another admin declines a request, so the ttl bounds how long a declined one still counts.
// With Redis away nothing is recorded and nothing counts: the user is asked to join, as without the
// setting.
// Used by the Verifier on its worker threads. Thread-safe. Cost: one Redis round trip.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/redis/client.h"

namespace subguard::verifier {

class JoinRequests {
 public:
  // ttl: --join_request_ttl / SUBGUARD_JOIN_REQUEST_TTL; default 24h.
  JoinRequests(redis::Pool& redis, absl::Duration ttl) : redis_(redis), ttl_(ttl) {}

  // Records user_id's request to join channel_id; an error means it was not recorded.
  absl::Status Record(int64_t channel_id, int64_t user_id);
  // Whether user_id asked to join channel_id within the ttl; false when Redis is away.
  bool Pending(int64_t channel_id, int64_t user_id);

  static std::string Key(int64_t channel_id, int64_t user_id);

 private:
  redis::Pool& redis_;
  const absl::Duration ttl_;
};

}  // namespace subguard::verifier
