"""Operations: every change a researcher makes, named, applied in one transaction, reversible.

An operation writes through a ``Tx``, which records the before and after image of every row it
touches. Undo writes the before images back in reverse order and redo writes the after images
again, so each operation only says what it does; reversing it comes for free and cannot drift
out of step with the forward code. The history lives here, below Qt, so the command line, the
tests and the window's undo stack all share it (the Qt undo stack only wraps it).

Each applied operation reports what changed (tables and keys), so views refresh precisely.
"""
from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from .schema import PRIMARY_KEYS

Key = tuple[Any, ...]
Row = dict[str, Any]


@dataclass
class RowChange:
    table: str
    key: Key
    before: Row | None      # None: the row did not exist before
    after: Row | None       # None: the row was deleted


@dataclass
class ChangeSet:
    """What one operation (or its undo) changed: for views that refresh precisely."""
    name: str
    changes: list[RowChange] = field(default_factory=list)
    _tables: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def tables(self) -> frozenset[str]:
        """The tables changed (read once: every view asks, and a big change has 100,000s of
        rows; ``changes`` is complete when a ChangeSet is made)."""
        if self._tables is None:
            self._tables = frozenset(c.table for c in self.changes)
        return self._tables

    def keys(self, table: str) -> set[Key]:
        return {c.key for c in self.changes if c.table == table}


