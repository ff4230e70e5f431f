// Redis access over hiredis: RAII connections, a thread-safe pool, and typed replies.
//
// Errors are classified in one place (ClassifyContextError in client.cc): connection refused, reset
// or timed out is kUnavailable (retry, maybe on a new connection); an error reply is classified by
// ErrorReplyStatus below. Every key subguard writes carries a hash tag
// ("{p3}", "{c-100123}") so a Redis Cluster could spread them later.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

struct redisContext;
struct redisReply;

namespace subguard::redis {

// The Status of an error reply: kUnavailable for the replies of a Redis that will answer soon (LOADING
// a dataset after a restart, BUSY with a script, MASTERDOWN/READONLY/TRYAGAIN around a failover),
// kFailedPrecondition for NOSCRIPT (load the script and run it again), kInternal for everything else
// (a bug: wrong type, bad arguments).
absl::Status ErrorReplyStatus(std::string_view message);

// A parsed reply. Arrays nest; nil is kNil. Redis error replies never become a Reply: they are a
// Status.
struct Reply {
  enum class Type { kNil, kInteger, kString, kArray, kStatus };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;  // kString and kStatus
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  absl::Duration connect_timeout = absl::Seconds(2);
  absl::Duration command_timeout = absl::Seconds(5);
  int max_idle_connections = 16;
};

// RedisOptions for "host:port" (the --redis_address flags); kInvalidArgument otherwise.
absl::StatusOr<RedisOptions> RedisOptionsFromAddress(std::string_view host_port);

// One connection. Not thread-safe.
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const RedisOptions& options);
  ~Connection();

  // Runs one command, e.g. Command({"SET", key, value, "PX", "1000"}).
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args);
  // Runs several commands in one round trip; returns one result per command.
  std::vector<absl::StatusOr<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands);
  // Set when a transport error left the connection unusable; the pool drops it.
  bool broken() const { return broken_; }

 private:
  explicit Connection(redisContext* context) : context_(context) {}
  absl::StatusOr<Reply> ReadReply();
  redisContext* context_;
  bool broken_ = false;
};

// A pool of connections, opened on demand. Thread-safe.
class Pool {
 public:
  explicit Pool(RedisOptions options) : options_(std::move(options)) {}

  // Runs a command on a pooled connection. A transport failure drops that connection and is
  // returned as kUnavailable; the next call opens a new one.
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args);
  std::vector<absl::StatusOr<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands);
  absl::Status Ping();

  // A connection of its own, for blocking commands (SUBSCRIBE, XREAD BLOCK).
  absl::StatusOr<std::unique_ptr<Connection>> OpenDedicated() { return Connection::Open(options_); }

 private:
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  const RedisOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
};

// A Lua script run with EVALSHA, loaded on first use and again after a Redis restart (NOSCRIPT).
// Thread-safe.
class Script {
 public:
  explicit Script(std::string source) : source_(std::move(source)) {}
  absl::StatusOr<Reply> Run(Pool& pool, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args) const;

 private:
  const std::string source_;
  mutable std::mutex mu_;
  mutable std::string sha1_ ABSL_GUARDED_BY(mu_);  // from SCRIPT LOAD; "" until loaded
};

}  // namespace subguard::redis
