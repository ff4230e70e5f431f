-- Silent mode, and the senders' permanent errors in the audit log (issue 6; docs/usage.md).

-- Silent mode: the policy applies with no prompt at all; a channel join lifts subguard's mute.
ALTER TABLE protected_groups ADD COLUMN silent BOOLEAN NOT NULL DEFAULT FALSE;

-- A permanent error (kind 'error') is recorded under the id of the action Telegram refused, beside
-- that action's own row (a 'restrict' and its 'error' share the action id), once per action.
-- method is the Bot API method, error_code and description Telegram's answer; reason is the sender's
-- low-cardinality label (not_enough_rights, chat_not_found, forbidden, ...). The retention prune
-- (created_at) covers these rows like any other.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_kind_check
  CHECK (kind IN ('restrict', 'release', 'delete', 'kick', 'error'));
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_id_key;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_kind_key UNIQUE (action_id, kind);
ALTER TABLE audit_log
  ADD COLUMN method       TEXT NOT NULL DEFAULT '',
  ADD COLUMN error_code   INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN description  TEXT NOT NULL DEFAULT '';
-- /status shows a group's last few errors.
CREATE INDEX audit_log_errors_by_group ON audit_log (group_chat_id, created_at) WHERE kind = 'error';
