#include "tests/harness/servers.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace subguard::harness {
namespace {

bool CanConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// Runs a command to completion; returns its exit code.
int RunToExit(ProcessOptions options) {
  auto process = Process::Start(std::move(options));
  if (!process.ok()) return -1;
  int status = 0;
  waitpid((*process)->pid(), &status, 0);
  // The handle must not signal a reaped pid.
  (*process).release();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string PostgresBinDir() {
  for (const char* version : {"17", "16", "15"}) {
    const std::string dir = absl::StrCat("/usr/lib/postgresql/", version, "/bin");
    if (std::filesystem::exists(dir + "/initdb")) return dir;
  }
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(RedisServerOptions options) {
  auto server = std::unique_ptr<RedisServer>(new RedisServer());
  server->options_ = options;
  server->dir_ = std::make_unique<TempDir>("subguard-redis");
  server->port_ = FreePort();
  if (absl::Status status = server->Launch(); !status.ok()) return status;
  return server;
}

absl::Status RedisServer::Launch() {
  auto process = Process::Start(
      {.argv = {"/usr/bin/redis-server", "--bind", host_, "--port", std::to_string(port_), "--dir", dir_->path(),
                "--save", "", "--appendonly", options_.durable ? "yes" : "no", "--appendfsync", "always"},
       .log_path = dir_->path() + "/redis.log"});
  if (!process.ok()) return process.status();
  process_ = std::move(*process);
  if (!WaitFor([&] { return CanConnect(port_); }, absl::Seconds(30))) {
    return absl::UnavailableError("redis-server did not start");
  }
  return absl::OkStatus();
}

absl::Status RedisServer::Restart() {
  process_->Signal(9);
  process_->Stop();
  return Launch();
}

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  auto server = std::unique_ptr<PostgresServer>(new PostgresServer());
  server->bin_dir_ = PostgresBinDir();
  if (server->bin_dir_.empty())
    return absl::NotFoundError("PostgreSQL server binaries not found (apt-get install postgresql)");
  server->dir_ = std::make_unique<TempDir>("subguard-pg");
  server->port_ = FreePort();
  const std::string data = server->dir_->path() + "/data";
  if (geteuid() == 0) {
    server->user_ = "postgres";
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) return absl::NotFoundError("running as root, but there is no postgres user");
    chown(server->dir_->path().c_str(), pw->pw_uid, pw->pw_gid);
  }
  const std::string log = server->dir_->path() + "/postgres.log";
  if (RunToExit({.argv = {server->bin_dir_ + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--no-sync"},
                 .log_path = log,
                 .run_as_user = server->user_}) != 0) {
    return absl::InternalError(absl::StrCat("initdb failed; see ", log));
  }
  auto process = Process::Start({.argv = {server->bin_dir_ + "/postgres", "-D", data, "-p",
                                          std::to_string(server->port_), "-k", server->dir_->path(), "-c",
                                          "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"},
                                 .log_path = log,
                                 .run_as_user = server->user_});
  if (!process.ok()) return process.status();
  server->process_ = std::move(*process);
  const bool created = WaitFor(
      [&] {
        return CanConnect(server->port_) &&
               RunToExit({.argv = {server->bin_dir_ + "/createdb", "-h", "127.0.0.1", "-p",
                                   std::to_string(server->port_), "-U", "postgres", "subguard"},
                          .log_path = log}) == 0;
      },
      absl::Seconds(60), absl::Milliseconds(100));
  if (!created) return absl::UnavailableError(absl::StrCat("postgres did not start; see ", log));
  return server;
}

PostgresServer::~PostgresServer() {
  // SIGINT is PostgreSQL's fast shutdown.
  if (process_) {
    process_->Signal(SIGINT);
    process_->Stop();
  }
}

std::string PostgresServer::conninfo() const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " user=postgres dbname=subguard");
}

}  // namespace subguard::harness
