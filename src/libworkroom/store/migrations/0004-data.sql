-- 0004-data.sql — dataset rows, documents and their searchable chunks.
--
-- Same conventions as 0001 (ids, microsecond times, tombstones).

-- Where an imported dataset came from and how its import went. A dataset
-- is shown only once status is 'ready'; 'importing' rows left by a crash
-- are failed at the next import listing.
ALTER TABLE datasets ADD COLUMN source_name TEXT;
ALTER TABLE datasets ADD COLUMN status TEXT NOT NULL DEFAULT 'ready'
  CHECK (status IN ('importing', 'ready', 'failed'));
ALTER TABLE datasets ADD COLUMN error TEXT;      -- user-facing, why the import failed
ALTER TABLE datasets ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings));
ALTER TABLE datasets ADD COLUMN sheet TEXT;      -- XLSX: the sheet this dataset holds

-- The rows of a dataset, in file order: @cells is a JSON array of the
-- row's values (strings, numbers, booleans or null), as many as the
-- dataset's columns.
CREATE TABLE dataset_rows (
  dataset_id  TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  row_index   INTEGER NOT NULL,
  cells       TEXT NOT NULL,
  PRIMARY KEY (dataset_id, row_index)
) WITHOUT ROWID;

-- A file added to a project's knowledge: PPTX, DOCX, PDF, images,
-- Markdown, plain text (and the text of XLSX/CSV).
CREATE TABLE documents (
  id           TEXT PRIMARY KEY NOT NULL,
  project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('pptx', 'docx', 'xlsx', 'csv', 'pdf', 'image', 'markdown', 'text')),
  mime_type    TEXT,
  size         INTEGER NOT NULL DEFAULT 0,
  sha256       TEXT,
  source_path  TEXT,                              -- where it was imported from (to open it again)
  status       TEXT NOT NULL DEFAULT 'importing' CHECK (status IN ('importing', 'ready', 'failed')),
  error        TEXT,                              -- user-facing, why extraction failed
  units        INTEGER,                           -- slides, pages, sheets… found
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  deleted_at   INTEGER
);
CREATE INDEX documents_project ON documents (project_id, created_at);

-- A passage of a document, cut along its structure. @locator_kind and
-- @locator say where it is ("slide" 3, "page" 12, "heading" 2, "sheet" 1,
-- "section" 0) so a citation opens the exact place.
CREATE TABLE document_chunks (
  id            INTEGER PRIMARY KEY,              -- rowid, shared with the FTS index
  document_id   TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  ord           INTEGER NOT NULL,                 -- order within the document
  locator_kind  TEXT NOT NULL CHECK (locator_kind IN ('slide', 'page', 'heading', 'sheet', 'section', 'image')),
  locator       INTEGER NOT NULL DEFAULT 0,       -- 1-based slide/page/sheet number; 0 when none
  title         TEXT NOT NULL DEFAULT '',         -- slide title, heading text, sheet name
  text          TEXT NOT NULL
);
CREATE INDEX document_chunks_document ON document_chunks (document_id, ord);

-- Full-text index over the chunks (bm25 ranking), kept in step by
-- triggers.
CREATE VIRTUAL TABLE document_chunks_fts USING fts5 (
  title, text,
  content = 'document_chunks', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER document_chunks_ai AFTER INSERT ON document_chunks BEGIN
  INSERT INTO document_chunks_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER document_chunks_ad AFTER DELETE ON document_chunks BEGIN
  INSERT INTO document_chunks_fts (document_chunks_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER document_chunks_au AFTER UPDATE ON document_chunks BEGIN
  INSERT INTO document_chunks_fts (document_chunks_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO document_chunks_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Embedding vectors of chunks, when an embeddings model is configured:
-- @vector is little-endian float32 × @dims.
CREATE TABLE chunk_vectors (
  chunk_id  INTEGER NOT NULL REFERENCES document_chunks (id) ON DELETE CASCADE,
  model     TEXT NOT NULL,
  dims      INTEGER NOT NULL CHECK (dims > 0),
  vector    BLOB NOT NULL,
  PRIMARY KEY (chunk_id, model)
);
