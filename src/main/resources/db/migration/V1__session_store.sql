-- The PostgreSQL session store (tether.store.kind=postgres, spec §9). Ids sort byte-wise (COLLATE "C") so that the
-- listing order and cursors agree with the service's (updated_at descending, then id ascending).

-- One row per session: the columns listings filter and sort on, and the snapshot (the Session JSON of spec §2.1)
-- including the journal records up to snapshot_seq.
CREATE TABLE sessions (
    id            text COLLATE "C" PRIMARY KEY,
    title         text,
    directory     text,
    agent         text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    message_count integer     NOT NULL,
    snapshot      jsonb       NOT NULL,
    snapshot_seq  bigint      NOT NULL,
    last_seq      bigint      NOT NULL,
    -- snapshot plus journal bytes: the size guard (tether.store.max-session-bytes) reads this, not the session
    stored_bytes  bigint      NOT NULL
);
CREATE INDEX sessions_listing ON sessions (updated_at DESC, id);
CREATE INDEX sessions_directory ON sessions (directory, updated_at DESC, id);

-- The append-only journal: the same records as the file store's journal lines (message, tool_use, meta, event,
-- turn_result). Durable events stay here for replay by seq; a checkpoint removes the records the snapshot includes,
-- except the last tether.store.event-retention events.
CREATE TABLE journal (
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    kind       text   NOT NULL,
    record     jsonb  NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE INDEX journal_events ON journal (session_id, seq) WHERE kind = 'event';

-- Prompts sent with an Idempotency-Key (spec §3.1): written in the transaction of the turn's user message and of its
-- result, forgotten once expired.
CREATE TABLE idempotency_keys (
    session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    key        text        NOT NULL,
    turn       jsonb       NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, key)
);
