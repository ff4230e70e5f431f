// The dispatch plumbing end to end in one process: the real DispatchServer and Dispatchers, real
// Workers, real sockets on loopback (port 0).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/dispatch/dispatcher.h"
#include "common/dispatch/server.h"
#include "common/dispatch/worker.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "subguard/v1/dispatch.grpc.pb.h"
#include "tests/harness/process.h"

namespace subguard::dispatch {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Pair;

int64_t Tag(const v1::Delivery& delivery) { return delivery.update().update_id(); }

Item MakeItem(int64_t key, int64_t tag) {
  Item item;
  item.ordering_key = key;
  item.journal_id = std::to_string(tag);
  item.delivery.mutable_update()->set_update_id(tag);
  item.delivery.mutable_update()->set_chat_id(key);
  return item;
}

// What the workers were handed, across workers. Thread-safe.
class DeliveryLog {
 public:
  struct Seen {
    std::string worker;
    int64_t key;
    int64_t tag;
    uint32_t attempt;
  };

  void Add(Seen seen) {
    absl::MutexLock lock(&mu_);
    seen_.push_back(std::move(seen));
  }
  std::vector<Seen> All() const {
    absl::MutexLock lock(&mu_);
    return seen_;
  }
  size_t CountFor(const std::string& worker) const {
    absl::MutexLock lock(&mu_);
    return std::count_if(seen_.begin(), seen_.end(), [&](const Seen& s) { return s.worker == worker; });
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Seen> seen_ ABSL_GUARDED_BY(mu_);
};

// A worker's handler: logs each delivery, then answers with respond (an Ack by default).
class TestHandler : public DeliveryHandler {
 public:
  TestHandler(std::string name, DeliveryLog& log) : name_(std::move(name)), log_(log) {}

  DeliveryResult Handle(const v1::Delivery& delivery) override {
    log_.Add({name_, delivery.update().chat_id(), Tag(delivery), delivery.attempt()});
    if (respond) return respond(delivery);
    return v1::Ack{};
  }

  std::function<DeliveryResult(const v1::Delivery&)> respond;  // set before the worker starts

 private:
  const std::string name_;
  DeliveryLog& log_;
};

// The ingest side: two Dispatchers behind a DispatchServer, recording what on_ack and on_give_up see.
class TestIngest {
 public:
  explicit TestIngest(DispatcherOptions options) {
    options.role_name = "verifier";
    verifiers_ = Dispatcher::Create(options, Callbacks(), registry_);
    options.role_name = "sender";
    senders_ = Dispatcher::Create(options, Callbacks(), registry_);
    auto server = DispatchServer::Start(ServeOptions{.address = "127.0.0.1:0"}, *verifiers_, *senders_);
    EXPECT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }

  ~TestIngest() {
    server_->Shutdown();
    verifiers_->Stop();
    senders_->Stop();
  }

  Dispatcher& verifiers() { return *verifiers_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(server_->port()); }
  observability::Registry& registry() { return registry_; }

  // on_ack answers this error, once, for each tag listed.
  void FailOnAckOnce(int64_t tag) {
    absl::MutexLock lock(&mu_);
    fail_on_ack_.insert(tag);
  }

  // Tags whose on_ack returned OK, per key, in order.
  std::map<int64_t, std::vector<int64_t>> Acked() const {
    absl::MutexLock lock(&mu_);
    return acked_;
  }
  size_t AckedCount() const {
    absl::MutexLock lock(&mu_);
    size_t count = 0;
    for (const auto& [key, tags] : acked_) count += tags.size();
    return count;
  }
  std::vector<int64_t> OnAckCalls() const {
    absl::MutexLock lock(&mu_);
    return on_ack_calls_;
  }
  std::vector<std::pair<int64_t, std::string>> GaveUp() const {
    absl::MutexLock lock(&mu_);
    return gave_up_;
  }

 private:
  DispatcherCallbacks Callbacks() {
    return DispatcherCallbacks{
        .on_ack =
            [this](const Item& item, const v1::Ack&) {
              absl::MutexLock lock(&mu_);
              const int64_t tag = Tag(item.delivery);
              on_ack_calls_.push_back(tag);
              if (fail_on_ack_.erase(tag) > 0) return absl::UnavailableError("journal unavailable");
              acked_[item.ordering_key].push_back(tag);
              return absl::OkStatus();
            },
        .on_give_up =
            [this](const Item& item, const v1::Nack& nack) {
              absl::MutexLock lock(&mu_);
              gave_up_.emplace_back(Tag(item.delivery), nack.reason());
              return absl::OkStatus();
            },
    };
  }

