// VerifierEnv: a Verifier with every component it needs, built on a given Bot API, Redis and
// PostgreSQL, the way main wires them; for integration tests.
#pragma once

#include <memory>
#include <string>

#include "common/base/clock.h"
#include "common/base/random.h"
#include "common/observability/metrics.h"
#include "common/pg/pool.h"
#include "common/redis/client.h"
#include "common/telegram/bot_api.h"
#include "services/verifier/config_cache.h"
#include "services/verifier/group_permissions.h"
#include "services/verifier/group_store.h"
#include "services/verifier/join_requests.h"
#include "services/verifier/membership.h"
#include "services/verifier/metrics.h"
#include "services/verifier/prompt_slots.h"
#include "services/verifier/seen_members.h"
#include "services/verifier/verifier.h"

namespace subguard::verifier::testing {

class VerifierEnv {
 public:
  VerifierEnv(telegram::BotApi& bot_api, const redis::RedisOptions& redis_options, const std::string& conninfo,
              decide::BotIdentity bot)
      : redis(redis_options),
        postgres({.conninfo = conninfo, .acquire_timeout = absl::Seconds(2), .connect_timeout = absl::Seconds(2)}),
        metrics(registry),
        store(postgres),
        configs(
            {}, [this](int64_t chat_id) { return store.Load(chat_id); }, base::RealClock::Instance()),
        membership({}, redis, bot_api, random, base::RealClock::Instance(), metrics),
        prompt_slots(redis, absl::Minutes(10)),
        join_requests(redis, absl::Hours(24)),
        seen_members({}, postgres, base::RealClock::Instance()),
        permissions(bot_api, base::RealClock::Instance()),
        registry_metrics(registry),
        chat_registry({}, postgres, base::RealClock::Instance(), random, registry_metrics),
        monitor_store(postgres),
        album_store(postgres),
        sources(
            {}, [this](int64_t chat_id) { return monitor_store.IsSource(chat_id); }, [](int64_t) {},
            base::RealClock::Instance(), registry_metrics),
        monitors(bot, bot_api, monitor_store, chat_registry, album_store, sources, registry_metrics),
        verifier({}, std::move(bot),
                 {.bot_api = bot_api,
                  .membership = membership,
                  .configs = configs,
                  .store = store,
                  .prompt_slots = prompt_slots,
                  .join_requests = join_requests,
                  .seen_members = seen_members,
                  .permissions = permissions,
                  .redis = redis,
                  .metrics = metrics,
                  .monitors = &monitors}) {}

  // A metric's value, e.g. Metric("subguard_verifier_getchatmember_calls_total"); summed over labels
  // unless label (name=value) is given.
  double Metric(const std::string& name, const std::string& label = "");

  observability::Registry registry;
  redis::Pool redis;
  pg::Pool postgres;
  base::RealRandom random;
  VerifierMetrics metrics;
  GroupStore store;
  ConfigCache configs;
  MembershipCache membership;
  PromptSlots prompt_slots;
  JoinRequests join_requests;
  SeenMembers seen_members;
  GroupPermissions permissions;
  monitors::RegistryMetrics registry_metrics;
  monitors::ChatRegistry chat_registry;
  monitors::MonitorStore monitor_store;
  monitors::AlbumStore album_store;
  monitors::SourceCache sources;  // changes are not announced: one verifier
  monitors::Monitors monitors;
  Verifier verifier;
};

}  // namespace subguard::verifier::testing
