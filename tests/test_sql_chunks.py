"""synth.sql: a list of values longer than one query may bind is read in chunks, every row once."""
from __future__ import annotations

import sqlite3

from synth.sql import IN_LIMIT, chunks, rows_in


def test_chunks_cover_the_values_in_order():
    assert [list(c) for c in chunks(list(range(7)), 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []
    assert [len(c) for c in chunks(range(25_000))] == [IN_LIMIT, IN_LIMIT, 5_000]


def test_rows_in_reads_every_row_one_query_per_chunk():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (kind TEXT, id INTEGER)")
    db.executemany("INSERT INTO t VALUES (?, ?)",
                   [(k, i) for k in ("a", "b") for i in range(25_000)])
    calls = []

    def run(sql, params):
        calls.append(len(params))
        return db.execute(sql, params).fetchall()

    wanted = list(range(1, 25_000, 2))          # 12,500 ids: two chunks
    rows = list(rows_in(run, "SELECT id FROM t WHERE kind = ? AND id IN", wanted, ("b",)))
    assert sorted(r[0] for r in rows) == wanted
    assert calls == [1 + IN_LIMIT, 1 + 2_500]
    assert [r[0] for r in rows_in(db.execute, "SELECT id FROM t WHERE kind = 'a' AND id IN",
                                  [4, 2, 99_999], size=2)] == [2, 4]
    assert list(rows_in(run, "SELECT id FROM t WHERE id IN", [])) == [] and len(calls) == 2
