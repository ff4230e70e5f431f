-- Albums of monitored sources gathered until they are complete (docs/monitors.md, decision 0012):
-- Telegram sends an album as one update per part sharing a media_group_id; the parts are kept here
-- until no part has come for --monitor_album_quiet, then one update sends them as one group.

-- One row per album: when its last part came, and when a verifier claimed it (appended the album's
-- update to the journal). A part arriving after the claim is sent on its own.
CREATE TABLE monitor_albums (
  source_chat_id  BIGINT NOT NULL,
  media_group_id  TEXT NOT NULL,
  last_part_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  claimed_at      TIMESTAMPTZ,
  done_at         TIMESTAMPTZ,  -- a verifier answered the album's update
  PRIMARY KEY (source_chat_id, media_group_id)
);
CREATE INDEX monitor_albums_open ON monitor_albums (last_part_at) WHERE done_at IS NULL;

-- The album's parts, once per message, with the update each came in (its order and its action ids).
CREATE TABLE monitor_album_parts (
  source_chat_id  BIGINT NOT NULL,
  media_group_id  TEXT NOT NULL,
  message_id      BIGINT NOT NULL,
  update_id       BIGINT NOT NULL,
  post            BYTEA NOT NULL,  -- the serialized subguard.v1.Message
  PRIMARY KEY (source_chat_id, media_group_id, message_id),
  FOREIGN KEY (source_chat_id, media_group_id) REFERENCES monitor_albums ON DELETE CASCADE
);
