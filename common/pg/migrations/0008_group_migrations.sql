-- A basic group upgraded to a supergroup keeps its protection under the new id (issue 4; docs/usage.md,
-- "A group becomes a supergroup"). The verifier moves every row of the old id to the new one in one
-- transaction (services/verifier/group_store.cc, MoveGroup); these let protected_groups' id change under
-- its linked rows, and record each move so that a second migrate message (Telegram sends one to each
-- chat, perhaps to two verifiers at once) finds it done.
ALTER TABLE linked_channels DROP CONSTRAINT linked_channels_group_chat_id_fkey;
ALTER TABLE linked_channels ADD CONSTRAINT linked_channels_group_chat_id_fkey
  FOREIGN KEY (group_chat_id) REFERENCES protected_groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE exemptions DROP CONSTRAINT exemptions_group_chat_id_fkey;
ALTER TABLE exemptions ADD CONSTRAINT exemptions_group_chat_id_fkey
  FOREIGN KEY (group_chat_id) REFERENCES protected_groups (chat_id) ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE group_migrations (
  from_chat_id  BIGINT PRIMARY KEY,  -- the basic group
  to_chat_id    BIGINT NOT NULL,     -- the supergroup it became
  migrated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
