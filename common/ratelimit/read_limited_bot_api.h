// ReadLimitedBotApi: a BotApi that puts the reads it passes on (getChatMember, getChat,
// getChatAdministrators, getChatMemberCount: CallClass::kRead) under the bot's read bucket, and sends
// every other call straight through. The verifiers wrap their BotApiClient in one, so all of them draw
// from the same cluster-wide read bucket (ClusterLimiter; a local share while Redis is away).
//
// A read waits for its token at most max_wait (sleeping on the caller's thread); when the limiter asks
// for longer (the bucket is deep in use, or reads are paused after a 429) the read fails at once with
// kUnavailable, so the verifier's worker is freed and the update is delivered again later. A 429 on a
// read pauses every read of the bot, in every process, for its retry_after (Limiter::Pause), and is
// returned as is (kResourceExhausted with the retry_after).
//
// Metrics: subguard_ratelimit_read_waits_total{outcome="waited"|"refused"}, reads that had to wait
// (and then went) or gave up.
// Thread-safe as the wrapped BotApi and Limiter are. Cost: one Limiter::Acquire per read.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/observability/metrics.h"
#include "common/ratelimit/limiter.h"
#include "common/telegram/bot_api.h"
#include "prometheus/counter.h"

namespace subguard::ratelimit {

struct ReadLimitOptions {
  // --ratelimit_reads_max_wait / SUBGUARD_RATELIMIT_READS_MAX_WAIT (1s): the longest a read waits for its
  // token; a longer wait fails the read (kUnavailable) and the update is retried later.
  absl::Duration max_wait = absl::Seconds(1);
};

class ReadLimitedBotApi final : public telegram::BotApi {
 public:
  // bot_api and limiter must outlive this.
  ReadLimitedBotApi(ReadLimitOptions options, telegram::BotApi& bot_api, Limiter& limiter, const base::Clock& clock,
                    observability::Registry& registry);

  absl::StatusOr<boost::json::value> Call(std::string_view method, const boost::json::object& params) override;

 private:
  // OK once a read in scope may go; kUnavailable when it would wait longer than max_wait.
  absl::Status AwaitToken(std::string_view method, const Scope& scope);

  const ReadLimitOptions options_;
  telegram::BotApi& bot_api_;
  Limiter& limiter_;
  const base::Clock& clock_;
  prometheus::Counter& waited_;
  prometheus::Counter& refused_;
};

}  // namespace subguard::ratelimit
