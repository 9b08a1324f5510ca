"""The project file's schema, its version and its forward migrations.

A project is one SQLite file. Every table that researchers change through operations has a
primary key listed in ``PRIMARY_KEYS`` so the generic undo in ``synth.operations`` can record
row images. Arrays (embeddings, projections) are stored as raw little-endian float32 blobs with
their shape beside them; nothing is ever pickled.
"""
from __future__ import annotations

APPLICATION_ID = 0x53594E54  # "SYNT": lets us tell a Synth file from any other SQLite file
SCHEMA_VERSION = 4

SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('debate','workshop','interview','survey',
                                              'tallies','characteristics','document')),
    name         TEXT NOT NULL,
    path         TEXT NOT NULL DEFAULT '',
    site         TEXT NOT NULL DEFAULT '',
    workshop     TEXT NOT NULL DEFAULT '',
    imported_at  TEXT NOT NULL,
    details      TEXT NOT NULL DEFAULT '{}'          -- JSON: import summary, warnings, options
);

CREATE TABLE participants (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    external_id  TEXT NOT NULL,
    polis_group  INTEGER,                            -- Pol.is's own group-id, kept for comparison
    UNIQUE (source_id, external_id)
);

CREATE TABLE participant_attributes (
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    value          TEXT NOT NULL,
    source_id      INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    PRIMARY KEY (participant_id, name)
);

CREATE TABLE statements (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    external_id    TEXT NOT NULL,
    text           TEXT NOT NULL,
    author_id      INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    created        REAL,                             -- seconds since the epoch, UTC
    moderation     INTEGER NOT NULL DEFAULT 0 CHECK (moderation IN (-1, 0, 1)),
    is_seed        INTEGER NOT NULL DEFAULT 0,
    is_meta        INTEGER NOT NULL DEFAULT 0,
    agree_tally    INTEGER,                          -- tallies for sources without single votes
    disagree_tally INTEGER,
    pass_tally     INTEGER,
    row_number     INTEGER,                          -- provenance: line in the imported file
    UNIQUE (source_id, external_id)
);

