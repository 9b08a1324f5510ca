"""Pol.is export folders: comments.csv, votes.csv and/or participant(s)-votes.csv, summary.csv,
found by the ending of their names (an export id may come first).

Quirks handled (see the Pol.is openData README):
- votes.csv holds every vote event; the latest per participant and statement counts.
- comments.csv agrees/disagrees count superseded re-votes too: used only to detect an export
  whose vote sign is inverted (inside Pol.is agree = −1), never as the figures.
- a folder may hold participants-votes.csv but no votes.csv: the votes then come from its matrix.
- moderated: −1 rejected, 0 unmoderated, 1 accepted; is-meta and is-seed may be absent.
- timestamps in milliseconds or seconds.
- participants-votes.csv ``group-id`` is Pol.is's own opinion group: kept for comparison.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import ImportProblem
from ..project import Project, now_iso
from ..words import plural
from .common import MAX_NUMBER, Table, parse_bool, parse_int, parse_timestamp, read_table
from .report import ImportReport

Progress = Callable[[int, int, str], None]


@dataclass
class PolisComment:
    tid: int
    text: str
    author: int | None
    created: float | None
    moderated: int
    is_meta: bool
    is_seed: bool
    agrees: int | None
    disagrees: int | None
    row: int


@dataclass
class PolisExport:
    folder: Path
    topic: str
    comments: list[PolisComment]
    # latest vote per (participant, statement), parallel arrays
    pid: np.ndarray
    tid: np.ndarray
    vote: np.ndarray
    cast_at: np.ndarray            # seconds; NaN where unknown
    participants: list[int]
    polis_groups: dict[int, int | None]
    summary: dict[str, str]
    sign_inverted: bool = False
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# The files of an export, by the ending of their names: Pol.is's report export serves
# ``participant-votes.csv`` (singular), the openData repository ``participants-votes.csv``, and
# download scripts put the export's id in front (``9xxwa9jpkm-2024-10-09-comments.csv``).
_ENDINGS = {
    "comments": ("comments.csv",),
    "votes": ("votes.csv",),
    "participant votes": ("participants-votes.csv", "participant-votes.csv"),
    "summary": ("summary.csv",),
}


def _role(name: str) -> str | None:
    """Which file of an export ``name`` is, by its ending (a prefix ends with - or _)."""
    low = name.lower()
    for role in ("participant votes", "comments", "summary", "votes"):
        for end in _ENDINGS[role]:
            if low == end or (low.endswith(end) and low[-len(end) - 1] in "-_"):
                if role == "votes" and (low.endswith("participants-votes.csv")
                                        or low.endswith("participant-votes.csv")):
                    continue
                return role
    return None


def export_files(folder: Path) -> dict[str, Path]:
    """The export's files by role (comments, votes, participant votes, summary), found by the
    ending of their names. Two candidates for one role: an ImportProblem naming both."""
    found: dict[str, list[Path]] = {}
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return {}
    for p in entries:
        role = _role(p.name)
        if role is not None:
            found.setdefault(role, []).append(p)
    out: dict[str, Path] = {}
    for role, paths in found.items():
        if len(paths) > 1:
            raise ImportProblem(folder, f"two {role} files: {paths[0].name} and "
                                        f"{paths[1].name}; keep one export per folder")
        out[role] = paths[0]
    return out


def is_polis_folder(path: Path) -> bool:
    if not path.is_dir():
        return False
    try:
        files = export_files(path)
    except ImportProblem:
        return True         # an export with two of a file: the import says which
    return "comments" in files and ("votes" in files or "participant votes" in files)


def comments_alone(path: str | os.PathLike[str]) -> ImportProblem | None:
    """A Pol.is export's comments.csv given alone (QA 15): its agrees and disagrees count every
    vote event, superseded re-votes included, and it has no passes, so read as a tally table it
    would print "76% of those who voted (n = 51)" where the votes give 61% of 62. The problem
    to raise, naming the export folder to import instead; None for any other file."""
    from .common import read_header
    p = Path(path)
    if not p.is_file() or _role(p.name) != "comments":
        return None
    try:
        headers = {h.strip().lower() for h in read_header(p).headers}
    except (ImportProblem, OSError, ValueError):
        return None
    if not {"comment-id", "comment-body", "agrees", "disagrees"} <= headers:
        return None
    why = ("a Pol.is export's comments.csv: its agrees/disagrees count every vote event, "
           "re-votes included, and it has no passes, so it cannot give “% of those who "
           "voted”. ")
    if is_polis_folder(p.parent):
        return ImportProblem(p, why + f"Import the export folder {p.parent} instead (its "
                                      "votes give the exact figures)")
    return ImportProblem(p, why + "Import the whole export folder: comments.csv with votes.csv "
                                  "or participant-votes.csv, as Pol.is exports them")


def read_polis_export(folder: str | os.PathLike[str], *, vote_sign: str = "auto") -> PolisExport:
    """Read and check a Pol.is export folder. ``vote_sign``: ``auto`` (detect an inverted export
    from the counts and flip it), ``as-is`` or ``inverted``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportProblem(folder, "not a folder (a Pol.is export is a folder of CSV files)")
    files = export_files(folder)
    comments_path = files.get("comments")
    votes_path = files.get("votes")
    pv_path = files.get("participant votes")
    if comments_path is None:
        raise ImportProblem(folder, "no comments.csv: not a Pol.is export folder")
    if votes_path is None and pv_path is None:
        raise ImportProblem(folder, "neither votes.csv nor participant-votes.csv "
                                    "(participants-votes.csv): no votes")
    warnings: list[str] = []

    comments = _read_comments(read_table(comments_path), warnings)
    known = {c.tid for c in comments}

    polis_groups: dict[int, int | None] = {}
    pv_votes = None
    if pv_path is not None:
        pv_votes = _read_participants_votes(read_table(pv_path), polis_groups)

    if votes_path is not None:
        pid, tid, vote, cast_at, raw_events = _read_votes(read_table(votes_path))
    else:
        assert pv_votes is not None
        pid, tid, vote = pv_votes
        cast_at = np.full(len(pid), np.nan)
        raw_events = len(pid)

    unknown = ~np.isin(tid, np.fromiter(known, dtype=np.int64, count=len(known)))
    if unknown.any():
        warnings.append(f"{plural(int(unknown.sum()), 'vote')} on "
                        f"{plural(len(set(tid[unknown].tolist())), 'statement')} missing from "
                        "comments.csv: not imported")
        pid, tid, vote, cast_at = pid[~unknown], tid[~unknown], vote[~unknown], cast_at[~unknown]

    inverted = _looks_inverted(comments, tid, vote)
    flip = vote_sign == "inverted" or (vote_sign == "auto" and inverted)
    if vote_sign not in ("auto", "as-is", "inverted"):
        raise ImportProblem(folder, f"unknown vote sign option “{vote_sign}”")
    if flip:
        vote = -vote
        warnings.append("the vote sign looked inverted (agree = −1, as inside Pol.is) and was "
                        "flipped to agree = +1" if vote_sign == "auto" else
                        "votes flipped: agree = −1 in this export, as asked")
    elif inverted and vote_sign == "as-is":
        warnings.append("the vote sign looks inverted, but was kept as asked")

    participants = sorted(set(pid.tolist()) | set(polis_groups)
                          | {c.author for c in comments if c.author is not None})
    summary = _read_summary(files["summary"]) if "summary" in files else {}
    topic = summary.get("topic") or folder.name
    return PolisExport(folder, topic, comments, pid, tid, vote, cast_at, participants,
                       polis_groups, summary, flip, warnings,
                       {"vote events": raw_events})


