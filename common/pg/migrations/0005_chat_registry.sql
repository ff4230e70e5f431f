-- The chat registry's delivery state (docs/monitors.md): monitor deliveries' outcomes, the cool-down
-- of a failing destination, and the posts held for it until it recovers
-- (decisions/0008-monitor-held-posts.md, decisions/0009-monitor-outcomes-stream.md).

-- Failures since the last success (the cool-down's exponent), when the held posts were last asked to
-- be flushed, and a reliability score: (successes + 1) / (successes + failures + 2), 0.5 when unknown.
ALTER TABLE chats
  ADD COLUMN consecutive_failures INT NOT NULL DEFAULT 0,
  ADD COLUMN flush_requested_at   TIMESTAMPTZ,
  ADD COLUMN reliability          DOUBLE PRECISION
    GENERATED ALWAYS AS ((successes + 1)::DOUBLE PRECISION / (successes + failures + 2)) STORED;
CREATE INDEX chats_by_last_seen ON chats (last_seen_at);

-- Monitor posts held for a destination in cool-down, once per action id, flushed in update order.
CREATE TABLE held_posts (
  dest_chat_id  BIGINT NOT NULL,
  action_id     TEXT NOT NULL,
  update_id     BIGINT NOT NULL,
  action        BYTEA NOT NULL,  -- the serialized subguard.v1.Action, sent as it is on flush
  held_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (dest_chat_id, action_id)
);
CREATE INDEX held_posts_in_order ON held_posts (dest_chat_id, update_id, action_id);
