-- 0001-initial.sql — the whole Workroom data model.
--
-- Applied by wr-store.c inside one transaction, which then sets
-- PRAGMA user_version = 1. Never edit a released migration: add
-- 0002-*.sql instead (and list it in wr-store.gresource.xml).
--
-- Conventions, for every table:
--   id          TEXT PRIMARY KEY, 32 hex chars from wr_new_id()
--   created_at  INTEGER, microseconds since the Unix epoch, UTC
--   updated_at  INTEGER, same unit; bumped on every change (sync uses it)
--   deleted_at  INTEGER NULL, tombstone: rows are hidden, not removed, so
--               deletions can sync; a purge removes them later
--
-- provider_id columns are plain TEXT, not foreign keys: providers defined by
-- environment variables or a detected local Ollama have ids with no row in
-- the providers table.

-- The local user. Exactly one live row, created when the store opens.
CREATE TABLE profile (
  id                  TEXT PRIMARY KEY NOT NULL,
  name                TEXT NOT NULL DEFAULT '',
  plan                TEXT NOT NULL DEFAULT 'free',
  default_model       TEXT,
  default_provider_id TEXT,
  daily_token_limit   INTEGER,                       -- NULL = no limit
  retention_days      INTEGER,                       -- NULL = keep forever
  credits_balance     INTEGER NOT NULL DEFAULT 0,    -- cache of SUM(credit_ledger.delta)
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  deleted_at          INTEGER
);

CREATE TABLE projects (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL CHECK (length(name) > 0),
  description   TEXT,
  default_model TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);
CREATE INDEX projects_created_at ON projects (created_at);

CREATE TABLE chats (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  title       TEXT,
  model       TEXT,
  provider_id TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX chats_project_updated ON chats (project_id, updated_at);

-- seq breaks ties between messages created in the same microsecond; it
-- grows with every insert (MAX(seq) + 1 under the write lock) and, unlike
-- the implicit rowid, survives VACUUM.
CREATE TABLE messages (
  id            TEXT PRIMARY KEY NOT NULL,
  chat_id       TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
  content       TEXT NOT NULL DEFAULT '',
  model         TEXT,
  provider_id   TEXT,
  status        TEXT NOT NULL DEFAULT 'complete',  -- complete | streaming | partial | error
  error         TEXT,
  input_tokens  INTEGER,                           -- NULL = unknown
  output_tokens INTEGER,                           -- NULL = unknown
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);
CREATE INDEX messages_chat_created ON messages (chat_id, created_at, seq);
CREATE UNIQUE INDEX messages_seq ON messages (seq);

-- Model providers the user configured. The API key is in the keyring under
-- the row's id, never in this database.
CREATE TABLE providers (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL CHECK (length(name) > 0),
  kind          TEXT NOT NULL,                     -- openai | anthropic | google | ...
  base_url      TEXT,
  default_model TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);

-- Things a chat produced or the user saved. Artifacts belong to the project,
-- so they outlive the chat that made them.
CREATE TABLE artifacts (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  chat_id     TEXT REFERENCES chats (id) ON DELETE SET NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('html', 'image', 'mermaid', 'file', 'table', 'report', 'chart')),
  name        TEXT NOT NULL DEFAULT '',
  data        BLOB,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX artifacts_project_created ON artifacts (project_id, created_at);
CREATE INDEX artifacts_chat ON artifacts (chat_id);

-- One row per model call. Kept when the chat goes (billing, limits).
CREATE TABLE usage (
  id            TEXT PRIMARY KEY NOT NULL,
  project_id    TEXT REFERENCES projects (id) ON DELETE SET NULL,
  chat_id       TEXT REFERENCES chats (id) ON DELETE SET NULL,
  message_id    TEXT REFERENCES messages (id) ON DELETE SET NULL,
  model         TEXT,
  provider_id   TEXT,
  input_tokens  INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  estimated     INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),  -- counts guessed, not reported
  cost_micros   INTEGER,                           -- millionths of a currency unit; NULL = unknown
  latency_ms    INTEGER,
  outcome       TEXT NOT NULL DEFAULT 'ok',        -- ok | partial | error | cancelled
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);
CREATE INDEX usage_created ON usage (created_at);
CREATE INDEX usage_project_created ON usage (project_id, created_at);
CREATE INDEX usage_chat ON usage (chat_id);
CREATE INDEX usage_message ON usage (message_id);

CREATE TABLE instruction_templates (
  id          TEXT PRIMARY KEY NOT NULL,
  name        TEXT NOT NULL CHECK (length(name) > 0),
  content     TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);

-- External services (GitHub, Drive, ...). OAuth tokens live in the keyring;
-- meta holds only non-secret JSON (account name, scopes, ...).
CREATE TABLE connectors (
  id          TEXT PRIMARY KEY NOT NULL,
  provider    TEXT NOT NULL,
  meta        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);

-- Scheduled or one-off background jobs.
CREATE TABLE tasks (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT REFERENCES projects (id) ON DELETE CASCADE,
  name        TEXT NOT NULL DEFAULT '',
  type        TEXT NOT NULL CHECK (type IN ('deep_research', 'github_pr', 'ingest_doc', 'custom')),
  cron        TEXT,                                -- NULL = run once
  payload     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  is_active   INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  last_run_at INTEGER,
  next_run_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX tasks_project ON tasks (project_id);
CREATE INDEX tasks_next_run ON tasks (next_run_at) WHERE is_active = 1 AND deleted_at IS NULL;

-- Tabular files attached to a project; the file itself is kept on disk.
CREATE TABLE datasets (
  id          TEXT PRIMARY KEY NOT NULL,
  project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name        TEXT NOT NULL DEFAULT '',
  kind        TEXT NOT NULL CHECK (kind IN ('csv', 'xlsx')),
  preview     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(preview)),
  row_count   INTEGER,
  columns     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(columns)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX datasets_project ON datasets (project_id);

-- Append-only record of sensitive actions.
CREATE TABLE audit_log (
  id          TEXT PRIMARY KEY NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  meta        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX audit_log_created ON audit_log (created_at);

CREATE TABLE teams (
  id          TEXT PRIMARY KEY NOT NULL,
  name        TEXT NOT NULL CHECK (length(name) > 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);

CREATE TABLE team_members (
  id          TEXT PRIMARY KEY NOT NULL,
  team_id     TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id     TEXT,                                -- remote account id, once synced
  email       TEXT,
  role        TEXT NOT NULL DEFAULT 'member',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX team_members_team ON team_members (team_id);

-- Only a hash of the invite token is stored.
CREATE TABLE invites (
  id          TEXT PRIMARY KEY NOT NULL,
  team_id     TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  email       TEXT NOT NULL,
  role        TEXT NOT NULL DEFAULT 'member',
  token_hash  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  accepted_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX invites_team ON invites (team_id);
CREATE UNIQUE INDEX invites_token_hash ON invites (token_hash);

-- Append-only credit movements; profile.credits_balance caches the sum.
CREATE TABLE credit_ledger (
  id          TEXT PRIMARY KEY NOT NULL,
  delta       INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  meta        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX credit_ledger_created ON credit_ledger (created_at);