def _read_comments(table: Table, warnings: list[str]) -> list[PolisComment]:
    c_id = table.require("comment-id", "tid", "id")
    c_body = table.require("comment-body", "txt", "text", "body")
    c_author = table.find("author-id", "pid", "author")
    c_time = table.find("timestamp", "created")
    c_mod = table.find("moderated", "mod")
    c_meta = table.find("is-meta")
    c_seed = table.find("is-seed")
    c_agrees = table.find("agrees", "agree-count")
    c_disagrees = table.find("disagrees", "disagree-count")
    out: list[PolisComment] = []
    seen: set[int] = set()
    duplicates = empty = 0
    for i, row in enumerate(table.rows):
        tid = parse_int(table, i, c_id, what="a comment id")
        assert tid is not None
        if tid in seen:
            duplicates += 1
            continue
        seen.add(tid)
        text = row[c_body].strip()
        if not text:
            empty += 1
        mod = 0
        if c_mod is not None:
            mod = parse_int(table, i, c_mod, allow_empty=True, what="−1, 0 or 1") or 0
            if mod not in (-1, 0, 1):
                raise table.problem(i, c_mod, f"moderated must be −1, 0 or 1, found {mod}")
        created = None
        if c_time is not None:
            try:
                created = parse_timestamp(row[c_time])
            except ValueError:
                raise table.problem(i, c_time, f"not a timestamp: “{row[c_time][:30]}”") \
                    from None
        out.append(PolisComment(
            tid=tid, text=text,
            author=parse_int(table, i, c_author, allow_empty=True) if c_author is not None
            else None,
            created=created, moderated=mod,
            is_meta=parse_bool(row[c_meta]) if c_meta is not None else False,
            is_seed=parse_bool(row[c_seed]) if c_seed is not None else False,
            agrees=parse_int(table, i, c_agrees, allow_empty=True) if c_agrees is not None
            else None,
            disagrees=parse_int(table, i, c_disagrees, allow_empty=True)
            if c_disagrees is not None else None,
            row=table.row_numbers[i]))
    if duplicates:
        warnings.append(f"{plural(duplicates, 'statement')} with an id already used: the first "
                        "of each kept, the others not imported")
    if empty:
        warnings.append(f"{plural(empty, 'statement')} with empty text (imported, kept off the "
                        "board)")
    return out


