"""The vote matrix: the latest vote of each participant on each statement.

Held as coordinate arrays (row, column, value) rather than a dense table: a real debate is
sparse (most participants vote on a small share of the statements), pass (0) is a vote, not a
missing value, and 20,000 × 2,000 must fit comfortably on a laptop. Agree = +1, disagree = −1,
pass = 0 — the sign of Pol.is exports, the opposite of Pol.is's internal sign.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from ..errors import UserError


@dataclass
class VoteMatrix:
    participants: np.ndarray          # ids, one per row (any hashable; usually int or str)
    statements: np.ndarray            # ids, one per column
    row: np.ndarray                   # int32, one per vote
    col: np.ndarray                   # int32, one per vote
    value: np.ndarray                 # int8: +1 agree, −1 disagree, 0 pass
    # statements Pol.is leaves out of the statement lists (rejected by moderation or meta):
    # their column is set to pass for everyone before the PCA, as Pol.is does.
    mod_out: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    meta: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # when each vote was cast (any unit, increasing), NaN or None where unknown
    cast_at: np.ndarray | None = None

    def __post_init__(self) -> None:
        m = len(self.statements)
        if len(self.mod_out) != m:
            self.mod_out = np.zeros(m, dtype=bool)
        if len(self.meta) != m:
            self.meta = np.zeros(m, dtype=bool)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @property
    def n_votes(self) -> int:
        return len(self.value)

    def votes_per_participant(self) -> np.ndarray:
        return np.bincount(self.row, minlength=self.shape[0])

    def votes_per_statement(self) -> np.ndarray:
        return np.bincount(self.col, minlength=self.shape[1])

    def dense(self) -> np.ndarray:
        """float64 table with NaN where there is no vote (small matrices, tests)."""
        out = np.full(self.shape, np.nan)
        out[self.row, self.col] = self.value
        return out

    def participant_index(self) -> dict:
        return {p: i for i, p in enumerate(self.participants.tolist())}

    def statement_index(self) -> dict:
        return {s: j for j, s in enumerate(self.statements.tolist())}

    def subset_participants(self, keep: np.ndarray) -> "VoteMatrix":
        """Rows where ``keep`` (bool per participant) is true, statements unchanged."""
        keep = np.asarray(keep, dtype=bool)
        new_index = np.cumsum(keep) - 1
        sel = keep[self.row]
        return VoteMatrix(self.participants[keep], self.statements,
                          new_index[self.row[sel]].astype(np.int32), self.col[sel],
                          self.value[sel], self.mod_out, self.meta,
                          None if self.cast_at is None else self.cast_at[sel])

    def subset_votes(self, keep: np.ndarray) -> "VoteMatrix":
        """The same rows and columns with only the votes where ``keep`` is true."""
        return VoteMatrix(self.participants, self.statements, self.row[keep], self.col[keep],
                          self.value[keep], self.mod_out, self.meta,
                          None if self.cast_at is None else self.cast_at[keep])

    def drop_unvoted_statements(self) -> "VoteMatrix":
        """Pol.is's matrix only has columns for statements somebody voted on."""
        voted = self.votes_per_statement() > 0
        if voted.all():
            return self
        new_index = np.cumsum(voted) - 1
        return VoteMatrix(self.participants, self.statements[voted], self.row,
                          new_index[self.col].astype(np.int32), self.value,
                          self.mod_out[voted], self.meta[voted], self.cast_at)


