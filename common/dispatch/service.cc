#include "common/dispatch/service.h"

#include <algorithm>
#include <deque>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/observability/log.h"

namespace subguard::dispatch {
namespace {

using Reactor = grpc::ServerBidiReactor<v1::WorkerMessage, v1::IngestMessage>;

// The write side of one stream, shared between its reactor and its Dispatcher (as the StreamSink):
// one write in flight, the rest queued (at most the stream's credit), Finish once no write is in
// flight. After Close (the reactor's OnDone) nothing touches the reactor again.
class StreamWriter final : public StreamSink {
 public:
  explicit StreamWriter(Reactor* reactor) : reactor_(reactor) {}

  void Send(v1::IngestMessage message) override {
    absl::MutexLock lock(&mu_);
    if (reactor_ == nullptr || finishing_) return;
    queue_.push_back(std::move(message));
    if (!writing_) StartNextLocked();
  }

  // From OnWriteDone. After a failed write the reactor ends the stream.
  void OnWriteDone(bool ok) {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (finishing_) {
      reactor_->Finish(status_);
    } else if (ok && !queue_.empty()) {
      StartNextLocked();
    }
  }

  // Drops what is queued and finishes the RPC with status, now or when the write in flight is done.
  // Only the first call counts.
  void Finish(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    if (finishing_) return;
    finishing_ = true;
    queue_.clear();
    status_ = std::move(status);
    if (!writing_) reactor_->Finish(status_);
  }

  // From OnDone: the reactor is being deleted.
  void Close() {
    absl::MutexLock lock(&mu_);
    reactor_ = nullptr;
  }

 private:
  void StartNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    reactor_->StartWrite(&current_);
  }

  absl::Mutex mu_;
  Reactor* reactor_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::IngestMessage> queue_ ABSL_GUARDED_BY(mu_);
  v1::IngestMessage current_ ABSL_GUARDED_BY(mu_);  // untouched while writing_: grpc reads it
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

// One Connect stream. Reads are serialised (one in flight); OnWriteDone may run concurrently with
// OnReadDone, so what both touch is behind mu_. Deletes itself in OnDone.
class StreamReactor final : public Reactor {
 public:
  StreamReactor(grpc::CallbackServerContext* context, Dispatcher& verifiers, Dispatcher& senders)
      : context_(context),
        verifiers_(verifiers),
        senders_(senders),
        peer_(context->peer()),
        writer_(std::make_shared<StreamWriter>(this)) {
    log::Info("dispatch_stream_opened", {{"peer", peer_}});
    StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the worker half-closed, or the call broke
      End(grpc::Status::OK);
      return;
    }
    const grpc::Status status = hello_seen_ ? HandleAnswer() : HandleHello();
    if (!status.ok()) {
      log::Warn("dispatch_stream_rejected", {{"peer", peer_}, {"reason", status.error_message()}});
      End(status);
      return;
    }
    StartRead(&in_);
  }

  void OnWriteDone(bool ok) override {
    writer_->OnWriteDone(ok);
    if (!ok) End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "write failed"));
  }

  void OnDone() override {
    writer_->Close();
    Detach();
    log::Info("dispatch_stream_closed", {{"peer", peer_}, {"worker_id", worker_id_}});
    delete this;
  }

 private:
  struct Attachment {
    Dispatcher* dispatcher = nullptr;
    uint64_t stream_id = 0;
  };

  grpc::Status HandleHello() {
    if (!in_.has_hello()) return InvalidArgument("the first message must be a Hello");
    const v1::Hello& hello = in_.hello();
    Dispatcher* dispatcher = hello.role() == v1::WORKER_ROLE_VERIFIER ? &verifiers_
                             : hello.role() == v1::WORKER_ROLE_SENDER ? &senders_
                                                                      : nullptr;
    if (dispatcher == nullptr) return InvalidArgument("Hello.role must be verifier or sender");
    if (hello.max_in_flight() == 0) return InvalidArgument("Hello.max_in_flight must be at least 1");
    hello_seen_ = true;
    worker_id_ = hello.worker_id();
    v1::Hello accepted = hello;
    accepted.set_max_in_flight(std::min(hello.max_in_flight(), kMaxStreamCredit));
    // Before any write, so the worker knows its Hello was taken (Worker::Connected) even when the
    // ingest has nothing to deliver.
    context_->AddInitialMetadata(kHelloAcceptedKey, "1");
    StartSendInitialMetadata();
    const uint64_t stream_id = dispatcher->AttachStream(writer_, accepted);
    absl::MutexLock lock(&mu_);
    attachment_ = Attachment{.dispatcher = dispatcher, .stream_id = stream_id};
    return grpc::Status::OK;
  }

  grpc::Status HandleAnswer() {
    Attachment attachment;
    {
      absl::MutexLock lock(&mu_);
      attachment = attachment_;
    }
    if (in_.has_ack()) {
      if (attachment.dispatcher != nullptr)
        attachment.dispatcher->OnAck(attachment.stream_id, std::move(*in_.mutable_ack()));
      return grpc::Status::OK;
    }
    if (in_.has_nack()) {
      if (attachment.dispatcher != nullptr) attachment.dispatcher->OnNack(attachment.stream_id, in_.nack());
      return grpc::Status::OK;
    }
    return InvalidArgument("expected an Ack or a Nack");
  }

  static grpc::Status InvalidArgument(const char* message) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
  }

  // Finishes the RPC and gives the stream's unanswered deliveries back to the Dispatcher. Once.
  void End(grpc::Status status) {
    {
      absl::MutexLock lock(&mu_);
      if (ended_) return;
      ended_ = true;
    }
    // Detach first: once the worker sees the end of the stream, its Items are already back in line.
    Detach();
    writer_->Finish(std::move(status));
  }

  void Detach() {
    Attachment attachment;
    {
      absl::MutexLock lock(&mu_);
      attachment = std::exchange(attachment_, Attachment{});
    }
    if (attachment.dispatcher != nullptr) attachment.dispatcher->DetachStream(attachment.stream_id);
  }

  grpc::CallbackServerContext* const context_;
  Dispatcher& verifiers_;
  Dispatcher& senders_;
  const std::string peer_;
  const std::shared_ptr<StreamWriter> writer_;

  // Touched by OnReadDone only (and OnDone, which runs last).
  v1::WorkerMessage in_;
  bool hello_seen_ = false;
  std::string worker_id_;

  absl::Mutex mu_;
  Attachment attachment_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

class DispatchServiceImpl final : public v1::Dispatch::CallbackService {
 public:
  DispatchServiceImpl(Dispatcher& verifiers, Dispatcher& senders) : verifiers_(verifiers), senders_(senders) {}

  Reactor* Connect(grpc::CallbackServerContext* context) override {
    return new StreamReactor(context, verifiers_, senders_);
  }

 private:
  Dispatcher& verifiers_;
  Dispatcher& senders_;
};

}  // namespace

std::unique_ptr<v1::Dispatch::CallbackService> CreateDispatchService(Dispatcher& verifiers, Dispatcher& senders) {
  return std::make_unique<DispatchServiceImpl>(verifiers, senders);
}

}  // namespace subguard::dispatch