  observability::Registry registry_;
  std::unique_ptr<Dispatcher> verifiers_;
  std::unique_ptr<Dispatcher> senders_;
  std::unique_ptr<DispatchServer> server_;

  mutable absl::Mutex mu_;
  absl::flat_hash_set<int64_t> fail_on_ack_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, std::vector<int64_t>> acked_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> on_ack_calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<int64_t, std::string>> gave_up_ ABSL_GUARDED_BY(mu_);
};

class DispatchTest : public ::testing::Test {
 protected:
  explicit DispatchTest(DispatcherOptions options = {.retry_delay = absl::Milliseconds(10)}) : ingest_(options) {}

  ~DispatchTest() override {
    for (auto& worker : workers_) worker->Stop();
  }

  // A handler that lives until the workers have stopped.
  TestHandler& NewHandler(std::string name) {
    handlers_.push_back(std::make_unique<TestHandler>(std::move(name), log_));
    return *handlers_.back();
  }

  // Starts a verifier worker dialling the ingest.
  Worker& StartWorker(TestHandler& handler, int max_in_flight = 4) {
    workers_.push_back(Worker::Create(WorkerOptions{.ingest_addresses = {ingest_.address()},
                                                    .worker_id = "test",
                                                    .role = v1::WORKER_ROLE_VERIFIER,
                                                    .max_in_flight = max_in_flight,
                                                    .reconnect_max_backoff = absl::Milliseconds(200)},
                                      handler, worker_registry_));
    workers_.back()->Start();
    return *workers_.back();
  }

  // Offers items tagged 1, 2, ... to keys 1..keys, items_per_key each, round robin; returns the count.
  int OfferItems(int keys, int items_per_key) {
    int tag = 0;
    for (int i = 0; i < items_per_key; ++i) {
      for (int key = 1; key <= keys; ++key) EXPECT_TRUE(ingest_.verifiers().Offer(MakeItem(key, ++tag)));
    }
    return tag;
  }

  // Every tag 1..count acked once, each key's tags in the order offered.
  void ExpectAckedOnceInOrder(int count) {
    std::set<int64_t> tags;
    for (const auto& [key, acked] : ingest_.Acked()) {
      EXPECT_TRUE(std::is_sorted(acked.begin(), acked.end())) << "key " << key;
      for (int64_t tag : acked) EXPECT_TRUE(tags.insert(tag).second) << "tag " << tag << " acked twice";
    }
    EXPECT_EQ(tags.size(), static_cast<size_t>(count));
  }

  // Each key's deliveries, across workers, never go back to an earlier Item.
  void ExpectDeliveredInKeyOrder() {
    std::map<int64_t, int64_t> last;
    for (const DeliveryLog::Seen& seen : log_.All()) {
      EXPECT_GE(seen.tag, last[seen.key]) << "key " << seen.key;
      last[seen.key] = seen.tag;
    }
  }

  TestIngest ingest_;
  DeliveryLog log_;
  observability::Registry worker_registry_;
  std::vector<std::unique_ptr<TestHandler>> handlers_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

TEST_F(DispatchTest, DeliversEveryItemOnceInKeyOrderAcrossWorkers) {
  TestHandler& a = NewHandler("a");
  TestHandler& b = NewHandler("b");
  Worker& worker_a = StartWorker(a);
  StartWorker(b);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().streams() == 2; }));
  EXPECT_TRUE(worker_a.Connected().ok());

  const int count = OfferItems(/*keys=*/20, /*items_per_key=*/10);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == static_cast<size_t>(count); }));

  ExpectAckedOnceInOrder(count);
  ExpectDeliveredInKeyOrder();
  EXPECT_EQ(log_.All().size(), static_cast<size_t>(count));  // no redelivery
  EXPECT_GT(log_.CountFor("a"), 0u);
  EXPECT_GT(log_.CountFor("b"), 0u);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().size() == 0; }));
}

