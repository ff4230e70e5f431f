// Cluster: a whole subguard deployment on loopback for end-to-end tests, chaos tests and benchmarks:
// private Redis and PostgreSQL, the sandbox, and any number of ingest, verifier and sender processes,
// each a real child process built from this tree. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/harness/load_balancer.h"
#include "tests/harness/process.h"
#include "tests/harness/servers.h"

namespace subguard::e2e {

struct ClusterOptions {
  int ingests = 1;
  int verifiers = 1;
  int senders = 1;
  std::string bot_token = "424242:sandbox-token";
  std::vector<std::pair<std::string, std::string>> extra_env;  // e.g. {"SUBGUARD_LOG_LEVEL", "debug"}
  // Added to every ingest's command line, e.g. {"--lease_ttl", "3s"}.
  std::vector<std::string> ingest_flags;
  // Added to the sandbox's command line, e.g. {"--flood_limits=false"}.
  std::vector<std::string> sandbox_flags;
  // Redis with an fsynced append-only file, so redis().Restart() keeps the journal.
  bool durable_redis = false;
  // Ingests receive by webhook, behind one load balancer (harness::LoadBalancer) whose URL each
  // registers with setWebhook, instead of long polling.
  bool webhook = false;
  // Also start subguard-admin (the gRPC admin API) with this operator token (SUBGUARD_ADMIN_TOKEN).
  bool admin = false;
  std::string admin_token = "operator-secret";
};

class Cluster {
 public:
  enum class Role { kIngest, kVerifier, kSender, kAdmin };

  // Starts everything and waits until every process answers /readyz.
  static absl::StatusOr<std::unique_ptr<Cluster>> Start(ClusterOptions options);
  ~Cluster();

  const std::string& sandbox_url() const { return sandbox_url_; }
  const std::string& bot_token() const { return options_.bot_token; }
  harness::RedisServer& redis() { return *redis_; }
  harness::PostgresServer& postgres() { return *postgres_; }
  // subguard-admin's gRPC address, host:port ("" without ClusterOptions::admin).
  const std::string& admin_address() const { return admin_address_; }

  // Kills one process with SIGKILL (a crash) and starts it again with the same flags.
  absl::Status Crash(Role role, int index);
  // The two halves of Crash, for a process that stays down a while: Kill leaves it dead,
  // Restart starts it again with the same flags.
  void Kill(Role role, int index);
  absl::Status Restart(Role role, int index);
  // Waits until the process answers /readyz (after a Crash, say).
  absl::Status WaitReady(Role role, int index);
  // The process's id now (it changes with a Crash) and its status server's /metrics URL, for
  // benchmarks that watch it.
  pid_t pid(Role role, int index);
  std::string metrics_url(Role role, int index);
  // How many processes of role the cluster runs.
  int count(Role role) const;
  // The last lines of every process's log, for a failing test's output.
  std::string LogTails(int lines = 30) const;

 private:
  struct Member {
    std::string name;
    harness::ProcessOptions options;
    int status_port = 0;
    std::unique_ptr<harness::Process> process;
  };
  explicit Cluster(ClusterOptions options) : options_(std::move(options)) {}
  absl::Status Launch(Member& member);
  absl::Status AddService(const std::string& name, std::vector<std::string> flags);
  Member& Find(Role role, int index);

  ClusterOptions options_;
  std::unique_ptr<harness::TempDir> dir_;
  std::unique_ptr<harness::RedisServer> redis_;
  std::unique_ptr<harness::PostgresServer> postgres_;
  std::unique_ptr<harness::LoadBalancer> webhook_balancer_;  // with ClusterOptions::webhook
  std::string sandbox_url_;
  std::vector<std::string> ingest_addresses_;
  std::string admin_address_;
  std::vector<Member> members_;  // sandbox first, then services in start order
};

}  // namespace subguard::e2e
