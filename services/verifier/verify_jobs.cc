#include "services/verifier/verify_jobs.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace subguard::verifier {
namespace {

// Every query that returns jobs selects these columns, in this order.
constexpr char kJobColumns[] = R"sql(
  j.id, j.group_chat_id, j.requested_by, j.state, j.cursor_user, j.total,
  (SELECT count(*) FROM verify_job_users u WHERE u.job_id = j.id),
  (SELECT count(*) FROM verify_job_users u WHERE u.job_id = j.id AND u.restricted),
  extract(epoch FROM j.created_at)::BIGINT, extract(epoch FROM j.updated_at)::BIGINT,
  COALESCE(extract(epoch FROM j.finished_at)::BIGINT, 0))sql";

constexpr char kInsertJob[] = R"sql(
  INSERT INTO verify_jobs (group_chat_id, requested_by, total)
  SELECT $1, $2, count(*) FROM seen_members WHERE group_chat_id = $1
  ON CONFLICT (group_chat_id) WHERE state <> 'done' DO NOTHING
  RETURNING id)sql";

constexpr char kSeenAfter[] = R"sql(
  SELECT user_id FROM seen_members WHERE group_chat_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3)sql";

constexpr char kAdvance[] = R"sql(
  UPDATE verify_jobs SET cursor_user = GREATEST(cursor_user, $2), updated_at = now()
  WHERE id = $1 AND state = 'running')sql";

constexpr char kSummarizing[] = R"sql(
  UPDATE verify_jobs SET state = 'summarizing', updated_at = now() WHERE id = $1 AND state = 'running')sql";

constexpr char kRecord[] = R"sql(
  INSERT INTO verify_job_users (job_id, user_id, restricted) VALUES ($1, $2, $3)
  ON CONFLICT (job_id, user_id) DO NOTHING)sql";

constexpr char kFinish[] = R"sql(
  UPDATE verify_jobs SET state = 'done', updated_at = now(), finished_at = COALESCE(finished_at, now())
  WHERE id = $1)sql";

VerifyJob JobOf(const pqxx::row& row) {
  return VerifyJob{.id = row[0].as<int64_t>(),
                   .group_chat_id = row[1].as<int64_t>(),
                   .requested_by = row[2].as<int64_t>(),
                   .state = row[3].as<std::string>(),
                   .cursor_user = row[4].as<int64_t>(),
                   .total = row[5].as<int64_t>(),
                   .checked = row[6].as<int64_t>(),
                   .restricted = row[7].as<int64_t>(),
                   .created_at = row[8].as<int64_t>(),
                   .updated_at = row[9].as<int64_t>(),
                   .finished_at = row[10].as<int64_t>()};
}

std::string JobsWhere(const char* where) {
  return absl::StrCat("SELECT ", kJobColumns, " FROM verify_jobs j WHERE ", where);
}

// Job job_id, read in one transaction after the statement update (with job_id as $1) when there is
// one; kNotFound when there is no such job.
absl::StatusOr<VerifyJob> LoadJob(pg::Pool& pool, int64_t job_id, const char* update = nullptr) {
  static const std::string kById = JobsWhere("j.id = $1");
  VerifyJob job;
  absl::Status status = pool.Transact([&](pqxx::work& tx) {
    if (update != nullptr) tx.exec_params(update, job_id);
    const pqxx::result rows = tx.exec_params(kById, job_id);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("no verify job ", job_id));
    job = JobOf(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return job;
}

}  // namespace

absl::StatusOr<VerifyJob> StartVerifyAll(pg::Pool& pool, int64_t group_chat_id, int64_t requested_by) {
  static const std::string kUnfinished = JobsWhere("j.group_chat_id = $1 AND j.state <> 'done'");
  VerifyJob job;
  absl::Status status = pool.Transact([&](pqxx::work& tx) {
    const pqxx::result inserted = tx.exec_params(kInsertJob, group_chat_id, requested_by);
    const pqxx::result rows = tx.exec_params(kUnfinished, group_chat_id);
    if (rows.empty()) return absl::AbortedError("verify job finished while starting");
    job = JobOf(rows[0]);
    job.started = !inserted.empty();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return job;
}

absl::StatusOr<VerifyJob> GetVerifyJob(pg::Pool& pool, int64_t job_id) { return LoadJob(pool, job_id); }

std::string VerifyAllMessageKey(int64_t job_id) { return absl::StrCat("sg:verifyall:", job_id, ":message"); }

absl::StatusOr<std::optional<VerifyJob>> LatestVerifyAll(pg::Pool& pool, int64_t group_chat_id) {
  static const std::string kLatest = JobsWhere("j.group_chat_id = $1 ORDER BY j.id DESC LIMIT 1");
  std::optional<VerifyJob> job;
  absl::Status status = pool.Transact([&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(kLatest, group_chat_id);
    if (!rows.empty()) job = JobOf(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return job;
}

absl::StatusOr<std::vector<VerifyJob>> RunningVerifyJobs(pg::Pool& pool) {
  static const std::string kRunning = JobsWhere("j.state = 'running' ORDER BY j.id");
  std::vector<VerifyJob> jobs;
  absl::Status status = pool.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec(kRunning)) jobs.push_back(JobOf(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return jobs;
}

absl::StatusOr<std::vector<int64_t>> SeenMembersAfter(pg::Pool& pool, int64_t group_chat_id, int64_t after, int limit) {
  std::vector<int64_t> users;
  absl::Status status = pool.Transact([&](pqxx::work& tx) {
    for (const pqxx::row& row : tx.exec_params(kSeenAfter, group_chat_id, after, limit)) {
      users.push_back(row[0].as<int64_t>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return users;
}

absl::StatusOr<bool> AdvanceVerifyCursor(pg::Pool& pool, int64_t job_id, int64_t cursor_user) {
  bool running = false;
  absl::Status status = pool.Transact([&](pqxx::work& tx) {
    running = tx.exec_params(kAdvance, job_id, cursor_user).affected_rows() > 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return running;
}

absl::Status MarkVerifySummarizing(pg::Pool& pool, int64_t job_id) {
  return pool.Transact([&](pqxx::work& tx) {
    tx.exec_params(kSummarizing, job_id);
    return absl::OkStatus();
  });
}

absl::Status RecordVerifyResult(pg::Pool& pool, int64_t job_id, int64_t user_id, bool restricted) {
  return pool.Transact([&](pqxx::work& tx) {
    tx.exec_params(kRecord, job_id, user_id, restricted);
    return absl::OkStatus();
  });
}

absl::StatusOr<VerifyJob> FinishVerifyAll(pg::Pool& pool, int64_t job_id) { return LoadJob(pool, job_id, kFinish); }

}  // namespace subguard::verifier