def from_votes(pids: Sequence | np.ndarray, tids: Sequence | np.ndarray,
               values: Sequence | np.ndarray, *,
               participants: Iterable | None = None, statements: Iterable | None = None,
               mod_out: Iterable = (), meta: Iterable = (),
               cast_at: Sequence | np.ndarray | None = None) -> VoteMatrix:
    """Build the matrix from one row per vote. If a (participant, statement) pair occurs more
    than once, the latest (by ``cast_at``, else the last in the input) is kept.

    ``participants``/``statements`` fix the row/column order and may add people or statements
    without votes; by default both are the sorted ids seen in the votes.
    """
    pids = np.asarray(pids)
    tids = np.asarray(tids)
    values = np.asarray(values)
    if not (len(pids) == len(tids) == len(values)):
        raise UserError("votes: participant, statement and vote lists differ in length")
    # three comparisons, not np.isin: they give the interpreter's lock back while they run
    # (np.isin over 2,000,000 votes held it 0.18 s on a worker, and the window froze)
    valid = (values == -1) | (values == 0) | (values == 1) if len(values) else values
    if len(values) and not valid.all():
        bad = values[~valid][0]
        raise UserError(f"a vote must be −1, 0 or 1, found {bad!r}")
    # np.unique sorts with the interpreter's lock released; set(2,000,000-item list) held it
    p_ids = np.unique(pids) if participants is None else np.asarray(list(participants))
    s_ids = np.unique(tids) if statements is None else np.asarray(list(statements))
    if len(p_ids) == 0:
        p_ids = np.zeros(0, dtype=np.int64)
    if len(s_ids) == 0:
        s_ids = np.zeros(0, dtype=np.int64)
    row = _positions(p_ids, pids, "participant")
    col = _positions(s_ids, tids, "statement")
    n = len(values)
    when = None if cast_at is None else np.asarray(cast_at, dtype=float)
    if n:
        order_key = np.arange(n) if cast_at is None else np.asarray(cast_at, dtype=float)
        order = np.lexsort((np.arange(n), np.nan_to_num(order_key, nan=-np.inf), col, row))
        row, col, values = row[order], col[order], values[order]
        last = np.ones(n, dtype=bool)
        last[:-1] = (row[1:] != row[:-1]) | (col[1:] != col[:-1])
        row, col, values = row[last], col[last], values[last]
        if when is not None:
            when = when[order][last]
            if np.isnan(when).all():
                when = None
    mod_out_set = set(mod_out)
    meta_set = set(meta)
    s_list = s_ids.tolist()
    return VoteMatrix(p_ids, s_ids, row.astype(np.int32), col.astype(np.int32),
                      values.astype(np.int8),
                      np.array([s in mod_out_set for s in s_list], dtype=bool),
                      np.array([s in meta_set for s in s_list], dtype=bool), when)


def _positions(ids: np.ndarray, wanted: np.ndarray, what: str) -> np.ndarray:
    """The index in ``ids`` of each of ``wanted``, by sorted search: numpy gives the
    interpreter's lock back while it sorts and searches (a dict over 2,000,000 votes held it
    for a fifth of a second, a freeze for a window whose worker runs this)."""
    if len(wanted) == 0:
        return np.zeros(0, dtype=np.int64)
    numeric = ids.dtype.kind in "iubf", wanted.dtype.kind in "iubf"
    if len(ids) == 0 or numeric[0] != numeric[1]:   # e.g. numbers sought among names
        raise UserError(f"a vote names {what} {wanted[0].item()!r}, which is not in the "
                        f"list of {what}s")
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    pos = np.minimum(np.searchsorted(ordered, wanted), len(ids) - 1)
    missing = ordered[pos] != wanted
    if missing.any():
        raise UserError(f"a vote names {what} {wanted[missing][0].item()!r}, which is not "
                        f"in the list of {what}s")
    return order[pos].astype(np.int64)


PIECE = 20_000       # rows converted at a time


def read_votes(project, source_id: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The votes table as rows (participant, statement, value), int64 of shape (n, 3), and
    when each was cast (NaN where unknown): on one debate source's statements (or every
    source's). In pieces: one conversion of 2,000,000 rows holds the interpreter's lock for a
    second, and a window running this on a worker thread could not paint meanwhile."""
    join, where, params = "", "", ()
    if source_id is not None:
        join, where, params = ("JOIN statements s ON s.id = v.statement_id ",
                               "WHERE s.source_id = ?", (source_id,))
    cursor = project.db.execute("SELECT v.participant_id, v.statement_id, v.value, v.cast_at "
                                f"FROM votes v {join}{where}", params)
    parts, whens = [np.zeros((0, 3), dtype=np.int64)], [np.zeros(0)]
    while rows := cursor.fetchmany(PIECE):
        parts.append(np.asarray([tuple(r)[:3] for r in rows], dtype=np.int64).reshape(-1, 3))
        whens.append(np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=float))
    return np.concatenate(parts), np.concatenate(whens)


def from_project(project, source_id: int | None = None) -> VoteMatrix:
    """The votes of one debate source (or every debate source) of a project. Rows are
    ``participants.id``, columns ``statements.id``; moderated-out (−1) and meta statements are
    marked as Pol.is marks them."""
    where, params = ("", ()) if source_id is None else ("WHERE s.source_id = ?", (source_id,))
    statements = project.query(
        f"SELECT s.id, s.moderation, s.is_meta FROM statements s {where} ORDER BY s.id", params)
    arr, when = read_votes(project, source_id)
    pwhere = "" if source_id is None else "WHERE source_id = ?"
    participants = [r[0] for r in project.query(
        f"SELECT id FROM participants {pwhere} ORDER BY id", params)]
    voted = set(np.unique(arr[:, 0]).tolist())
    participants = [p for p in participants if p in voted] + sorted(voted - set(participants))
    return from_votes(arr[:, 0], arr[:, 1], arr[:, 2], participants=participants,
                      cast_at=when,
                      statements=[r[0] for r in statements],
                      mod_out=[r[0] for r in statements if r[1] == -1 or r[2]],
                      meta=[r[0] for r in statements if r[2]])