TEST_F(DispatchTest, BrokenStreamIsRedeliveredToAnotherWorker) {
  // A worker that takes deliveries and vanishes without answering, as one killed would.
  auto stub = v1::Dispatch::NewStub(grpc::CreateChannel(ingest_.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  auto stream = stub->Connect(&context);
  v1::WorkerMessage hello;
  hello.mutable_hello()->set_role(v1::WORKER_ROLE_VERIFIER);
  hello.mutable_hello()->set_worker_id("doomed");
  hello.mutable_hello()->set_max_in_flight(10);
  ASSERT_TRUE(stream->Write(hello));
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().streams() == 1; }));

  const int count = OfferItems(/*keys=*/2, /*items_per_key=*/2);  // key 1: tags 1, 3; key 2: tags 2, 4
  std::set<int64_t> taken;
  v1::IngestMessage message;
  while (taken.size() < 2 && stream->Read(&message)) taken.insert(Tag(message.delivery()));
  EXPECT_EQ(taken, (std::set<int64_t>{1, 2}));

  TestHandler& b = NewHandler("b");
  StartWorker(b);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().streams() == 2; }));
  EXPECT_TRUE(ingest_.Acked().empty());  // both keys are held by the doomed stream
  context.TryCancel();
  stream->Finish();

  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == static_cast<size_t>(count); }));
  ExpectAckedOnceInOrder(count);
  ExpectDeliveredInKeyOrder();
  std::vector<std::pair<int64_t, uint32_t>> attempts;
  for (const DeliveryLog::Seen& seen : log_.All()) attempts.emplace_back(seen.tag, seen.attempt);
  EXPECT_THAT(attempts, Contains(Pair(1, 2u)));
  EXPECT_THAT(attempts, Contains(Pair(2, 2u)));
}

TEST_F(DispatchTest, WorkerStoppedMidWayLeavesNothingBehind) {
  absl::Notification gate;
  TestHandler& a = NewHandler("a");
  TestHandler& b = NewHandler("b");
  a.respond = [&](const v1::Delivery&) -> DeliveryResult {
    gate.WaitForNotification();
    return v1::Ack{};
  };
  Worker& worker_a = StartWorker(a);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().streams() == 1; }));
  const int count = OfferItems(/*keys=*/10, /*items_per_key=*/5);
  ASSERT_TRUE(harness::WaitFor([&] { return log_.CountFor("a") > 0; }));
  StartWorker(b);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().streams() == 2; }));

  std::thread stopper([&] { worker_a.Stop(); });
  gate.Notify();
  stopper.join();
  EXPECT_FALSE(worker_a.Connected().ok());

  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == static_cast<size_t>(count); }));
  ExpectAckedOnceInOrder(count);
  ExpectDeliveredInKeyOrder();
  EXPECT_EQ(ingest_.verifiers().streams(), 1);
}

TEST_F(DispatchTest, NackedItemIsRetriedBeforeTheKeysNextItem) {
  TestHandler& a = NewHandler("a");
  a.respond = [](const v1::Delivery& delivery) -> DeliveryResult {
    if (delivery.attempt() > 1 || Tag(delivery) % 2 == 0) return v1::Ack{};
    v1::Nack nack;
    nack.set_reason("try later");
    nack.set_retry_after_ms(20);
    return nack;
  };
  StartWorker(a);
  const int count = OfferItems(/*keys=*/3, /*items_per_key=*/4);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == static_cast<size_t>(count); }));

  ExpectAckedOnceInOrder(count);
  ExpectDeliveredInKeyOrder();
  EXPECT_EQ(log_.All().size(), static_cast<size_t>(count + count / 2));  // odd tags twice
  EXPECT_THAT(ingest_.GaveUp(), IsEmpty());
}

TEST_F(DispatchTest, FailedOnAckIsRedelivered) {
  ingest_.FailOnAckOnce(1);
  TestHandler& a = NewHandler("a");
  StartWorker(a);
  const int count = OfferItems(/*keys=*/1, /*items_per_key=*/3);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == static_cast<size_t>(count); }));

  EXPECT_EQ(ingest_.OnAckCalls(), (std::vector<int64_t>{1, 1, 2, 3}));
  ExpectAckedOnceInOrder(count);
  ExpectDeliveredInKeyOrder();
  EXPECT_EQ(log_.All().size(), 4u);
}

class DispatchGiveUpTest : public DispatchTest {
 protected:
  DispatchGiveUpTest() : DispatchTest({.max_attempts = 3, .retry_delay = absl::Milliseconds(10)}) {}
};

