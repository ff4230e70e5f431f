#include "tests/e2e/cluster.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_macros.h"
#include "common/http/client.h"

namespace subguard::e2e {
namespace {

// What the ingests give setWebhook in webhook mode (ClusterOptions::webhook).
constexpr char kWebhookSecret[] = "e2e-webhook-secret";

std::string Bin(const std::string& name) { return absl::StrCat(SUBGUARD_BIN_DIR, "/subguard-", name); }

bool Ready(int status_port) {
  http::HttpClient client;
  auto response = client.Get(absl::StrCat("http://127.0.0.1:", status_port, "/readyz"), absl::Seconds(2));
  return response.ok() && response->status == 200;
}

std::string Tail(const std::string& path, int lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  const size_t from = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
  return absl::StrJoin(all.begin() + from, all.end(), "\n");
}

}  // namespace

absl::StatusOr<std::unique_ptr<Cluster>> Cluster::Start(ClusterOptions options) {
  std::unique_ptr<Cluster> cluster(new Cluster(std::move(options)));
  cluster->dir_ = std::make_unique<harness::TempDir>("subguard-e2e");
  auto redis = harness::RedisServer::Start({.durable = cluster->options_.durable_redis});
  if (!redis.ok()) return redis.status();
  cluster->redis_ = std::move(*redis);
  auto postgres = harness::PostgresServer::Start();
  if (!postgres.ok()) return postgres.status();
  cluster->postgres_ = std::move(*postgres);

  const int sandbox_port = harness::FreePort();
  cluster->sandbox_url_ = absl::StrCat("http://127.0.0.1:", sandbox_port);
  Member sandbox{.name = "sandbox",
                 .options = {.argv = {Bin("sandbox"), "--port", std::to_string(sandbox_port), "--bot_token",
                                      cluster->options_.bot_token},
                             .log_path = cluster->dir_->path() + "/sandbox.log"}};
  sandbox.options.argv.insert(sandbox.options.argv.end(), cluster->options_.sandbox_flags.begin(),
                              cluster->options_.sandbox_flags.end());
  RETURN_IF_ERROR(cluster->Launch(sandbox));
  const std::string get_me = absl::StrCat(cluster->sandbox_url_, "/bot", cluster->options_.bot_token, "/getMe");
  if (!harness::WaitFor([&] {
        auto response = http::HttpClient().Get(get_me, absl::Seconds(2));
        return response.ok() && response->status == 200;
      })) {
    return absl::UnavailableError("the sandbox never answered getMe");
  }
  cluster->members_.push_back(std::move(sandbox));

  for (int i = 0; i < cluster->options_.ingests; ++i) {
    cluster->ingest_addresses_.push_back(absl::StrCat("127.0.0.1:", harness::FreePort()));
  }
  const std::string redis_address = cluster->redis_->address();
  const std::string ingests = absl::StrJoin(cluster->ingest_addresses_, ",");
  std::vector<std::string> webhook_addresses;
  if (cluster->options_.webhook) {
    std::vector<std::string> backends;
    for (int i = 0; i < cluster->options_.ingests; ++i) {
      webhook_addresses.push_back(absl::StrCat("127.0.0.1:", harness::FreePort()));
      backends.push_back(absl::StrCat("http://", webhook_addresses.back()));
    }
    auto balancer = harness::LoadBalancer::Start(std::move(backends));
    if (!balancer.ok()) return balancer.status();
    cluster->webhook_balancer_ = *std::move(balancer);
  }
  for (int i = 0; i < cluster->options_.ingests; ++i) {
    std::vector<std::string> flags = {"--grpc_address", cluster->ingest_addresses_[i], "--redis_address", redis_address,
                                      "--instance_id",  absl::StrCat("ingest-", i)};
    if (cluster->options_.webhook) {
      flags.insert(flags.end(), {"--mode", "webhook", "--webhook_address", webhook_addresses[i], "--webhook_url",
                                 cluster->webhook_balancer_->url("/telegram/webhook")});
    } else {
      flags.insert(flags.end(), {"--mode", "polling"});
    }
    flags.insert(flags.end(), cluster->options_.ingest_flags.begin(), cluster->options_.ingest_flags.end());
    RETURN_IF_ERROR(cluster->AddService("ingest", std::move(flags)));
  }
  for (int i = 0; i < cluster->options_.verifiers; ++i) {
    RETURN_IF_ERROR(
        cluster->AddService("verifier", {"--ingest_addresses", ingests, "--redis_address", redis_address, "--postgres",
                                         cluster->postgres_->conninfo(), "--worker_id", absl::StrCat("verifier-", i)}));
  }
  for (int i = 0; i < cluster->options_.senders; ++i) {
    RETURN_IF_ERROR(cluster->AddService("sender", {"--ingest_addresses", ingests, "--redis_address", redis_address,
                                                   "--worker_id", absl::StrCat("sender-", i)}));
  }
  if (cluster->options_.admin) {
    cluster->admin_address_ = absl::StrCat("127.0.0.1:", harness::FreePort());
    RETURN_IF_ERROR(cluster->AddService("admin", {"--admin_address", cluster->admin_address_, "--redis_address",
                                                  redis_address, "--postgres", cluster->postgres_->conninfo()}));
  }
  for (Member& member : cluster->members_) {
    if (member.status_port == 0) continue;
    if (!harness::WaitFor([&] { return Ready(member.status_port); }, absl::Seconds(60), absl::Milliseconds(50))) {
      return absl::UnavailableError(absl::StrCat(member.name, " never became ready:\n", cluster->LogTails()));
    }
  }
  return cluster;
}

Cluster::~Cluster() {
  // Services first, in reverse start order, then the sandbox; servers go with their handles.
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->process) it->process->Stop();
  }
}