def _read_votes(table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    c_time = table.find("timestamp")
    c_tid = table.require("comment-id", "tid")
    c_pid = table.require("voter-id", "pid", "participant")
    c_vote = table.require("vote")
    n = len(table.rows)
    pid = np.empty(n, dtype=np.int64)
    tid = np.empty(n, dtype=np.int64)
    vote = np.empty(n, dtype=np.int64)
    ts = np.full(n, np.nan)
    for i, row in enumerate(table.rows):
        try:
            pid[i] = _bounded(int(row[c_pid]))
        except (ValueError, OverflowError):
            raise table.problem(i, c_pid, f"expected a participant id, found “{row[c_pid][:30]}”") \
                from None
        try:
            tid[i] = _bounded(int(row[c_tid]))
        except (ValueError, OverflowError):
            raise table.problem(i, c_tid, f"expected a comment id, found “{row[c_tid][:30]}”") \
                from None
        try:
            v = int(float(row[c_vote]))
        except (ValueError, OverflowError):
            v = 99
        if v not in (-1, 0, 1):
            raise table.problem(i, c_vote, f"a vote must be −1, 0 or 1, found “{row[c_vote][:30]}”")
        vote[i] = v
        if c_time is not None and row[c_time].strip():
            try:
                ts[i] = parse_timestamp(row[c_time])
            except ValueError:
                raise table.problem(i, c_time, f"not a timestamp: “{row[c_time][:30]}”") from None
    # latest vote per (participant, statement): by time, ties by file order
    order = np.lexsort((np.arange(n), np.nan_to_num(ts, nan=-np.inf), tid, pid))
    pid, tid, vote, ts = pid[order], tid[order], vote[order], ts[order]
    last = np.ones(n, dtype=bool)
    if n > 1:
        last[:-1] = (pid[1:] != pid[:-1]) | (tid[1:] != tid[:-1])
    return pid[last], tid[last], vote[last], ts[last], n


def _read_participants_votes(table: Table, groups: dict[int, int | None]
                             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c_pid = table.require("participant", "pid")
    c_group = table.find("group-id")
    fixed = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    columns: list[tuple[int, int]] = []
    for j, h in enumerate(table.headers):
        if h.strip().lower() in fixed:
            continue
        try:
            columns.append((j, _bounded(int(h))))
        except (ValueError, OverflowError):
            raise ImportProblem(table.path, "a statement column must be named by its comment id",
                                row=table.header_row, column=h) from None
    pids: list[int] = []
    tids: list[int] = []
    votes: list[int] = []
    col_index = [j for j, _ in columns]
    col_tid = [t for _, t in columns]
    allowed = {"1": 1, "-1": -1, "0": 0, "1.0": 1, "-1.0": -1, "0.0": 0}
    for i, row in enumerate(table.rows):
        p = parse_int(table, i, c_pid, what="a participant id")
        assert p is not None
        groups[p] = parse_int(table, i, c_group, allow_empty=True) if c_group is not None else None
        cells = [row[j] for j in col_index]
        present = [k for k, cell in enumerate(cells) if cell]  # most cells are empty: skip fast
        for k in present:
            v = allowed.get(cells[k].strip())
            if v is None:
                raise table.problem(i, col_index[k],
                                    f"a vote must be −1, 0 or 1, found “{cells[k][:30]}”")
            pids.append(p)
            tids.append(col_tid[k])
            votes.append(v)
    pid, tid, vote = (np.array(pids, dtype=np.int64), np.array(tids, dtype=np.int64),
                      np.array(votes, dtype=np.int64))
    if len(pid) > 1:
        # a participant listed twice (or a statement column repeated): the last vote counts,
        # as in votes.csv, instead of a duplicate key at insert time
        order = np.lexsort((np.arange(len(pid)), tid, pid))
        pid, tid, vote = pid[order], tid[order], vote[order]
        last = np.ones(len(pid), dtype=bool)
        last[:-1] = (pid[1:] != pid[:-1]) | (tid[1:] != tid[:-1])
        pid, tid, vote = pid[last], tid[last], vote[last]
    return pid, tid, vote


def _bounded(n: int) -> int:
    """An id as SQLite and numpy hold it; larger ones are refused, not wrapped."""
    if abs(n) > MAX_NUMBER:
        raise OverflowError(n)
    return n


def _looks_inverted(comments: list[PolisComment], tid: np.ndarray, vote: np.ndarray) -> bool:
    """comments.csv counts all vote events; the latest-vote counts are a little lower. If our
    −1 counts follow its ``agrees`` better than our +1 counts do, the export is inverted."""
    with_counts = [c for c in comments if c.agrees is not None and c.disagrees is not None]
    if not with_counts or len(tid) == 0:
        return False
    index = {c.tid: k for k, c in enumerate(with_counts)}
    plus = np.zeros(len(with_counts))
    minus = np.zeros(len(with_counts))
    for t, v in zip(tid.tolist(), vote.tolist()):
        k = index.get(t)
        if k is None:
            continue
        if v == 1:
            plus[k] += 1
        elif v == -1:
            minus[k] += 1
    agrees = np.array([c.agrees for c in with_counts], dtype=float)
    disagrees = np.array([c.disagrees for c in with_counts], dtype=float)
    straight = np.abs(agrees - plus).sum() + np.abs(disagrees - minus).sum()
    crossed = np.abs(agrees - minus).sum() + np.abs(disagrees - plus).sum()
    return bool(crossed < 0.5 * straight)


def _read_summary(path: Path) -> dict[str, str]:
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    from .common import check_file, decode
    check_file(path, max_bytes=16 * 1024 * 1024, what="summary files")  # never read a huge one whole
    import csv
    import io
    out: dict[str, str] = {}
    try:
        for row in csv.reader(io.StringIO(decode(path, path.read_bytes()))):
            if len(row) >= 2 and row[0].strip():
                out[row[0].strip()] = row[1].strip()
    except csv.Error:
        return {}
    return out


def import_polis(project: Project, folder: str | os.PathLike[str], *, vote_sign: str = "auto",
                 name: str | None = None, progress: Progress | None = None) -> ImportReport:
    """Import a Pol.is export folder as one debate source, in one transaction."""
    export = read_polis_export(folder, vote_sign=vote_sign)
    report = ImportReport(str(export.folder), "debate", warnings=list(export.warnings),
                          options={"vote_sign": vote_sign, "flipped": export.sign_inverted})
    if progress:
        progress(1, 3, "read the export")
    with project.transaction(bulk=True) as db:
        earlier = _same_conversation(db, export)
        if earlier is None:
            cur = db.execute(
                "INSERT INTO sources(kind, name, path, imported_at, details) "
                "VALUES (?,?,?,?,?)",
                ("debate", name or export.topic, str(export.folder), now_iso(),
                 json.dumps({"summary": export.summary})))
            source_id = int(cur.lastrowid)
        else:
            # a later export of a conversation in the project (QA 20): its statements keep
            # their ids, so the board, themes and evidence stay; the votes are this export's
            source_id = earlier
            report.warn(_update_in_place(db, source_id, export))
        db.executemany("INSERT INTO participants(source_id, external_id, polis_group) "
                       "VALUES (?, ?, ?) ON CONFLICT(source_id, external_id) DO UPDATE SET "
                       "polis_group = excluded.polis_group",
                       [(source_id, str(p), export.polis_groups.get(p))
                        for p in export.participants])
        pmap = {int(r[0]): r[1] for r in db.execute(
            "SELECT external_id, id FROM participants WHERE source_id = ?", (source_id,))
            if _is_int(r[0])}
        db.executemany(
            "INSERT INTO statements(source_id, external_id, text, author_id, created, moderation,"
            " is_seed, is_meta, row_number) VALUES (?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(source_id, external_id) DO UPDATE SET text = excluded.text, "
            "author_id = excluded.author_id, created = excluded.created, "
            "moderation = excluded.moderation, is_seed = excluded.is_seed, "
            "is_meta = excluded.is_meta, row_number = excluded.row_number",
            [(source_id, str(c.tid), c.text, pmap.get(c.author) if c.author is not None else None,
              c.created, c.moderated, int(c.is_seed), int(c.is_meta), c.row)
             for c in export.comments])
        smap = {int(r[0]): r[1] for r in db.execute(
            "SELECT external_id, id FROM statements WHERE source_id = ?", (source_id,))}
        if progress:
            progress(2, 3, "stored statements and participants")
        # Insert in primary-key order: the B-tree then only appends (3x faster here).
        s_ids = np.array([smap[t] for t in export.tid.tolist()], dtype=np.int64)
        p_ids = np.array([pmap[p] for p in export.pid.tolist()], dtype=np.int64)
        order = np.lexsort((p_ids, s_ids))
        cast = [None if t != t else t for t in export.cast_at[order].tolist()]
        db.executemany(
            "INSERT INTO votes(statement_id, participant_id, value, cast_at) VALUES (?,?,?,?)",
            zip(s_ids[order].tolist(), p_ids[order].tolist(), export.vote[order].tolist(),
                cast))
        _adopt_characteristics(db, source_id, pmap, report)
        report.source_id = source_id
        report.counts = {
            "participants": len(export.participants),
            "statements": len(export.comments),
            "votes": int(len(export.vote)),
            "vote events read": export.counts["vote events"],
            "participants with a Pol.is group": sum(g is not None
                                                    for g in export.polis_groups.values()),
        }
        details = json.loads(db.execute("SELECT details FROM sources WHERE id = ?",
                                        (source_id,)).fetchone()[0] or "{}")
        details.update({"summary": export.summary, "import": report.as_dict()})
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps(details, ensure_ascii=False), source_id))
    if progress:
        progress(3, 3, "done")
    return report


