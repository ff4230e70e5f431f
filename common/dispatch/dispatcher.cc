#include "common/dispatch/dispatcher.h"

#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "common/dispatch/dispatch_state.h"
#include "common/dispatch/executor.h"
#include "common/observability/log.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"

namespace subguard::dispatch {
namespace {

struct DispatcherMetrics {
  DispatcherMetrics(observability::Registry& registry, const std::string& role)
      : queued(prometheus::BuildGauge()
                   .Name("subguard_dispatch_queued_items")
                   .Help("Items waiting for a delivery (retry delays included)")
                   .Register(registry)
                   .Add({{"role", role}})),
        in_flight(prometheus::BuildGauge()
                      .Name("subguard_dispatch_inflight_items")
                      .Help("Items delivered and not yet completed")
                      .Register(registry)
                      .Add({{"role", role}})),
        streams(prometheus::BuildGauge()
                    .Name("subguard_dispatch_streams")
                    .Help("Worker streams connected")
                    .Register(registry)
                    .Add({{"role", role}})),
        deliveries(prometheus::BuildCounter()
                       .Name("subguard_dispatch_deliveries_total")
                       .Help("Deliveries written to worker streams, redeliveries included")
                       .Register(registry)
                       .Add({{"role", role}})),
        redeliveries(prometheus::BuildCounter()
                         .Name("subguard_dispatch_redeliveries_total")
                         .Help("Deliveries of an Item delivered before")
                         .Register(registry)
                         .Add({{"role", role}})),
        give_ups(prometheus::BuildCounter()
                     .Name("subguard_dispatch_give_ups_total")
                     .Help("Items handed to on_give_up after max_attempts failures")
                     .Register(registry)
                     .Add({{"role", role}})),
        ack_latency(
            prometheus::BuildHistogram()
                .Name("subguard_dispatch_ack_latency_seconds")
                .Help("From a delivery to its Ack")
                .Register(registry)
                .Add({{"role", role}}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                               0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})) {}

  prometheus::Gauge& queued;
  prometheus::Gauge& in_flight;
  prometheus::Gauge& streams;
  prometheus::Counter& deliveries;
  prometheus::Counter& redeliveries;
  prometheus::Counter& give_ups;
  prometheus::Histogram& ack_latency;
};

class DispatcherImpl final : public Dispatcher {
 public:
  DispatcherImpl(DispatcherOptions options, DispatcherCallbacks callbacks, observability::Registry& registry)
      : options_(std::move(options)),
        callbacks_(std::move(callbacks)),
        metrics_(registry, options_.role_name),
        state_(DispatchStateOptions{.max_queued = options_.max_queued,
                                    .max_attempts = options_.max_attempts,
                                    .retry_delay = options_.retry_delay,
                                    .delivery_timeout = options_.delivery_timeout},
               base::RealClock::Instance()),
        completions_(options_.completion_threads),
        timer_([this] { TimerLoop(); }) {}

  ~DispatcherImpl() override { Stop(); }

  bool Offer(Item item) override {
    Pending pending;
    {
      absl::MutexLock lock(&mu_);
      if (stopped_ || !state_.Offer(std::move(item))) return false;
      pending = TakeWorkLocked();
    }
    Run(std::move(pending));
    return true;
  }

  void DropPartition(int partition) override {
    size_t dropped;
    {
      absl::MutexLock lock(&mu_);
      dropped = state_.DropPartition(partition);
      UpdateGaugesLocked();
    }
    log::Info("dispatch_partition_dropped",
              {{"role", options_.role_name}, {"partition", partition}, {"dropped", uint64_t{dropped}}});
  }

  size_t size() const override {
    absl::MutexLock lock(&mu_);
    return state_.size();
  }

  int streams() const override {
    absl::MutexLock lock(&mu_);
    return state_.streams();
  }

  void Stop() override {
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    timer_.join();
    completions_.Shutdown();
  }

  uint64_t AttachStream(std::shared_ptr<StreamSink> sink, const v1::Hello& hello) override {
    uint64_t stream_id;
    Pending pending;
    {
      absl::MutexLock lock(&mu_);
      stream_id = next_stream_id_++;
      sinks_[stream_id] = std::move(sink);
      state_.AddStream(stream_id, hello.max_in_flight());
      pending = TakeWorkLocked();
    }
    log::Info("dispatch_stream_attached", {{"role", options_.role_name},
                                           {"stream_id", stream_id},
                                           {"worker_id", hello.worker_id()},
                                           {"max_in_flight", hello.max_in_flight()}});
    Run(std::move(pending));
    return stream_id;
  }

  void OnAck(uint64_t stream_id, v1::Ack ack) override {
    const uint64_t delivery_id = ack.delivery_id();
    bool live;
    Pending pending;
    {
      absl::MutexLock lock(&mu_);
      live = state_.Ack(stream_id, std::move(ack));
      pending = TakeWorkLocked();
    }
    if (!live) LogStaleAnswer(stream_id, delivery_id);
    Run(std::move(pending));
  }

