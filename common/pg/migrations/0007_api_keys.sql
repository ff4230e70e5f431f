-- The admin API's owner keys (docs/api.md): /apikey in a private chat with the bot issues one.
-- Only a SHA-256 of a key is stored; a new key replaces the owner's previous one.
CREATE TABLE api_keys (
  owner_user_id     BIGINT PRIMARY KEY,
  key_sha256        TEXT NOT NULL UNIQUE,  -- lowercase hex
  -- The /apikey update that issued it: a redelivery of an older command never replaces a newer key.
  issued_update_id  BIGINT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The random secret keys are derived from (HMAC of the owner and the update), created by the first
-- verifier that issues a key. Deriving rather than drawing a key makes a redelivered /apikey answer
-- the same key that was stored.
CREATE TABLE api_key_secret (
  singleton  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  secret     TEXT NOT NULL
);
