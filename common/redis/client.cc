#include "common/redis/client.h"

#include <hiredis/hiredis.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/host_port.h"
#include "common/base/strings.h"

namespace subguard::redis {
namespace {

absl::Status ClassifyContextError(const redisContext* context) {
  const std::string detail = context->errstr[0] != '\0' ? context->errstr : "unknown error";
  return absl::UnavailableError(absl::StrCat("redis: ", detail));
}

}  // namespace

absl::Status ErrorReplyStatus(std::string_view message) {
  const std::string text = absl::StrCat("redis: ", base::ToAbsl(message));
  for (const std::string_view transient : {"LOADING ", "BUSY ", "MASTERDOWN ", "READONLY ", "TRYAGAIN "}) {
    if (message.substr(0, transient.size()) == transient) return absl::UnavailableError(text);
  }
  if (message.substr(0, 8) == "NOSCRIPT") return absl::FailedPreconditionError(text);
  return absl::InternalError(text);
}

namespace {

// The only code that reads a redisReply.
absl::StatusOr<Reply> Convert(const redisReply* raw) {
  Reply reply;
  switch (raw->type) {
    case REDIS_REPLY_ERROR:
      return ErrorReplyStatus(std::string_view(raw->str, raw->len));
    case REDIS_REPLY_NIL:
      reply.type = Reply::Type::kNil;
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw->integer;
      break;
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.str.assign(raw->str, raw->len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.str.assign(raw->str, raw->len);
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw->elements);
      for (size_t i = 0; i < raw->elements; ++i) {
        auto element = Convert(raw->element[i]);
        if (!element.ok()) return element.status();
        reply.elements.push_back(std::move(*element));
      }
      break;
    default:
      return absl::InternalError(absl::StrCat("redis: unexpected reply type ", raw->type));
  }
  return reply;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

void AppendCommand(redisContext* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  redisAppendCommandArgv(context, static_cast<int>(args.size()), argv.data(), lengths.data());
}

}  // namespace

absl::StatusOr<RedisOptions> RedisOptionsFromAddress(std::string_view host_port) {
  auto parsed = base::ParseHostPort(host_port);
  if (!parsed.ok()) return parsed.status();
  RedisOptions options;
  options.host = parsed->first;
  options.port = parsed->second;
  return options;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const RedisOptions& options) {
  redisContext* context =
      redisConnectWithTimeout(options.host.c_str(), options.port, absl::ToTimeval(options.connect_timeout));
  if (context == nullptr) return absl::ResourceExhaustedError("redis: cannot allocate a context");
  if (context->err != 0) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("redis: cannot connect to ", options.host, ":", options.port, ": ", context->errstr));
    redisFree(context);
    return status;
  }
  redisSetTimeout(context, absl::ToTimeval(options.command_timeout));
  return std::unique_ptr<Connection>(new Connection(context));
}

Connection::~Connection() { redisFree(context_); }

absl::StatusOr<Reply> Connection::ReadReply() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
    broken_ = true;
    return ClassifyContextError(context_);
  }
  ReplyPtr reply(static_cast<redisReply*>(raw));
  return Convert(reply.get());
}

absl::StatusOr<Reply> Connection::Command(const std::vector<std::string>& args) {
  AppendCommand(context_, args);
  return ReadReply();
}

std::vector<absl::StatusOr<Reply>> Connection::Pipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& args : commands) AppendCommand(context_, args);
  std::vector<absl::StatusOr<Reply>> results;
  results.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    if (broken_) {
      results.push_back(absl::UnavailableError("redis: connection lost"));
      continue;
    }
    results.push_back(ReadReply());
  }
  return results;
}

absl::StatusOr<std::unique_ptr<Connection>> Pool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return Connection::Open(options_);
}

void Pool::Release(std::unique_ptr<Connection> connection) {
  if (connection->broken()) return;
  std::lock_guard lock(mu_);
  if (static_cast<int>(idle_.size()) < options_.max_idle_connections) idle_.push_back(std::move(connection));
}

absl::StatusOr<Reply> Pool::Command(const std::vector<std::string>& args) {
  auto connection = Acquire();
  if (!connection.ok()) return connection.status();
  auto reply = (*connection)->Command(args);
  Release(std::move(*connection));
  return reply;
}

std::vector<absl::StatusOr<Reply>> Pool::Pipeline(const std::vector<std::vector<std::string>>& commands) {
  auto connection = Acquire();
  if (!connection.ok()) return std::vector<absl::StatusOr<Reply>>(commands.size(), connection.status());
  auto replies = (*connection)->Pipeline(commands);
  Release(std::move(*connection));
  return replies;
}

absl::Status Pool::Ping() { return Command({"PING"}).status(); }

absl::StatusOr<Reply> Script::Run(Pool& pool, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args) const {
  std::string sha1;
  {
    std::lock_guard lock(mu_);
    sha1 = sha1_;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (sha1.empty()) {
      auto loaded = pool.Command({"SCRIPT", "LOAD", source_});
      if (!loaded.ok()) return loaded.status();
      sha1 = loaded->str;
      std::lock_guard lock(mu_);
      sha1_ = sha1;
    }
    std::vector<std::string> command = {"EVALSHA", sha1, std::to_string(keys.size())};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    auto reply = pool.Command(command);
    // NOSCRIPT: Redis restarted and forgot the script; load it again once.
    if (reply.ok() || reply.status().code() != absl::StatusCode::kFailedPrecondition) return reply;
    sha1.clear();
  }
  return absl::UnavailableError("redis: script keeps disappearing");
}

}  // namespace subguard::redis