CREATE TABLE votes (
    statement_id   INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    value          INTEGER NOT NULL CHECK (value IN (-1, 0, 1)),
    cast_at        REAL,
    PRIMARY KEY (statement_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX votes_by_participant ON votes(participant_id);

CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    external_id  TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    site         TEXT NOT NULL DEFAULT '',
    workshop     TEXT NOT NULL DEFAULT '',
    table_group  TEXT NOT NULL DEFAULT '',
    activity     TEXT NOT NULL DEFAULT '',
    scenario     TEXT NOT NULL DEFAULT '',
    colour       TEXT NOT NULL DEFAULT '',
    dot_votes    INTEGER NOT NULL DEFAULT 0,
    author_role  TEXT NOT NULL DEFAULT '',
    participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    row_number   INTEGER
);

CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    site       TEXT NOT NULL DEFAULT '',
    workshop   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE passages (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start        INTEGER NOT NULL,                   -- character offsets into documents.text
    end          INTEGER NOT NULL,
    speaker      TEXT NOT NULL DEFAULT '',
    speaker_role TEXT NOT NULL DEFAULT '',           -- facilitator / participant / ''
    origin       TEXT NOT NULL DEFAULT 'split' CHECK (origin IN ('split', 'coded')),
    CHECK (start >= 0 AND end >= start)
);
CREATE INDEX passages_by_document ON passages(document_id, start);

CREATE TABLE themes (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER REFERENCES themes(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    colour       TEXT NOT NULL DEFAULT '#4e79a7',
    position     INTEGER NOT NULL DEFAULT 0,
    pinned       INTEGER NOT NULL DEFAULT 0,
    name_edited  INTEGER NOT NULL DEFAULT 0,         -- a rerun never renames an edited theme
    status       TEXT NOT NULL DEFAULT 'accepted' CHECK (status IN ('candidate', 'accepted')),
    x            REAL NOT NULL DEFAULT 0,
    y            REAL NOT NULL DEFAULT 0,
    keywords     TEXT NOT NULL DEFAULT '[]',         -- JSON list
    summary_shared TEXT NOT NULL DEFAULT '',         -- "what participants shared"
    summary_want   TEXT NOT NULL DEFAULT '',         -- "what participants want to see"
    run_id       INTEGER REFERENCES analysis_runs(id) ON DELETE SET NULL
);

-- Where each card lies: a card absent from this table is on the unsorted pile.
CREATE TABLE card_places (
    card_kind  TEXT NOT NULL CHECK (card_kind IN ('statement', 'note', 'passage')),
    card_id    INTEGER NOT NULL,
    theme_id   INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    x          REAL NOT NULL DEFAULT 0,
    y          REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (card_kind, card_id)
);
CREATE INDEX card_places_by_theme ON card_places(theme_id);

-- Codes (themes) applied to spans of documents, by a named coder.
CREATE TABLE codings (
    id          INTEGER PRIMARY KEY,
    theme_id    INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    coder       TEXT NOT NULL DEFAULT '',
    created     TEXT NOT NULL DEFAULT '',
    CHECK (start >= 0 AND end > start)
);

CREATE TABLE memos (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL,                       -- theme / statement / note / passage / project
    target_id   INTEGER,
    text        TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    created     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY,
    item_kind   TEXT NOT NULL CHECK (item_kind IN ('statement', 'note', 'passage', 'coding')),
    item_id     INTEGER NOT NULL,
    start       INTEGER,                             -- optional span inside the item's text
    end         INTEGER,
    attribution TEXT NOT NULL DEFAULT '',
    consent     INTEGER NOT NULL DEFAULT 1,
    redactions  TEXT NOT NULL DEFAULT '[]'           -- JSON: confirmed [start, end, replacement]
);

CREATE TABLE recommendations (
    id        INTEGER PRIMARY KEY,
    theme_id  INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL DEFAULT 0,
    title     TEXT NOT NULL,
    text      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE evidence (
    id                INTEGER PRIMARY KEY,
    theme_id          INTEGER REFERENCES themes(id) ON DELETE CASCADE,
    recommendation_id INTEGER REFERENCES recommendations(id) ON DELETE CASCADE,
    item_kind         TEXT NOT NULL CHECK (item_kind IN ('statement','note','passage','quote','coding')),
    item_id           INTEGER NOT NULL,
    role              TEXT NOT NULL DEFAULT 'support',  -- shared / want / support
    position          INTEGER NOT NULL DEFAULT 0,
    CHECK (theme_id IS NOT NULL OR recommendation_id IS NOT NULL)
);

CREATE TABLE dot_votes (
    id        INTEGER PRIMARY KEY,
    theme_id  INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    voter     TEXT NOT NULL,
    dots      INTEGER NOT NULL DEFAULT 1,
    cast_at   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                              -- JSON
);

-- Cached sentence embeddings: keyed by model and a hash of the text, never recomputed.
CREATE TABLE embeddings (
    model     TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB NOT NULL,                         -- little-endian float32, dim values
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;

-- Every analysis run: what went in, with which parameters and versions, and what came out.
CREATE TABLE analysis_runs (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,                         -- themes / opinion_groups / ...
    created   TEXT NOT NULL,
    params    TEXT NOT NULL DEFAULT '{}',            -- JSON
    result    TEXT NOT NULL DEFAULT '{}'             -- JSON (small results only)
);

-- Named arrays of an analysis run: float32 (projections, centres) or int64 (ids), little-endian,
-- with a shape. Never pickled.
CREATE TABLE arrays (
    run_id  INTEGER NOT NULL REFERENCES analysis_runs(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    shape   TEXT NOT NULL,                           -- JSON list of ints
    data    BLOB NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- Opinion group membership for a run, so every per-group figure is traceable to a run.
CREATE TABLE group_members (
    run_id         INTEGER NOT NULL REFERENCES analysis_runs(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    group_id       INTEGER NOT NULL,
    PRIMARY KEY (run_id, participant_id)
) WITHOUT ROWID;

-- Participant subsets the researcher defines ("line managers", "outside London").
CREATE TABLE segments (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    rule    TEXT NOT NULL                            -- JSON: {"attribute": ..., "in": [...]} etc.
);
"""

# Primary key columns of every table that operations may change (used by the generic undo).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("id",),
    "participants": ("id",),
    "participant_attributes": ("participant_id", "name"),
    "statements": ("id",),
    "votes": ("statement_id", "participant_id"),
    "notes": ("id",),
    "documents": ("id",),
    "passages": ("id",),
    "themes": ("id",),
    "card_places": ("card_kind", "card_id"),
    "codings": ("id",),
    "memos": ("id",),
    "quotes": ("id",),
    "recommendations": ("id",),
    "evidence": ("id",),
    "dot_votes": ("id",),
    "settings": ("key",),
    "segments": ("id",),
    "analysis_runs": ("id",),
    "group_members": ("run_id", "participant_id"),
    "arrays": ("run_id", "name"),
    "run_places": ("card_kind", "card_id"),
}

# Forward migrations: MIGRATIONS[v] upgrades a file at version v to v + 1. A new project is
# made as format 1 and brought forward by the same steps, so both roads give the same file.
MIGRATIONS: dict[int, str] = {
    # 2: arrays carry their element type, so ids are stored as exact int64, not float32
    1: "ALTER TABLE arrays ADD COLUMN dtype TEXT NOT NULL DEFAULT '<f4' "
       "CHECK (dtype IN ('<f4', '<i8'))",
    # 3: where theme discovery (or a split by similarity) last put each card, so that a card
    # lying anywhere else was placed by a person and a rerun leaves it there. No foreign keys:
    # the record outlives a theme the team deletes (its cards then lie elsewhere: by hand).
    # A file of format 2 kept no such record: a card in a theme a run made counts as placed
    # there by that run (a drag between two such themes cannot be told apart any more); a
    # card in a theme the team made counts as placed by hand.
    2: "CREATE TABLE run_places (\n"
       "    card_kind TEXT NOT NULL CHECK (card_kind IN ('statement', 'note', 'passage')),\n"
       "    card_id   INTEGER NOT NULL,\n"
       "    theme_id  INTEGER,\n"
       "    run_id    INTEGER,\n"   # the run that put it there
       "    PRIMARY KEY (card_kind, card_id)\n"
       ") WITHOUT ROWID;\n"
       "INSERT INTO run_places (card_kind, card_id, theme_id, run_id) "
       "SELECT cp.card_kind, cp.card_id, cp.theme_id, t.run_id FROM card_places cp "
       "JOIN themes t ON t.id = cp.theme_id WHERE t.run_id IS NOT NULL",
    # 4: the undo history is kept in the file, so a step made before a close or a crash still
    # undoes (PRODUCT.md: "every step undoes"). One row per applied operation: its name and
    # its rows' before and after images (JSON, zlib); ``undone`` rows are the redo steps.
    3: "CREATE TABLE IF NOT EXISTS history (\n"
       "    id      INTEGER PRIMARY KEY AUTOINCREMENT,\n"
       "    name    TEXT NOT NULL,\n"
       "    changes BLOB NOT NULL,\n"
       "    undone  INTEGER NOT NULL DEFAULT 0,\n"
       "    at      TEXT NOT NULL DEFAULT ''\n"
       ")",
}