class Tx:
    """The write API that operations use. Every write is recorded for undo."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.changes: list[RowChange] = []
        # themes whose keywords a Batch finds again once at its end (synth.board.Batch); None
        # outside a batch
        self.keywords_later: set[int] | None = None

    # reads pass straight through
    def query(self, sql: str, params: Any = ()) -> list[Any]:
        return self.db.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get(self, table: str, key: Key | Any) -> Row | None:
        key = _as_key(key)
        cols = PRIMARY_KEYS[table]
        where = " AND ".join(f"{c} = ?" for c in cols)
        row = self.db.execute(f"SELECT * FROM {table} WHERE {where}", key).fetchone()
        return None if row is None else dict(row)

    def insert(self, table: str, values: Row) -> Key:
        cols = list(values)
        sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
               f"VALUES ({', '.join('?' for _ in cols)})")
        cur = self.db.execute(sql, [values[c] for c in cols])
        pk = PRIMARY_KEYS[table]
        if pk == ("id",) and "id" not in values:
            key: Key = (cur.lastrowid,)
        else:
            key = tuple(values[c] for c in pk)
        after = self.get(table, key)
        self.changes.append(RowChange(table, key, None, after))
        return key

    def update(self, table: str, key: Key | Any, values: Row) -> None:
        key = _as_key(key)
        before = self.get(table, key)
        if before is None:
            raise KeyError(f"{table} {key} does not exist")
        if all(before.get(c) == v for c, v in values.items()):
            return
        sets = ", ".join(f"{c} = ?" for c in values)
        where = " AND ".join(f"{c} = ?" for c in PRIMARY_KEYS[table])
        self.db.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*values.values(), *key])
        self.changes.append(RowChange(table, key, before, self.get(table, key)))

    def delete(self, table: str, key: Key | Any) -> None:
        """Delete one row. Rows that foreign keys would cascade to are deleted first, through
        this same API, so that undo restores them too."""
        key = _as_key(key)
        before = self.get(table, key)
        if before is None:
            return
        for child_table, child_col in _CASCADES.get(table, ()):
            pk = PRIMARY_KEYS[child_table]
            rows = self.db.execute(
                f"SELECT {', '.join(pk)} FROM {child_table} WHERE {child_col} = ?",
                (key[0],)).fetchall()
            for r in rows:
                self.delete(child_table, tuple(r))
        for child_table, kind_col, id_col, kind in _CITATIONS.get(table, ()):
            pk = PRIMARY_KEYS[child_table]
            rows = self.db.execute(
                f"SELECT {', '.join(pk)} FROM {child_table} WHERE {kind_col} = ? AND "
                f"{id_col} = ?", (kind, key[0])).fetchall()
            for r in rows:
                self.delete(child_table, tuple(r))
        where = " AND ".join(f"{c} = ?" for c in PRIMARY_KEYS[table])
        self.db.execute(f"DELETE FROM {table} WHERE {where}", key)
        self.changes.append(RowChange(table, key, before, None))

    def delete_where(self, table: str, where: str, params: Any = ()) -> int:
        """Delete every row of ``table`` matching ``where`` in one statement (a debate's
        100,000s of votes), each recorded for undo. Only for tables nothing cascades from or
        cites: their rows go with nothing else."""
        if table in _CASCADES or table in _CITATIONS:
            raise ValueError(f"{table} has dependent rows: delete them one by one")
        pk = PRIMARY_KEYS[table]
        rows = self.db.execute(f"SELECT * FROM {table} WHERE {where}", params).fetchall()
        if rows:
            self.db.execute(f"DELETE FROM {table} WHERE {where}", params)
            self.changes.extend(RowChange(table, tuple(r[c] for c in pk), dict(r), None)
                                for r in rows)
        return len(rows)

    def upsert(self, table: str, values: Row) -> Key:
        key = tuple(values[c] for c in PRIMARY_KEYS[table])
        if self.get(table, key) is None:
            return self.insert(table, values)
        self.update(table, key, {c: v for c, v in values.items()
                                 if c not in PRIMARY_KEYS[table]})
        return key


# Rows removed with their parent (mirrors ON DELETE CASCADE in the schema) that operations may
# delete; listed so that undo brings them back.
_CASCADES: dict[str, Sequence[tuple[str, str]]] = {
    "themes": (("themes", "parent_id"), ("card_places", "theme_id"), ("codings", "theme_id"),
               ("recommendations", "theme_id"), ("evidence", "theme_id"),
               ("dot_votes", "theme_id")),
    "recommendations": (("evidence", "recommendation_id"),),
    "documents": (("codings", "document_id"), ("passages", "document_id")),
}


# Rows that cite an item by (kind, id) rather than by a foreign key: evidence, quotes and the
# board's places. Removing the item removes what cites it, so nothing points at nothing.
_CITATIONS: dict[str, Sequence[tuple[str, str, str, str]]] = {
    "codings": (("evidence", "item_kind", "item_id", "coding"),
                ("quotes", "item_kind", "item_id", "coding")),
    "passages": (("evidence", "item_kind", "item_id", "passage"),
                 ("quotes", "item_kind", "item_id", "passage"),
                 ("card_places", "card_kind", "card_id", "passage")),
    "notes": (("evidence", "item_kind", "item_id", "note"),
              ("quotes", "item_kind", "item_id", "note"),
              ("card_places", "card_kind", "card_id", "note")),
    "statements": (("evidence", "item_kind", "item_id", "statement"),
                   ("quotes", "item_kind", "item_id", "statement"),
                   ("card_places", "card_kind", "card_id", "statement")),
    "quotes": (("evidence", "item_kind", "item_id", "quote"),),
}


def _as_key(key: Key | Any) -> Key:
    return tuple(key) if isinstance(key, (tuple, list)) else (key,)


class Operation:
    """A named change. Subclasses implement ``run(tx)``; undo and redo are generic."""

    name: str = "change"

    def run(self, tx: Tx) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return self.name


@dataclass
class AppliedOperation:
    operation: Operation
    changes: list[RowChange] | None     # None: kept in the file, read when first needed
    result: Any = None
    row_id: int | None = None       # its row in the file's history table, if kept there
    loaded: bool = False            # read from the file: made in an earlier session

    @property
    def name(self) -> str:
        return self.operation.describe()


@dataclass
class _Earlier(Operation):
    """An operation applied in an earlier session, known by its name and its rows."""
    label: str

    def describe(self) -> str:
        return self.label


# The history kept in the file: the last KEPT_STEPS operations, within KEPT_BYTES; one of more
# than KEPT_ROWS rows (a discovery run over a huge board) is kept in memory only, and the steps
# before it are dropped from the file, since undo could not reach them past it after a reopen.
KEPT_STEPS = 200
KEPT_ROWS = 200_000
KEPT_BYTES = 64 * 1024 * 1024   # and no more than this in all (the newest step always)


class History:
    """Undo and redo of applied operations, for one open project."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.done: list[AppliedOperation] = []
        self.undone: list[AppliedOperation] = []
        self.listeners: list[Callable[[ChangeSet], None]] = []
        self.clean_index = 0
        self.done = _load(project.db)

    def apply(self, operation: Operation) -> Any:
        with self.project.transaction() as db:
            tx = Tx(db)
            result = operation.run(tx)
            applied = AppliedOperation(operation, tx.changes, result)
            if tx.changes:
                applied.row_id = _keep(db, applied)
        if tx.changes:
            self.done.append(applied)
            self.undone.clear()
        self._notify(ChangeSet(operation.describe(), tx.changes))
        return result

    def adopt(self, applied: Iterable[AppliedOperation]) -> None:
        """Take into this history operations applied on another connection to the same file
        (a background task's): they are already written; undo and the listeners follow them as
        if they had been applied here."""
        for a in applied:
            if not a.changes:
                continue
            self.done.append(a)
            self.undone.clear()
            self._notify(ChangeSet(a.name, a.changes))

    def can_undo(self) -> bool:
        return bool(self.done)

    def can_redo(self) -> bool:
        return bool(self.undone)

    def undo(self) -> ChangeSet | None:
        if not self.done:
            return None
        applied = self.done[-1]
        changes = self._rows_of(applied)
        if changes is None or not _unchanged(self.project.db, changes, "after"):
            self._drop_from(applied, redo=False)
        with self.project.transaction() as db:
            for change in reversed(changes):
                _write_image(db, change.table, change.key, change.before)
            _mark(db, applied, undone=True)
        self.undone.append(self.done.pop())
        cs = ChangeSet(f"Undo {applied.name}", _inverted(changes))
        self._notify(cs)
        return cs

    def redo(self) -> ChangeSet | None:
        if not self.undone:
            return None
        applied = self.undone[-1]
        changes = self._rows_of(applied)
        if changes is None or not _unchanged(self.project.db, changes, "before"):
            self._drop_from(applied, redo=True)
        with self.project.transaction() as db:
            for change in changes:
                _write_image(db, change.table, change.key, change.after)
            _mark(db, applied, undone=False)
        self.done.append(self.undone.pop())
        cs = ChangeSet(f"Redo {applied.name}", changes)
        self._notify(cs)
        return cs

    def _rows_of(self, applied: AppliedOperation) -> list[RowChange] | None:
        """A step's rows, read from the file the first time a kept step needs them (an open
        reads only the steps' names); None when they cannot be read."""
        if applied.changes is None and applied.row_id is not None:
            row = self.project.db.execute("SELECT changes FROM history WHERE id = ?",
                                          (applied.row_id,)).fetchone()
            try:
                applied.changes = _decode(row[0]) if row else None
            except Exception:  # noqa: BLE001 - a damaged step is one that cannot undo
                applied.changes = None
        return applied.changes

    def _drop_from(self, applied: AppliedOperation, *, redo: bool) -> None:
        """Refuse a step whose rows the file has moved past (an import, which keeps no history,
        or another program changed what it touched): it and the steps beyond it can no longer
        be undone (or redone), and they leave the file's history too. Raises UserError."""
        from .errors import UserError
        steps = self.undone if redo else self.done
        gone = steps[:steps.index(applied) + 1]
        del steps[:len(gone)]
        ids = [a.row_id for a in gone if a.row_id is not None]
        if ids:
            with self.project.transaction() as db:
                db.executemany("DELETE FROM history WHERE id = ?", [(i,) for i in ids])
        word = "redone" if redo else "undone"
        more = len(gone) - 1
        raise UserError(
            f"“{applied.name}” cannot be {word}: the project has changed since (an import or "
            "another program changed what it touched). Nothing was changed"
            + (f"; the {more} step{'s' * (more != 1)} before it can no longer be {word} either."
               if more else "."))

    def names(self) -> list[str]:
        return [a.name for a in self.done]

    def _notify(self, changes: ChangeSet) -> None:
        for listener in list(self.listeners):
            listener(changes)


