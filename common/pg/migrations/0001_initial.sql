-- Schema v1: protection (issues 3 and 4) and the chat registry (issue 7).
-- Chat and user ids are Telegram's (BIGINT). Text columns are NOT NULL with '' for "none".

-- Users who set up protection in at least one group.
CREATE TABLE owners (
  user_id     BIGINT PRIMARY KEY,
  username    TEXT NOT NULL DEFAULT '',
  first_name  TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per group that ever ran /protect; /unprotect clears enabled and keeps the settings.
CREATE TABLE protected_groups (
  chat_id                      BIGINT PRIMARY KEY,
  title                        TEXT NOT NULL DEFAULT '',
  -- NULL when set up by the group's anonymous admin, whose user is unknown.
  owner_user_id                BIGINT REFERENCES owners (user_id),
  enabled                      BOOLEAN NOT NULL DEFAULT TRUE,
  -- What a non-member's message gets.
  policy                       TEXT NOT NULL DEFAULT 'mute'
                               CHECK (policy IN ('mute', 'delete', 'mute_and_delete', 'kick')),
  -- The prompt's text; '' uses the message catalogue's template for the group's language.
  prompt_template              TEXT NOT NULL DEFAULT '',
  -- Delete the prompt after this many seconds; 0 keeps it until the user verifies.
  prompt_delete_after_seconds  INTEGER NOT NULL DEFAULT 0 CHECK (prompt_delete_after_seconds >= 0),
  -- How long a mute lasts; 0 means until the user verifies.
  mute_seconds                 INTEGER NOT NULL DEFAULT 0 CHECK (mute_seconds >= 0),
  check_on_join                BOOLEAN NOT NULL DEFAULT TRUE,
  -- A pending join request to a linked channel counts as joined.
  accept_join_requests         BOOLEAN NOT NULL DEFAULT FALSE,
  -- Apply the policy to other bots too.
  restrict_bots                BOOLEAN NOT NULL DEFAULT FALSE,
  language                     TEXT NOT NULL DEFAULT 'en',
  created_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at                   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX protected_groups_by_owner ON protected_groups (owner_user_id);

-- The channels a group's members must join, in the order the prompt lists them.
CREATE TABLE linked_channels (
  group_chat_id  BIGINT NOT NULL REFERENCES protected_groups (chat_id) ON DELETE CASCADE,
  channel_id     BIGINT NOT NULL,
  position       INTEGER NOT NULL DEFAULT 0,
  username       TEXT NOT NULL DEFAULT '',
  title          TEXT NOT NULL DEFAULT '',
  invite_link    TEXT NOT NULL DEFAULT '',
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (group_chat_id, channel_id)
);
-- A leave in a channel restricts the user in every group linked to it.
CREATE INDEX linked_channels_by_channel ON linked_channels (channel_id);

-- Users the policy never touches in a group (/exempt).
CREATE TABLE exemptions (
  group_chat_id  BIGINT NOT NULL REFERENCES protected_groups (chat_id) ON DELETE CASCADE,
  user_id        BIGINT NOT NULL,
  added_by       BIGINT NOT NULL DEFAULT 0,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (group_chat_id, user_id)
);

-- The chat registry: every chat subguard resolved, with the bot's standing there and the health of
-- lookups; a chat whose lookups keep failing waits until cooldown_until before the next try.
CREATE TABLE chats (
  chat_id               BIGINT PRIMARY KEY,
  type                  TEXT NOT NULL DEFAULT ''
                        CHECK (type IN ('', 'private', 'group', 'supergroup', 'channel')),
  title                 TEXT NOT NULL DEFAULT '',
  username              TEXT NOT NULL DEFAULT '',
  -- The bot's ChatMember status there ('' unknown) and the rights subguard needs.
  bot_status            TEXT NOT NULL DEFAULT '',
  can_restrict_members  BOOLEAN NOT NULL DEFAULT FALSE,
  can_delete_messages   BOOLEAN NOT NULL DEFAULT FALSE,
  can_invite_users      BOOLEAN NOT NULL DEFAULT FALSE,
  last_seen_at          TIMESTAMPTZ,
  successes             BIGINT NOT NULL DEFAULT 0,
  failures              BIGINT NOT NULL DEFAULT 0,
  last_error            TEXT NOT NULL DEFAULT '',
  cooldown_until        TIMESTAMPTZ,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chats_by_username ON chats (lower(username)) WHERE username <> '';

-- Every restriction and release subguard decided, once per action id (redeliveries collide on it).
-- Rows older than the retention bound are pruned.
CREATE TABLE audit_log (
  id             BIGSERIAL PRIMARY KEY,
  action_id      TEXT NOT NULL UNIQUE,
  group_chat_id  BIGINT NOT NULL,
  user_id        BIGINT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('restrict', 'release', 'delete', 'kick')),
  reason         TEXT NOT NULL DEFAULT '',
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_by_created ON audit_log (created_at);
CREATE INDEX audit_log_by_group ON audit_log (group_chat_id, created_at);

-- Restrictions subguard made and has not lifted: only these are lifted by a verification, and
-- /status counts them.
CREATE TABLE active_restrictions (
  group_chat_id  BIGINT NOT NULL,
  user_id        BIGINT NOT NULL,
  action_id      TEXT NOT NULL,
  restricted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (group_chat_id, user_id)
);

-- Users seen writing or joining in a protected group, for batch verification (/verifyall).
CREATE TABLE seen_members (
  group_chat_id  BIGINT NOT NULL,
  user_id        BIGINT NOT NULL,
  last_seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (group_chat_id, user_id)
);
