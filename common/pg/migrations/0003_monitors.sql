-- Forward monitors (docs/monitors.md): a source chat's new posts forwarded, copied or recorded.
-- One row per (source, destination, mode); record mode has no destination (dest_chat_id 0).
CREATE TABLE monitors (
  id              BIGSERIAL PRIMARY KEY,
  owner_user_id   BIGINT NOT NULL,
  source_chat_id  BIGINT NOT NULL,
  dest_chat_id    BIGINT NOT NULL DEFAULT 0,
  mode            TEXT NOT NULL CHECK (mode IN ('forward', 'copy', 'record')),
  -- An edited source post is sent again (TRUE) or ignored.
  send_edits      BOOLEAN NOT NULL DEFAULT FALSE,
  -- Filters: only posts whose text contains this ('' all), of this kind.
  text_contains   TEXT NOT NULL DEFAULT '',
  media           TEXT NOT NULL DEFAULT 'any' CHECK (media IN ('any', 'text', 'media')),
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (source_chat_id, dest_chat_id, mode)
);
CREATE INDEX monitors_by_owner ON monitors (owner_user_id);

-- The posts of sources with a record monitor, once per post; an edit updates its row.
CREATE TABLE recorded_posts (
  source_chat_id  BIGINT NOT NULL,
  message_id      BIGINT NOT NULL,
  media_group_id  TEXT NOT NULL DEFAULT '',
  text            TEXT NOT NULL DEFAULT '',
  has_media       BOOLEAN NOT NULL DEFAULT FALSE,
  posted_at       TIMESTAMPTZ NOT NULL,
  edited_at       TIMESTAMPTZ,
  recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (source_chat_id, message_id)
);
