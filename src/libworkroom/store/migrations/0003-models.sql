-- 0003-models.sql — model choice, instruction templates in use, failover
-- settings, model capabilities, and the humanize page's tones and history.
--
-- Same conventions as 0001 (ids, microsecond times, tombstones). A template
-- reference to a tombstoned template reads as "no template".

-- The instruction template a chat or a project uses as its system prompt.
-- The chat's wins over the project's. NULL = none.
ALTER TABLE chats    ADD COLUMN template_id TEXT REFERENCES instruction_templates (id) ON DELETE SET NULL;
ALTER TABLE projects ADD COLUMN template_id TEXT REFERENCES instruction_templates (id) ON DELETE SET NULL;

-- Why the reply came from where it came from, when that was not simply the
-- chosen provider on the first try ("Answered by Anthropic because OpenAI
-- was limiting requests"). NULL = nothing to say.
ALTER TABLE messages ADD COLUMN route_note TEXT;

-- The failover chains (WrFailoverPolicy JSON). NULL = the shipped chains.
ALTER TABLE profile ADD COLUMN failover_policy TEXT CHECK (failover_policy IS NULL OR json_valid(failover_policy));

-- What a model can do, as the user set it: a comma-separated subset of
-- "chat,vision,embeddings" (NULL = the built-in guess from the name).
ALTER TABLE model_prices ADD COLUMN capabilities TEXT;

-- Tones the user added to the humanize page (the four built-in ones live in
-- the code). @instructions tells the model how to write in it.
CREATE TABLE humanize_tones (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL CHECK (length(name) > 0),
  instructions  TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);
CREATE UNIQUE INDEX humanize_tones_name ON humanize_tones (lower(name)) WHERE deleted_at IS NULL;

-- The last rewrites of each project (the page keeps a bounded history).
CREATE TABLE humanize_rewrites (
  id           TEXT PRIMARY KEY NOT NULL,
  project_id   TEXT REFERENCES projects (id) ON DELETE CASCADE,   -- NULL = from the CLI, no project
  tone         TEXT NOT NULL,
  model        TEXT,
  provider_id  TEXT,
  input        TEXT NOT NULL,
  output       TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'complete',                 -- complete | partial | error
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  deleted_at   INTEGER
);
CREATE INDEX humanize_rewrites_project_created ON humanize_rewrites (project_id, created_at);

-- The models each provider listed the last time it answered, so the model
-- catalogue can still show them (as unavailable) while it is unreachable.
CREATE TABLE model_cache (
  provider_id  TEXT NOT NULL,
  model        TEXT NOT NULL,
  listed_at    INTEGER NOT NULL,
  PRIMARY KEY (provider_id, model)
);

-- Images (and later other files) sent with a message: the model sees them
-- with the text, and they show again in the chat. Bounded in size by the
-- code that adds them.
CREATE TABLE message_attachments (
  id          TEXT PRIMARY KEY NOT NULL,
  message_id  TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL DEFAULT 0,
  name        TEXT NOT NULL DEFAULT '',
  mime_type   TEXT NOT NULL,
  data        BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX message_attachments_message ON message_attachments (message_id, position);

-- The usage page reads 30 days of usage grouped by day and model: a
-- covering index over live rows keeps that off the table (about 2.5× faster
-- over 100k rows).
CREATE INDEX usage_live_cover ON usage (created_at, project_id, model, input_tokens, output_tokens, cost_micros, estimated)
  WHERE deleted_at IS NULL;