absl::Status Cluster::AddService(const std::string& name, std::vector<std::string> flags) {
  const int index = static_cast<int>(members_.size());
  Member member{.name = absl::StrCat(name, "-", index), .status_port = harness::FreePort()};
  member.options.argv = {Bin(name), "--status_port", std::to_string(member.status_port)};
  member.options.argv.insert(member.options.argv.end(), flags.begin(), flags.end());
  member.options.env = {{"SUBGUARD_BOT_TOKEN", options_.bot_token},
                        {"SUBGUARD_TELEGRAM_API_URL", sandbox_url_},
                        {"SUBGUARD_WEBHOOK_SECRET", kWebhookSecret}};
  if (name == "admin") member.options.env.push_back({"SUBGUARD_ADMIN_TOKEN", options_.admin_token});
  member.options.env.insert(member.options.env.end(), options_.extra_env.begin(), options_.extra_env.end());
  member.options.log_path = absl::StrCat(dir_->path(), "/", member.name, ".log");
  RETURN_IF_ERROR(Launch(member));
  members_.push_back(std::move(member));
  return absl::OkStatus();
}

absl::Status Cluster::Launch(Member& member) {
  auto process = harness::Process::Start(member.options);
  if (!process.ok()) return process.status();
  member.process = std::move(*process);
  return absl::OkStatus();
}

Cluster::Member& Cluster::Find(Role role, int index) {
  const std::string prefix = role == Role::kIngest     ? "ingest-"
                             : role == Role::kVerifier ? "verifier-"
                             : role == Role::kSender   ? "sender-"
                                                       : "admin-";
  int seen = 0;
  for (Member& member : members_) {
    if (member.name.rfind(prefix, 0) == 0 && seen++ == index) return member;
  }
  std::abort();  // a test asked for a process it did not start
}

absl::Status Cluster::Crash(Role role, int index) {
  Kill(role, index);
  return Restart(role, index);
}

void Cluster::Kill(Role role, int index) {
  Member& member = Find(role, index);
  member.process->Signal(9);
  member.process->Stop();
}

absl::Status Cluster::Restart(Role role, int index) { return Launch(Find(role, index)); }

absl::Status Cluster::WaitReady(Role role, int index) {
  const Member& member = Find(role, index);
  if (!harness::WaitFor([&] { return Ready(member.status_port); }, absl::Seconds(60), absl::Milliseconds(20))) {
    return absl::UnavailableError(absl::StrCat(member.name, " never became ready again"));
  }
  return absl::OkStatus();
}

pid_t Cluster::pid(Role role, int index) { return Find(role, index).process->pid(); }

std::string Cluster::metrics_url(Role role, int index) {
  return absl::StrCat("http://127.0.0.1:", Find(role, index).status_port, "/metrics");
}

int Cluster::count(Role role) const {
  switch (role) {
    case Role::kIngest:
      return options_.ingests;
    case Role::kVerifier:
      return options_.verifiers;
    case Role::kSender:
      return options_.senders;
    case Role::kAdmin:
      return options_.admin ? 1 : 0;
  }
  return 0;
}

std::string Cluster::LogTails(int lines) const {
  std::ostringstream out;
  for (const Member& member : members_) {
    out << "==== " << member.name << " (" << member.options.log_path << ")\n"
        << Tail(member.options.log_path, lines) << "\n";
  }
  return out.str();
}

}  // namespace subguard::e2e