  void OnNack(uint64_t stream_id, const v1::Nack& nack) override {
    bool live;
    Pending pending;
    {
      absl::MutexLock lock(&mu_);
      live = state_.Nack(stream_id, nack);
      pending = TakeWorkLocked();
    }
    if (!live) LogStaleAnswer(stream_id, nack.delivery_id());
    Run(std::move(pending));
  }

  void DetachStream(uint64_t stream_id) override {
    Pending pending;
    {
      absl::MutexLock lock(&mu_);
      sinks_.erase(stream_id);
      state_.RemoveStream(stream_id);
      pending = TakeWorkLocked();
    }
    log::Info("dispatch_stream_detached", {{"role", options_.role_name}, {"stream_id", stream_id}});
    Run(std::move(pending));
  }

 private:
  // What to do after a state change, outside the lock.
  struct Pending {
    std::vector<std::pair<std::shared_ptr<StreamSink>, v1::IngestMessage>> sends;
    std::vector<Completion> completions;
  };

  Pending TakeWorkLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Work work = state_.TakeWork();
    Pending pending;
    pending.sends.reserve(work.sends.size());
    for (Outbound& out : work.sends) pending.sends.emplace_back(sinks_.at(out.stream_id), std::move(out.message));
    metrics_.deliveries.Increment(static_cast<double>(work.sends.size()));
    metrics_.redeliveries.Increment(work.redeliveries);
    for (const Completion& completion : work.completions) {
      if (completion.kind == Completion::Kind::kAck) {
        metrics_.ack_latency.Observe(absl::ToDoubleSeconds(completion.latency));
      } else {
        metrics_.give_ups.Increment();
      }
    }
    pending.completions = std::move(work.completions);
    UpdateGaugesLocked();
    if (const std::optional<absl::Time> next = state_.NextWakeup(); next && *next < timer_target_) wake_timer_ = true;
    return pending;
  }

  void UpdateGaugesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    metrics_.queued.Set(static_cast<double>(state_.queued()));
    metrics_.in_flight.Set(static_cast<double>(state_.in_flight()));
    metrics_.streams.Set(state_.streams());
  }

  void Run(Pending pending) {
    for (Completion& completion : pending.completions) {
      // Refused only while stopping: the Item is then left in flight, as the process ends.
      completions_.Submit([this, completion = std::move(completion)] { Complete(completion); });
    }
    for (auto& [sink, message] : pending.sends) sink->Send(std::move(message));
  }

  // On a completion thread: the callback may block.
  void Complete(const Completion& completion) {
    const Item& item = *completion.item;
    absl::Status status;
    if (completion.kind == Completion::Kind::kAck) {
      status = callbacks_.on_ack(item, completion.ack);
    } else {
      log::Warn("dispatch_give_up", {{"role", options_.role_name},
                                     {"journal_id", item.journal_id},
                                     {"partition", item.partition},
                                     {"reason", completion.nack.reason()}});
      status = callbacks_.on_give_up(item, completion.nack);
    }
    if (!status.ok()) {
      log::Warn("dispatch_completion_failed",
                {{"role", options_.role_name}, {"journal_id", item.journal_id}, {"status", status}});
    }
    Pending pending;
    {
      absl::MutexLock lock(&mu_);
      state_.Complete(completion, status);
      pending = TakeWorkLocked();
    }
    Run(std::move(pending));
  }

  void LogStaleAnswer(uint64_t stream_id, uint64_t delivery_id) {
    log::Debug("dispatch_stale_answer",
               {{"role", options_.role_name}, {"stream_id", stream_id}, {"delivery_id", delivery_id}});
  }

  // Runs the timed work (retry delays, delivery deadlines) when it falls due.
  void TimerLoop() {
    while (true) {
      Pending pending;
      {
        absl::MutexLock lock(&mu_);
        timer_target_ = state_.NextWakeup().value_or(absl::InfiniteFuture());
        wake_timer_ = false;
        mu_.AwaitWithDeadline(absl::Condition(this, &DispatcherImpl::TimerShouldWake), timer_target_);
        if (stopped_) return;
        pending = TakeWorkLocked();
      }
      Run(std::move(pending));
    }
  }

  bool TimerShouldWake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wake_timer_ || stopped_; }

  const DispatcherOptions options_;
  const DispatcherCallbacks callbacks_;
  DispatcherMetrics metrics_;

  mutable absl::Mutex mu_;
  DispatchState state_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, std::shared_ptr<StreamSink>> sinks_ ABSL_GUARDED_BY(mu_);
  uint64_t next_stream_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time timer_target_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();  // when the timer wakes next
  bool wake_timer_ ABSL_GUARDED_BY(mu_) = false;                           // the timer must recompute it

  Executor completions_;
  std::thread timer_;  // last: started once everything it uses exists
};

}  // namespace

std::unique_ptr<Dispatcher> Dispatcher::Create(DispatcherOptions options, DispatcherCallbacks callbacks,
                                               observability::Registry& registry) {
  return std::make_unique<DispatcherImpl>(std::move(options), std::move(callbacks), registry);
}

}  // namespace subguard::dispatch
