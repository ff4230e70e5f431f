// The Worker uses gRPC's synchronous client API: one thread per ingest address dials, sends Hello and
// blocks in Read, and the pool threads write their answers under the stream's write lock. That is
// simpler than a client reactor (no holds, no reaction-safe hand-offs) and costs one thread per
// ingest, which is a handful. gRPC allows one Read and one Write in flight at once on a sync stream.
#include "common/dispatch/worker.h"

#include <unistd.h>

#include <atomic>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/base/backoff.h"
#include "common/base/random.h"
#include "common/dispatch/executor.h"
#include "common/dispatch/service.h"
#include "common/observability/log.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "subguard/v1/dispatch.grpc.pb.h"

namespace subguard::dispatch {
namespace {

std::string RoleName(v1::WorkerRole role) {
  switch (role) {
    case v1::WORKER_ROLE_VERIFIER:
      return "verifier";
    case v1::WORKER_ROLE_SENDER:
      return "sender";
    default:
      return "unspecified";
  }
}

std::string DefaultWorkerId() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(host, "-", getpid());
}

struct WorkerMetrics {
  WorkerMetrics(observability::Registry& registry, const std::string& role)
      : streams(prometheus::BuildGauge()
                    .Name("subguard_dispatch_worker_streams")
                    .Help("Streams to ingest instances with an accepted Hello")
                    .Register(registry)
                    .Add({{"role", role}})),
        stream_ends(prometheus::BuildCounter()
                        .Name("subguard_dispatch_worker_stream_ends_total")
                        .Help("Connect calls that ended or failed (each is followed by a reconnect)")
                        .Register(registry)
                        .Add({{"role", role}})),
        acks(AnswerFamily(registry).Add({{"role", role}, {"answer", "ack"}})),
        nacks(AnswerFamily(registry).Add({{"role", role}, {"answer", "nack"}})),
        handle_seconds(
            prometheus::BuildHistogram()
                .Name("subguard_dispatch_worker_handle_seconds")
                .Help("Time the handler took for one delivery")
                .Register(registry)
                .Add({{"role", role}}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                               0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})) {}

  static prometheus::Family<prometheus::Counter>& AnswerFamily(observability::Registry& registry) {
    return prometheus::BuildCounter()
        .Name("subguard_dispatch_worker_answers_total")
        .Help("Deliveries handled, by answer")
        .Register(registry);
  }

  prometheus::Gauge& streams;
  prometheus::Counter& stream_ends;
  prometheus::Counter& acks;
  prometheus::Counter& nacks;
  prometheus::Histogram& handle_seconds;
};

using Stream = grpc::ClientReaderWriter<v1::WorkerMessage, v1::IngestMessage>;

// One Connect call, shared by its link's thread, the pool tasks of its deliveries and Stop.
struct Session {
  grpc::ClientContext context;
  std::unique_ptr<Stream> stream;
  absl::Mutex write_mu;
  // Hello accepted and neither half-closed nor ended: answers may be written.
  bool writable ABSL_GUARDED_BY(write_mu) = false;
};

class WorkerImpl final : public Worker {
 public:
  WorkerImpl(WorkerOptions options, DeliveryHandler& handler, observability::Registry& registry)
      : options_(std::move(options)),
        handler_(handler),
        role_(RoleName(options_.role)),
        metrics_(registry, role_),
        pool_(options_.max_in_flight) {
    if (options_.worker_id.empty()) options_.worker_id = DefaultWorkerId();
  }

  ~WorkerImpl() override { Stop(); }