def _adopt_characteristics(db, source_id: int, pmap: dict[int, int],
                           report: ImportReport) -> None:
    """Characteristics imported before any debate belong to participants of their own table
    (no votes): those whose id this debate has are now this debate's voters, so the annex and
    the segments count them (QA 16). Only a table joined to no debate is taken."""
    by_ext = {str(k): v for k, v in pmap.items()}
    for own, name, details in db.execute(
            "SELECT id, name, details FROM sources WHERE kind = 'characteristics' "
            "ORDER BY id").fetchall():
        try:
            info = json.loads(details or "{}")
        except ValueError:
            continue
        if info.get("joined_to") != own:
            continue
        rows = db.execute("SELECT id, external_id FROM participants WHERE source_id = ?",
                          (own,)).fetchall()
        matched = [(pid, by_ext[ext]) for pid, ext in rows if ext in by_ext]
        if not matched:
            continue
        # the table's values go to the voter; a value the voter has already is kept
        db.executemany(
            "INSERT INTO participant_attributes(participant_id, name, value, source_id) "
            "SELECT ?, name, value, source_id FROM participant_attributes "
            "WHERE participant_id = ? ON CONFLICT(participant_id, name) DO NOTHING",
            [(voter, old) for old, voter in matched])
        db.executemany("DELETE FROM participants WHERE id = ? AND NOT EXISTS "
                       "(SELECT 1 FROM votes WHERE participant_id = ?) AND NOT EXISTS "
                       "(SELECT 1 FROM statements WHERE author_id = ?) AND NOT EXISTS "
                       "(SELECT 1 FROM notes WHERE participant_id = ?)",
                       [(old, old, old, old) for old, _ in matched])
        left = db.execute("SELECT count(*) FROM participants WHERE source_id = ?",
                          (own,)).fetchone()[0]
        if not left:
            info["joined_to"] = source_id
        else:
            info["joined_to_also"] = sorted(set(info.get("joined_to_also", [])) | {source_id})
        db.execute("UPDATE sources SET details = ? WHERE id = ?",
                   (json.dumps(info, ensure_ascii=False), own))
        report.warn(f"the characteristics imported earlier from “{name}” joined to "
                    f"{plural(len(matched), 'participant')} of this debate"
                    + (f"; {plural(left, 'participant')} of that table not in it stay "
                       "without votes" if left else ""))


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _same_conversation(db, export: PolisExport) -> int | None:
    """The debate source holding the same Pol.is conversation as ``export``, if any: the same
    conversation id or URL in summary.csv, or (without one) the same statements, id and text,
    for nine in ten of the smaller of the two. A source of these very bytes does not count:
    the import was asked for again (``--again``), to hold them twice."""
    from .fingerprints import fingerprint
    own = {k: export.summary.get(k, "").strip() for k in ("conversation-id", "url")}
    texts = {str(c.tid): c.text for c in export.comments}
    digest = None
    for sid, details in db.execute("SELECT id, details FROM sources WHERE kind = 'debate' "
                                   "ORDER BY id").fetchall():
        try:
            info = json.loads(details or "{}")
            summary = info.get("summary") or {}
            kept = (info.get("file") or {}).get("sha256")
        except (ValueError, AttributeError):
            summary, kept = {}, None
        if not isinstance(summary, dict):
            summary = {}
        if kept is not None:
            digest = digest or fingerprint(export.folder).sha256
            if kept == digest:
                continue
        if any(v and str(summary.get(k, "")).strip() == v for k, v in own.items()):
            return int(sid)
        if any(own.values()) and any(str(summary.get(k, "")).strip() for k in own):
            continue        # both name their conversation, and not the same one
        theirs = dict(db.execute("SELECT external_id, text FROM statements WHERE source_id = ?",
                                 (sid,)).fetchall())
        same = sum(texts.get(e) == t for e, t in theirs.items())
        smaller = min(len(theirs), len(texts))
        if smaller >= 5 and same >= 0.9 * smaller:
            return int(sid)
    return None


