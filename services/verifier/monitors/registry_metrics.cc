#include "services/verifier/monitors/registry_metrics.h"

namespace subguard::verifier::monitors {

RegistryMetrics::RegistryMetrics(observability::Registry& registry)
    : outcomes_(prometheus::BuildCounter()
                    .Name("subguard_monitors_outcomes_total")
                    .Help("Monitor deliveries' outcomes folded into the chat registry, by result")
                    .Register(registry)),
      held_(prometheus::BuildCounter()
                .Name("subguard_monitors_held_posts_total")
                .Help("Monitor posts held for a destination in cool-down")
                .Register(registry)
                .Add({})),
      dropped_(prometheus::BuildCounter()
                   .Name("subguard_monitors_held_dropped_total")
                   .Help("Held monitor posts dropped, the oldest beyond the bound per destination")
                   .Register(registry)
                   .Add({})),
      unsendable_(prometheus::BuildCounter()
                      .Name("subguard_monitors_unsendable_posts_total")
                      .Help("Monitor posts dropped because Telegram refused the post itself")
                      .Register(registry)
                      .Add({})),
      flushes_(prometheus::BuildCounter()
                   .Name("subguard_monitors_flushes_total")
                   .Help("Flushes of a recovered destination's held posts requested")
                   .Register(registry)
                   .Add({})),
      seen_cache_entries_(prometheus::BuildGauge()
                              .Name("subguard_monitors_seen_cache_entries")
                              .Help("Chats in the in-process last-seen cache of the chat registry")
                              .Register(registry)
                              .Add({})),
      source_cache_entries_(prometheus::BuildGauge()
                                .Name("subguard_monitors_source_cache_entries")
                                .Help("Chats in the in-process cache of whether a chat is a monitor source")
                                .Register(registry)
                                .Add({})),
      albums_(prometheus::BuildCounter()
                  .Name("subguard_monitors_albums_total")
                  .Help("Albums of monitored sources answered as one group per destination")
                  .Register(registry)
                  .Add({})) {}

void RegistryMetrics::CountOutcome(bool ok) { outcomes_.Add({{"result", ok ? "ok" : "failed"}}).Increment(); }

}  // namespace subguard::verifier::monitors
