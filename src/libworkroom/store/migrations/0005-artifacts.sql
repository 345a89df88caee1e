-- 0005-artifacts.sql — artifacts in full, chats that answer from the
-- project's knowledge with citations, and the models used to index it.
--
-- Same conventions as 0001 (ids, microsecond times, tombstones).

-- An artifact's content is in artifacts.data:
--   report   Markdown (UTF-8)
--   html     HTML source (UTF-8; never executed)
--   mermaid  Mermaid source (UTF-8)
--   chart    a chart spec, JSON (docs/chart-spec.md)
--   table    JSON {"dataset_id": "…"} (the rows stay in dataset_rows)
--   image    the image file's bytes (mime_type says which)
--   file     the file's bytes
ALTER TABLE artifacts ADD COLUMN message_id TEXT REFERENCES messages (id) ON DELETE SET NULL;
ALTER TABLE artifacts ADD COLUMN dataset_id TEXT REFERENCES datasets (id) ON DELETE SET NULL;
ALTER TABLE artifacts ADD COLUMN mime_type  TEXT;
ALTER TABLE artifacts ADD COLUMN file_name  TEXT;              -- suggested name on export
ALTER TABLE artifacts ADD COLUMN size       INTEGER NOT NULL DEFAULT 0;   -- bytes of data
CREATE INDEX artifacts_dataset ON artifacts (dataset_id);

-- A chat that answers from its project's documents and datasets.
ALTER TABLE chats ADD COLUMN use_knowledge INTEGER NOT NULL DEFAULT 0;

-- The passages an answer was given, in citation order: a JSON array of
-- {"n", "document_id", "document_name", "chunk_id", "locator_kind",
--  "locator", "title", "excerpt"} (or {"n", "dataset_id", "dataset_name"}).
ALTER TABLE messages ADD COLUMN citations TEXT CHECK (citations IS NULL OR json_valid (citations));

-- The model that embeds chunks for hybrid search (NULL = full-text only),
-- and the vision model that describes imported images (NULL = OCR only).
ALTER TABLE profile ADD COLUMN embeddings_model       TEXT;
ALTER TABLE profile ADD COLUMN embeddings_provider_id TEXT;
ALTER TABLE profile ADD COLUMN vision_model           TEXT;
ALTER TABLE profile ADD COLUMN vision_provider_id     TEXT;