TEST_F(DispatchGiveUpTest, ItemNackedMaxAttemptsTimesIsGivenUp) {
  TestHandler& a = NewHandler("a");
  a.respond = [](const v1::Delivery& delivery) -> DeliveryResult {
    if (Tag(delivery) != 1) return v1::Ack{};
    v1::Nack nack;
    nack.set_reason("poison");
    return nack;
  };
  StartWorker(a);
  OfferItems(/*keys=*/1, /*items_per_key=*/2);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == 1; }));

  EXPECT_EQ(ingest_.GaveUp(), (std::vector<std::pair<int64_t, std::string>>{{1, "poison"}}));
  EXPECT_EQ(ingest_.Acked().at(1), std::vector<int64_t>{2});
  EXPECT_EQ(log_.All().size(), 4u);  // tag 1 three times, then tag 2
}

class DispatchTimeoutTest : public DispatchTest {
 protected:
  DispatchTimeoutTest()
      : DispatchTest({.retry_delay = absl::Milliseconds(10), .delivery_timeout = absl::Milliseconds(50)}) {}
};

TEST_F(DispatchTimeoutTest, UnansweredDeliveryGoesElsewhereAndItsLateAckIsIgnored) {
  absl::Notification gate;
  TestHandler& a = NewHandler("a");
  TestHandler& b = NewHandler("b");
  a.respond = [&](const v1::Delivery&) -> DeliveryResult {
    gate.WaitForNotification();
    return v1::Ack{};
  };
  Worker& worker_a = StartWorker(a);
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().streams() == 1; }));
  ASSERT_TRUE(ingest_.verifiers().Offer(MakeItem(1, 1)));
  ASSERT_TRUE(harness::WaitFor([&] { return log_.CountFor("a") == 1; }));
  StartWorker(b);

  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == 1; }));
  gate.Notify();
  worker_a.Stop();  // its late Ack is written, and read by the ingest, before the stream closes
  EXPECT_EQ(ingest_.OnAckCalls(), std::vector<int64_t>{1});
  EXPECT_TRUE(harness::WaitFor([&] { return ingest_.verifiers().size() == 0; }));
}

// A stream whose first message is not a valid Hello is refused.
TEST_F(DispatchTest, RejectsAStreamWithoutAValidHello) {
  auto stub = v1::Dispatch::NewStub(grpc::CreateChannel(ingest_.address(), grpc::InsecureChannelCredentials()));
  const auto finish_after = [&](const v1::WorkerMessage& first) {
    grpc::ClientContext context;
    auto stream = stub->Connect(&context);
    stream->Write(first);
    v1::IngestMessage ignored;
    while (stream->Read(&ignored)) {
    }
    return stream->Finish().error_code();
  };

  v1::WorkerMessage ack;
  ack.mutable_ack()->set_delivery_id(1);
  EXPECT_EQ(finish_after(ack), grpc::StatusCode::INVALID_ARGUMENT);
  v1::WorkerMessage no_role;
  no_role.mutable_hello()->set_max_in_flight(1);
  EXPECT_EQ(finish_after(no_role), grpc::StatusCode::INVALID_ARGUMENT);
  v1::WorkerMessage no_credit;
  no_credit.mutable_hello()->set_role(v1::WORKER_ROLE_SENDER);
  EXPECT_EQ(finish_after(no_credit), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ingest_.verifiers().streams(), 0);
}

TEST_F(DispatchTest, WorkerConnectsOnceTheIngestIsUp) {
  TestHandler& a = NewHandler("a");
  const int port = harness::FreePort();
  const std::string address = "127.0.0.1:" + std::to_string(port);
  workers_.push_back(Worker::Create(WorkerOptions{.ingest_addresses = {address},
                                                  .role = v1::WORKER_ROLE_VERIFIER,
                                                  .reconnect_max_backoff = absl::Milliseconds(100)},
                                    a, worker_registry_));
  Worker& worker = *workers_.back();
  worker.Start();
  EXPECT_FALSE(worker.Connected().ok());  // nothing listens there yet

  auto late = DispatchServer::Start(ServeOptions{.address = address}, ingest_.verifiers(), ingest_.verifiers());
  ASSERT_TRUE(late.ok()) << late.status();
  ASSERT_TRUE(harness::WaitFor([&] { return worker.Connected().ok(); }));
  ASSERT_TRUE(ingest_.verifiers().Offer(MakeItem(1, 1)));
  ASSERT_TRUE(harness::WaitFor([&] { return ingest_.AckedCount() == 1; }));

  (*late)->Shutdown();
  ASSERT_TRUE(harness::WaitFor([&] { return !worker.Connected().ok(); }));
  EXPECT_EQ(ingest_.verifiers().streams(), 0);
}

}  // namespace
}  // namespace subguard::dispatch