  void Start() override {
    absl::MutexLock lock(&mu_);
    for (const std::string& address : options_.ingest_addresses) {
      auto link = std::make_unique<Link>();
      link->address = address;
      link->stub = v1::Dispatch::NewStub(
          grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), ChannelArguments()));
      links_.push_back(std::move(link));
    }
    running_links_ = static_cast<int>(links_.size());
    for (auto& link : links_) link->thread = std::thread([this, link = link.get()] { RunLink(*link); });
  }

  void Stop() override {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    pool_.Shutdown();  // the deliveries taken finish, and their answers are written
    for (const std::shared_ptr<Session>& session : OpenSessions()) {
      absl::MutexLock lock(&session->write_mu);
      if (session->writable) {
        // Half-close: the ingest reads every answer before it sees the end, then finishes the call.
        session->writable = false;
        session->stream->WritesDone();
      } else {
        session->context.TryCancel();
      }
    }
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(this, &WorkerImpl::AllLinksEnded), options_.stop_grace);
    }
    for (const std::shared_ptr<Session>& session : OpenSessions()) session->context.TryCancel();
    for (auto& link : links_) {
      if (link->thread.joinable()) link->thread.join();
    }
  }

  absl::Status Connected() const override {
    if (connected_.load() > 0) return absl::OkStatus();
    return absl::UnavailableError("no stream to an ingest is open");
  }

 private:
  struct Link {
    std::string address;
    std::unique_ptr<v1::Dispatch::Stub> stub;
    std::thread thread;
    std::shared_ptr<Session> session;  // the call in progress, for Stop; guarded by WorkerImpl::mu_
  };

  grpc::ChannelArguments ChannelArguments() const {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, static_cast<int>(absl::ToInt64Milliseconds(options_.keepalive_time)));
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, static_cast<int>(absl::ToInt64Milliseconds(options_.keepalive_timeout)));
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    // An idle stream keeps being checked: no cap on pings without data, nor a longer spacing for them.
    args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    args.SetInt(GRPC_ARG_HTTP2_MIN_SENT_PING_INTERVAL_WITHOUT_DATA_MS,
                static_cast<int>(absl::ToInt64Milliseconds(options_.keepalive_time)));
    // gRPC's own reconnect backoff (up to 120 s by default) would outlast ours after an ingest restart.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, static_cast<int>(absl::ToInt64Milliseconds(kBackoffBase)));
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, static_cast<int>(absl::ToInt64Milliseconds(kBackoffBase)));
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                static_cast<int>(absl::ToInt64Milliseconds(options_.reconnect_max_backoff)));
    return args;
  }

  // A link's thread: one call after another until Stop.
  void RunLink(Link& link) {
    const base::BackoffPolicy policy{.base = kBackoffBase, .cap = options_.reconnect_max_backoff};
    int failures = 0;
    while (true) {
      auto session = std::make_shared<Session>();
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) break;
        link.session = session;
      }
      const bool accepted = RunSession(link, session);
      metrics_.stream_ends.Increment();
      failures = accepted ? 0 : failures + 1;
      absl::MutexLock lock(&mu_);
      link.session.reset();
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), base::FullJitterDelay(policy, failures, random_));
    }
    absl::MutexLock lock(&mu_);
    --running_links_;
  }

  // One Connect call, from Hello to Finish. Returns whether the ingest accepted the Hello.
  bool RunSession(const Link& link, const std::shared_ptr<Session>& session) {
    session->stream = link.stub->Connect(&session->context);
    v1::WorkerMessage hello;
    hello.mutable_hello()->set_role(options_.role);
    hello.mutable_hello()->set_worker_id(options_.worker_id);
    hello.mutable_hello()->set_max_in_flight(options_.max_in_flight);
    bool accepted = false;
    // No lock: nothing else writes before the stream is writable.
    if (session->stream->Write(hello)) {
      session->stream->WaitForInitialMetadata();
      accepted = session->context.GetServerInitialMetadata().count(kHelloAcceptedKey) > 0;
    }
    if (accepted) {
      {
        absl::MutexLock lock(&session->write_mu);
        session->writable = true;
      }
      ++connected_;
      metrics_.streams.Increment();
      log::Info("dispatch_worker_connected", {{"address", link.address}, {"role", role_}});
      ReadDeliveries(session);
      {
        absl::MutexLock lock(&session->write_mu);
        session->writable = false;
      }
      --connected_;
      metrics_.streams.Decrement();
    }
    const grpc::Status status = session->stream->Finish();
    log::Info("dispatch_worker_stream_closed", {{"address", link.address},
                                                {"role", role_},
                                                {"code", static_cast<int>(status.error_code())},
                                                {"message", status.error_message()}});
    return accepted;
  }

  void ReadDeliveries(const std::shared_ptr<Session>& session) {
    v1::IngestMessage message;
    while (session->stream->Read(&message)) {
      if (!message.has_delivery() || Stopping()) continue;  // not taken: delivered again when the stream ends
      pool_.Submit([this, session, delivery = std::move(*message.mutable_delivery())] { Handle(*session, delivery); });
    }
  }

  // On a pool thread.
  void Handle(Session& session, const v1::Delivery& delivery) {
    if (!Writable(session)) return;  // its stream broke: the ingest has given it to someone else
    const absl::Time start = absl::Now();
    DeliveryResult result = handler_.Handle(delivery);
    metrics_.handle_seconds.Observe(absl::ToDoubleSeconds(absl::Now() - start));
    v1::WorkerMessage answer;
    if (v1::Ack* ack = std::get_if<v1::Ack>(&result)) {
      *answer.mutable_ack() = std::move(*ack);
      answer.mutable_ack()->set_delivery_id(delivery.delivery_id());
      metrics_.acks.Increment();
    } else {
      *answer.mutable_nack() = std::move(std::get<v1::Nack>(result));
      answer.mutable_nack()->set_delivery_id(delivery.delivery_id());
      metrics_.nacks.Increment();
    }
    absl::MutexLock lock(&session.write_mu);
    if (session.writable && !session.stream->Write(answer)) session.writable = false;
  }

  static bool Writable(Session& session) {
    absl::MutexLock lock(&session.write_mu);
    return session.writable;
  }

  bool Stopping() const {
    absl::MutexLock lock(&mu_);
    return stopping_;
  }

  std::vector<std::shared_ptr<Session>> OpenSessions() const {
    absl::MutexLock lock(&mu_);
    std::vector<std::shared_ptr<Session>> sessions;
    for (const auto& link : links_) {
      if (link->session != nullptr) sessions.push_back(link->session);
    }
    return sessions;
  }

  bool AllLinksEnded() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_links_ == 0; }

  static constexpr absl::Duration kBackoffBase = absl::Milliseconds(100);

  WorkerOptions options_;
  DeliveryHandler& handler_;
  const std::string role_;
  WorkerMetrics metrics_;
  base::RealRandom random_;
  std::atomic<int> connected_{0};

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int running_links_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::unique_ptr<Link>> links_;  // set by Start, before the threads exist

  Executor pool_;  // after what its tasks use
};

}  // namespace

std::unique_ptr<Worker> Worker::Create(WorkerOptions options, DeliveryHandler& handler,
                                       observability::Registry& registry) {
  return std::make_unique<WorkerImpl>(std::move(options), handler, registry);
}

}  // namespace subguard::dispatch
