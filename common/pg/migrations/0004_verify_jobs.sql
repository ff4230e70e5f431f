-- Batch verification of a group's seen members (/verifyall, the admin API's StartVerifyAll):
-- one job per request, walked in user-id order by whichever verifier holds the job's Redis lease.

CREATE TABLE verify_jobs (
  id            BIGSERIAL PRIMARY KEY,
  group_chat_id BIGINT NOT NULL,
  requested_by  BIGINT NOT NULL,  -- the admin's user id; 0 for the group's anonymous admin or the API
  state         TEXT NOT NULL DEFAULT 'running',  -- 'running', 'summarizing' or 'done'
  cursor_user   BIGINT NOT NULL DEFAULT 0,        -- the last user id handed to the journal
  total         BIGINT NOT NULL,                  -- seen members when the job started
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at   TIMESTAMPTZ
);
-- At most one job per group not done.
CREATE UNIQUE INDEX verify_jobs_one_open ON verify_jobs (group_chat_id) WHERE state <> 'done';
CREATE INDEX verify_jobs_running ON verify_jobs (id) WHERE state = 'running';

-- Each user's decision, once per job (a redelivered check changes nothing): the counts derive from it.
CREATE TABLE verify_job_users (
  job_id     BIGINT NOT NULL REFERENCES verify_jobs (id) ON DELETE CASCADE,
  user_id    BIGINT NOT NULL,
  restricted BOOLEAN NOT NULL,
  PRIMARY KEY (job_id, user_id)
);
