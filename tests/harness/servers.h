// Real Redis and PostgreSQL servers for integration and end-to-end tests: private instances on
// loopback, data in a temporary directory, stopped and removed when the handle goes away.
// PostgreSQL refuses to run as root, so when the test runs as root it runs as the `postgres` user.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/harness/process.h"

namespace subguard::harness {

struct RedisServerOptions {
  // Append-only file fsynced on every write, so Restart keeps every acknowledged write (as a
  // production Redis configured for the journal does); otherwise nothing is persisted.
  bool durable = false;
};

class RedisServer {
 public:
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(RedisServerOptions options = {});
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  std::string address() const { return host_ + ":" + std::to_string(port_); }
  // Kills the server (SIGKILL, as a crash) and starts it again on the same port, keeping nothing
  // unless it is durable.
  absl::Status Restart();
  void Kill() { process_->Signal(9); }

 private:
  absl::Status Launch();
  RedisServerOptions options_;
  std::unique_ptr<TempDir> dir_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

class PostgresServer {
 public:
  // initdb, start, and create the database "subguard".
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();
  int port() const { return port_; }
  // A libpq connection string for the "subguard" database.
  std::string conninfo() const;

 private:
  std::unique_ptr<TempDir> dir_;
  std::string bin_dir_;
  std::string user_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace subguard::harness