# ------------------------------------------------------------------ the history in the file
def _has_table(db: Any) -> bool:
    """A read-only view of a file older than format 4 has no history table."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history'"
                      ).fetchone() is not None


def _encode(changes: list[RowChange]) -> bytes:
    def value(v: Any) -> Any:
        return {"b64": base64.b64encode(v).decode("ascii")} if isinstance(v, bytes) else v

    def image(row: Row | None) -> Any:
        return None if row is None else {k: value(v) for k, v in row.items()}
    data = [[c.table, list(c.key), image(c.before), image(c.after)] for c in changes]
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)


def _decode(blob: bytes) -> list[RowChange]:
    def value(v: Any) -> Any:
        return base64.b64decode(v["b64"]) if isinstance(v, dict) else v

    def image(row: Any) -> Row | None:
        return None if row is None else {k: value(v) for k, v in row.items()}
    return [RowChange(t, tuple(k), image(b), image(a))
            for t, k, b, a in json.loads(zlib.decompress(blob))]


def _keep(db: Any, applied: AppliedOperation) -> int | None:
    """Write an applied operation into the file's history, in its own transaction: the redo
    steps go (as in memory), the oldest beyond KEPT_STEPS too."""
    if not _has_table(db):
        return None
    db.execute("DELETE FROM history WHERE undone = 1")
    if len(applied.changes) > KEPT_ROWS:
        db.execute("DELETE FROM history")      # unreachable after a reopen past this step
        return None             # (ids are never reused: AUTOINCREMENT, so the steps held in
                                # memory keep rows no later step takes)
    from .project import now_iso
    cur = db.execute("INSERT INTO history (name, changes, at) VALUES (?, ?, ?)",
                     (applied.name, _encode(applied.changes), now_iso()))
    db.execute("DELETE FROM history WHERE id <= ?", (cur.lastrowid - KEPT_STEPS,))
    db.execute("DELETE FROM history WHERE id IN (SELECT id FROM (SELECT id, sum(length("
               "changes)) OVER (ORDER BY id DESC) AS total FROM history) WHERE total > ? "
               "AND id < ?)", (KEPT_BYTES, cur.lastrowid))
    return int(cur.lastrowid)


def _mark(db: Any, applied: AppliedOperation, *, undone: bool) -> None:
    if applied.row_id is not None:
        db.execute("UPDATE history SET undone = ? WHERE id = ?", (int(undone), applied.row_id))


def _load(db: Any) -> list[AppliedOperation]:
    """The steps kept in the file that are done (not the redo steps), oldest first: their
    names only; their rows are read when one is undone (``History._rows_of``)."""
    if not _has_table(db):
        return []
    return [AppliedOperation(_Earlier(name), None, row_id=row_id, loaded=True)
            for row_id, name in db.execute(
                "SELECT id, name FROM history WHERE undone = 0 ORDER BY id").fetchall()]


def _unchanged(db: Any, changes: list[RowChange], side: str) -> bool:
    """Whether every row a step touched is as the step left it (``side`` "after", before an
    undo) or found it ("before", before a redo): the file may have been changed meanwhile by
    something that keeps no history (an import reusing the ids of rows removed, another
    program)."""
    # a row a step wrote twice is checked against its last image (its first, before a redo)
    expected: dict[tuple[str, Key], Row | None] = {}
    for change in (changes if side == "after" else reversed(changes)):
        expected[(change.table, change.key)] = getattr(change, side)
    for (table, key), image in expected.items():
        pk = PRIMARY_KEYS.get(table)
        if pk is None:
            return False
        where = " AND ".join(f"{c} = ?" for c in pk)
        row = db.execute(f"SELECT * FROM {table} WHERE {where}", key).fetchone()
        if (None if row is None else dict(row)) != image:
            return False
    return True


def _inverted(changes: Iterable[RowChange]) -> list[RowChange]:
    return [RowChange(c.table, c.key, c.after, c.before) for c in reversed(list(changes))]


def _write_image(db: Any, table: str, key: Key, image: Row | None) -> None:
    pk = PRIMARY_KEYS[table]
    where = " AND ".join(f"{c} = ?" for c in pk)
    if image is None:
        db.execute(f"DELETE FROM {table} WHERE {where}", key)
        return
    cols = list(image)
    # UPDATE before INSERT: a REPLACE would delete the row first and cascade to its children.
    others = [c for c in cols if c not in pk]
    if others:
        cur = db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in others)} "
                         f"WHERE {where}", [*(image[c] for c in others), *key])
        if cur.rowcount:
            return
    elif db.execute(f"SELECT 1 FROM {table} WHERE {where}", key).fetchone():
        return
    db.execute(f"INSERT INTO {table} ({', '.join(cols)}) "
               f"VALUES ({', '.join('?' for _ in cols)})", [image[c] for c in cols])