def _update_in_place(db, source_id: int, export: PolisExport) -> str:
    """Make ``source_id`` hold ``export`` (a later export of its conversation); what changed, in
    words. An export older than the one imported (fewer statements or votes) is refused."""
    name, imported_at = db.execute("SELECT name, imported_at FROM sources WHERE id = ?",
                                   (source_id,)).fetchone()
    n_statements = db.execute("SELECT count(*) FROM statements WHERE source_id = ?",
                              (source_id,)).fetchone()[0]
    n_votes = db.execute("SELECT count(*) FROM votes v JOIN statements s ON s.id = "
                         "v.statement_id WHERE s.source_id = ?", (source_id,)).fetchone()[0]
    when = str(imported_at or "")[:16].replace("T", " ")
    if len(export.comments) < n_statements or len(export.vote) < n_votes:
        raise ImportProblem(export.folder, f"an export of the conversation “{name}” that the "
                            f"project holds already (imported {when}), older than that one "
                            f"({len(export.comments):,} statements and {len(export.vote):,} "
                            f"votes; the project has {n_statements:,} and {n_votes:,}): "
                            "nothing was imported")
    details = json.loads(db.execute("SELECT details FROM sources WHERE id = ?",
                                    (source_id,)).fetchone()[0] or "{}")
    details["summary"] = export.summary
    details.setdefault("updates", []).append(
        {"at": now_iso(), "path": str(export.folder), "statements_before": n_statements,
         "votes_before": n_votes})
    db.execute("UPDATE sources SET path = ?, imported_at = ?, details = ? WHERE id = ?",
               (str(export.folder), now_iso(), json.dumps(details, ensure_ascii=False),
                source_id))
    db.execute("DELETE FROM votes WHERE statement_id IN (SELECT id FROM statements "
               "WHERE source_id = ?)", (source_id,))
    return (f"the same Pol.is conversation as “{name}” (imported {when}): that debate was "
            f"updated with this export, not added again: statements {n_statements:,} → "
            f"{len(export.comments):,}, votes {n_votes:,} → {len(export.vote):,}; its cards, "
            "themes and evidence stay. Run the opinion groups again for its new votes")
