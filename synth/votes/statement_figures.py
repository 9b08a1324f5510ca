"""Per-statement vote figures: agree, disagree and pass counts, n and "% agree of those who
voted", overall and per opinion group — the one place the board, the evidence panels and the
report read them from, so a statement shows the same numbers everywhere.

"% agree" is agrees ÷ (agrees + disagrees + passes) among those who voted (PRODUCT.md). Where
a figure is printed as a whole per cent it is rounded half up (84.5 prints as 85, as a reader
rounding by hand would; never Python's banker's ``round``): ``percent`` / ``Tally.whole_pct``.

Counts come from single votes where a statement has them, else from the tallies imported with it
(a table of statements with counts only: no per-group figures then). They are computed with
SQL a reader of the report's traceability annex could run again.

Opinion groups (``group_members``), debate by debate: each debate source's latest
``opinion_groups`` analysis run that placed anyone; a debate without one keeps the groups Pol.is
exported for it (``participants.polis_group``), so recomputing one debate's groups never hides
another's. A participant a run placed is in that run's group only. The project setting
``opinion_groups.source`` (``recompute`` or ``polis``) decides what a run stores (see
``project_analysis.run_opinion_groups``), so a run made with Pol.is's groups shows those. Groups
are labelled A, B, C … from their 0-based group id, as Pol.is shows them. Each debate is
clustered on its own, so a study of two debates has two sets of groups: debate 1's group 0 and
debate 2's group 0 are different people and are never added together. While one debate has
groups they are named as ever ("Group A"); when several have, each name says its debate ("Group
A (Debate North)"), in the board, the panels and the report alike (``groups_in_use``; where
people read them, "Group A (Debate 1)" when a debate's name is long: ``group_names``), and a
statement's groups are those of its own debate. ``synth.votes.agreement`` computes the same
counts from the vote matrix for the analyses; a test keeps the two equal.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..sql import chunks


def percent(numerator: int, denominator: int) -> int:
    """A whole per cent, rounded half up (integer arithmetic, so no float surprises)."""
    if denominator <= 0:
        raise ValueError("no denominator: a percentage of nobody")
    return (200 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Tally:
    """Votes on one statement by one population (everyone, an opinion group)."""
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def n(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def pct_agree(self) -> float | None:
        """Share of those who voted who agreed, 0–100 unrounded; None when nobody voted."""
        return None if self.n == 0 else 100.0 * self.agree / self.n

    @property
    def pct_disagree(self) -> float | None:
        return None if self.n == 0 else 100.0 * self.disagree / self.n

    def whole_pct(self, which: str = "agree") -> int:
        """``which`` ("agree", "disagree", "pass") as printed: a whole per cent, half up."""
        return percent(self.count(which), self.n)

    def count(self, which: str) -> int:
        return {"agree": self.agree, "disagree": self.disagree, "pass": self.passed}[which]

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.agree + other.agree, self.disagree + other.disagree,
                     self.passed + other.passed)

    def as_dict(self) -> dict[str, Any]:
        pct = self.pct_agree
        return {"agree": self.agree, "disagree": self.disagree, "pass": self.passed,
                "n": self.n, "pct_agree": None if pct is None else round(pct, 1)}


@dataclass(frozen=True)
class StatementFigures:
    statement_id: int
    overall: Tally
    groups: dict[str, Tally] = field(default_factory=dict)   # "A" -> tally
    voters: frozenset[int] = frozenset()                      # participant ids, when asked for
    from_tallies: bool = False                                # only totals known, no votes
    from_votes: bool = False                                  # single votes known

    @property
    def known(self) -> bool:
        """Whether the project holds any figure for it (votes or imported tallies)."""
        return self.from_votes or self.from_tallies

    def as_dict(self) -> dict[str, Any]:
        return {"statement_id": self.statement_id, "overall": self.overall.as_dict(),
                "groups": {g: t.as_dict() for g, t in sorted(self.groups.items())},
                "from_tallies": self.from_tallies}


def group_label(group_id: int) -> str:
    """A group's letter from its id in its debate's clustering: 0 is "A", as Pol.is shows it."""
    return chr(ord("A") + int(group_id)) if 0 <= int(group_id) < 26 else f"G{group_id}"


def group_runs(project: Any) -> list[int]:
    """The opinion-group runs in use: the latest run with members of each debate source."""
    return sorted(run for run, _source in _latest_runs(project))


def _latest_runs(project: Any) -> list[tuple[int, Any]]:
    """(run id, its debate source id or None) of the latest run with members of each source."""
    latest: dict[Any, int] = {}
    for run_id, params in project.query(
            "SELECT r.id, r.params FROM analysis_runs r WHERE r.kind = 'opinion_groups' AND "
            "EXISTS (SELECT 1 FROM group_members g WHERE g.run_id = r.id) "
            "ORDER BY r.created, r.id"):
        try:
            source = json.loads(params or "{}").get("source_id")
        except (ValueError, AttributeError):
            source = None
        latest[source] = run_id
    return [(run, source) for source, run in latest.items()]


@dataclass(frozen=True)
class _GroupSources:
    """Where each debate's groups come from: its latest run, else Pol.is's own groups."""
    runs: list[int]                 # the runs in use, by id
    polis: list[int]                # the debate sources whose Pol.is groups are in use
    source_of: dict[int, Any]       # clustering -> its debate source (None: a run naming none)


def _group_sources(project: Any) -> _GroupSources:
    """Each debate's latest run; a debate without one, Pol.is's own groups of its participants
    (those no run in use has placed: one group per participant). A run naming no debate (made
    before runs were per debate) may hold anyone, so while one is in use Pol.is's groups are
    not."""
    latest = _latest_runs(project)
    runs = sorted(run for run, _source in latest)
    covered = {source for _run, source in latest}
    polis: list[int] = []
    if None not in covered:
        marks = ",".join("?" for _ in runs)
        unplaced = (f" AND NOT EXISTS (SELECT 1 FROM group_members g WHERE g.participant_id = "
                    f"p.id AND g.run_id IN ({marks}))") if runs else ""
        done = ",".join("?" for _ in covered)
        polis = [r[0] for r in project.query(
            f"SELECT s.id FROM sources s WHERE s.id NOT IN ({done}) AND EXISTS (SELECT 1 FROM "
            f"participants p WHERE p.source_id = s.id AND p.polis_group >= 0{unplaced}) "
            "ORDER BY s.id", [*covered, *runs])]
    source_of: dict[int, Any] = {run: source for run, source in latest}
    source_of.update({-source: source for source in polis})
    return _GroupSources(runs, polis, source_of)


def _members_sql(where: _GroupSources) -> tuple[str, list[int]]:
    """SQL for (participant_id, group_id, clustering) of everyone placed in a group, where
    clustering says whose group id it is: the run's id, or (Pol.is's own groups) minus the
    debate source's id. A participant in two runs (they voted in two debates) counts in the
    later run's group; one a run placed is not in a Pol.is group too."""
    runs, marks = where.runs, ",".join("?" for _ in where.runs)
    parts, params = [], []
    if runs:
        parts.append("SELECT participant_id, group_id, max(run_id) AS clustering FROM "
                     f"group_members WHERE run_id IN ({marks}) GROUP BY participant_id")
        params += runs
    if where.polis:
        unplaced = (" AND id NOT IN (SELECT participant_id FROM group_members WHERE run_id IN "
                    f"({marks}))") if runs else ""
        parts.append("SELECT id AS participant_id, polis_group AS group_id, -source_id AS "
                     "clustering FROM participants WHERE polis_group IS NOT NULL AND source_id "
                     f"IN ({','.join('?' for _ in where.polis)}){unplaced}")
        params += where.polis + runs
    if not parts:
        return ("SELECT NULL AS participant_id, NULL AS group_id, NULL AS clustering "
                "WHERE 0", [])
    return " UNION ALL ".join(parts), params


def _debate_names(project: Any, where: _GroupSources, present: set[int]
                  ) -> tuple[list[int], dict[int, str]]:
    """The clusterings with anyone in a group, debate by debate in the order they were
    imported, and each one's debate name when there are several ({} for one)."""
    source_of = where.source_of
    clusterings = sorted(present, key=lambda c: (source_of.get(c) or 0, c))
    names: dict[int, str] = {}
    if len(clusterings) > 1:
        sources = {r[0]: r[1] for r in project.query("SELECT id, name FROM sources")}
        for c in clusterings:
            source = source_of.get(c)
            names[c] = sources.get(source) or (f"analysis run {c}" if c > 0 else
                                               f"source {source}")
        seen = list(names.values())
        for c in clusterings:           # two debates of one name: their source ids tell them
            if seen.count(names[c]) > 1:
                source = source_of.get(c)
                names[c] = f"{names[c]}, source {source}" if source is not None else \
                    f"{names[c]}, run {c}"
    return clusterings, names


@dataclass(frozen=True)
class OpinionGroup:
    """One opinion group: a cluster of one debate's participants. Two debates are clustered
    apart, so debate 1's group 0 and debate 2's group 0 are different groups of different
    people; when more than one debate has groups, each group's name says its debate."""
    number: int                 # what views key it by: its group id while one debate has groups
    group_id: int               # its id in its debate's clustering (0 is "A")
    clustering: int             # the run it is from, or (Pol.is's own groups) −its debate source
    source_id: int | None       # its debate source
    run_id: int | None          # None: Pol.is's own groups
    debate: str                 # its debate's name when several debates have groups, else ""
    size: int

    @property
    def label(self) -> str:
        """"A", or "A (Debate North)" when several debates have groups."""
        return _label(self.group_id, self.debate)

    @property
    def name(self) -> str:
        return f"Group {self.label}"


def _label(group_id: int, debate: str) -> str:
    return group_label(group_id) + (f" ({debate})" if debate else "")


@dataclass
class GroupsInUse:
    """The opinion groups every view and the report use (see the module's docstring)."""
    runs: list[int]                          # the runs in use; empty: Pol.is's own groups only
    members: dict[int, int]                  # participant id -> group number
    groups: dict[int, OpinionGroup]          # group number -> group, by debate then group id
    polis: list[int]                         # debates whose Pol.is groups are in use

    @property
    def numbers(self) -> list[int]:
        return list(self.groups)


def groups_in_use(project: Any) -> GroupsInUse:
    """The opinion groups in use, numbered and named (one query over the members)."""
    where = _group_sources(project)
    sql, params = _members_sql(where)
    placed: dict[int, tuple[int, int]] = {}
    for pid, gid, clustering in project.query(sql, params):
        if gid is not None and gid >= 0:
            placed[pid] = (int(clustering), int(gid))
    keys = sorted(set(placed.values()))
    clusterings, names = _debate_names(project, where, {c for c, _g in keys})
    sizes: dict[tuple[int, int], int] = {}
    for key in placed.values():
        sizes[key] = sizes.get(key, 0) + 1
    order = sorted(keys, key=lambda k: (clusterings.index(k[0]), k[1]))
    groups: dict[int, OpinionGroup] = {}
    for i, (c, gid) in enumerate(order):
        number = gid if len(clusterings) == 1 else i
        groups[number] = OpinionGroup(number, gid, c, where.source_of.get(c),
                                      c if c > 0 else None, names.get(c, ""), sizes[(c, gid)])
    number_of = {(g.clustering, g.group_id): g.number for g in groups.values()}
    return GroupsInUse(where.runs, {p: number_of[k] for p, k in placed.items()}, groups,
                       where.polis)


def group_membership(project: Any) -> tuple[dict[int, str], list[int]]:
    """participant id -> group label ("A", or "A (Debate North)" when several debates have
    groups), and the analysis runs it came from (empty: Pol.is's own groups only)."""
    g = groups_in_use(project)
    return {p: g.groups[n].label for p, n in g.members.items()}, g.runs


def statement_tallies(project: Any, statement_ids: Iterable[int] | None = None, *,
                      voters: bool = False,
                      in_use: GroupsInUse | None = None) -> dict[int, StatementFigures]:
    """Figures for each statement id (all statements when None; unknown ids are left out).
    ``voters``: also collect who voted on each (for counting distinct voters over several).
    ``in_use``: the caller's ``groups_in_use``, so that its names and these figures come from
    one reading of the runs (a run written between two readings would rename the groups).
    Without it the groups are named from which debates have anyone in a group, never reading
    every member, so a few statements cost a few index look-ups on any size of study."""
    if in_use is not None:
        sources = _GroupSources(in_use.runs, in_use.polis, {})
        debate_of = {g.clustering: g.debate for g in in_use.groups.values()}
    else:       # the names alone: which debates have anyone in a group, not who is in them
        sources = _group_sources(project)
        debate_of = _debate_names_in_use(project, sources)
    if statement_ids is None:
        parts: list[list[int] | None] = [None]
    else:
        # each query binds a part's ids and a few runs' and debates' (synth.sql.IN_LIMIT)
        parts = [list(c) for c in chunks(sorted({int(i) for i in statement_ids}))]
    out: dict[int, StatementFigures] = {}
    for chunk in parts:
        where, params = ("", []) if chunk is None else (
            f"WHERE {{col}} IN ({','.join('?' for _ in chunk)})", list(chunk))
        overall = {r[0]: Tally(r[1], r[2], r[3]) for r in project.query(
            "SELECT statement_id, sum(value = 1), sum(value = -1), sum(value = 0) FROM votes "
            + where.format(col="statement_id") + " GROUP BY statement_id", params)}
        groups: dict[int, dict[str, Tally]] = {}
        for sql, sql_params in _group_tally_sql(sources, chunk):
            for sid, c, g, a, d, p in project.query(sql, sql_params):
                groups.setdefault(sid, {})[_label(int(g), debate_of.get(int(c), ""))] = \
                    Tally(a, d, p)
        who: dict[int, set[int]] = {}
        if voters:
            for sid, pid in project.query("SELECT statement_id, participant_id FROM votes "
                                          + where.format(col="statement_id"), params):
                who.setdefault(sid, set()).add(pid)
        for sid, a, d, p in project.query(
                "SELECT id, agree_tally, disagree_tally, pass_tally FROM statements "
                + where.format(col="id"), params):
            if sid in overall:
                out[sid] = StatementFigures(sid, overall[sid], groups.get(sid, {}),
                                            frozenset(who.get(sid, ())), from_votes=True)
            elif a is not None or d is not None:
                out[sid] = StatementFigures(sid, Tally(a or 0, d or 0, p or 0),
                                            from_tallies=True)
            else:
                out[sid] = StatementFigures(sid, Tally())
    return out


def _debate_names_in_use(project: Any, sources: _GroupSources) -> dict[int, str]:
    """clustering -> the debate name its groups' labels carry, as ``groups_in_use`` names
    them, without reading every member: a run is named among
    the debates when anyone is in one of its groups (and in no later run in use); a Pol.is
    debate of ``sources`` always has someone."""
    present = set(-s for s in sources.polis)
    for run in sources.runs:
        later = [r for r in sources.runs if r > run]
        marks = ",".join("?" for _ in later)
        overridden = (f" AND NOT EXISTS (SELECT 1 FROM group_members h WHERE h.participant_id "
                      f"= g.participant_id AND h.run_id IN ({marks}))") if later else ""
        if project.scalar("SELECT EXISTS (SELECT 1 FROM group_members g WHERE g.run_id = ? "
                          f"AND g.group_id >= 0{overridden})", (run, *later)):
            present.add(run)
    return _debate_names(project, sources, present)[1]


def _group_tally_sql(sources: _GroupSources, chunk: list[int] | None
                     ) -> list[tuple[str, list[int]]]:
    """Queries of (statement, clustering, group id, agrees, disagrees, passes) for the
    statements of ``chunk`` (None: all), one per kind of group (they never share a group)."""
    sums = "sum(v.value = 1), sum(v.value = -1), sum(v.value = 0)"
    if chunk is None:
        members_sql, members_params = _members_sql(sources)
        return [(f"SELECT v.statement_id, m.clustering, m.group_id, {sums} FROM votes v JOIN "
                 f"({members_sql}) m ON m.participant_id = v.participant_id AND "
                 "m.group_id >= 0 GROUP BY 1, 2, 3", members_params)]
    # a few statements: their votes by the primary key first (CROSS JOIN keeps that order in
    # SQLite), then each voter's group by its key; left to itself the planner walks every group
    # member's votes (2,000,000 in a big debate) or lists every member first
    ids = ",".join("?" for _ in chunk)
    runs, marks = sources.runs, ",".join("?" for _ in sources.runs)
    out = []
    if runs:
        out.append((f"SELECT v.statement_id, m.run_id, m.group_id, {sums} FROM votes v "
                    "CROSS JOIN group_members m ON m.participant_id = v.participant_id AND "
                    "m.run_id = (SELECT max(h.run_id) FROM group_members h WHERE "
                    f"h.participant_id = v.participant_id AND h.run_id IN ({marks})) "
                    f"WHERE v.statement_id IN ({ids}) AND m.group_id >= 0 GROUP BY 1, 2, 3",
                    runs + chunk))
    if sources.polis:
        unplaced = (" AND NOT EXISTS (SELECT 1 FROM group_members h WHERE h.participant_id = "
                    f"pa.id AND h.run_id IN ({marks}))") if runs else ""
        out.append((f"SELECT v.statement_id, -pa.source_id, pa.polis_group, {sums} FROM votes "
                    "v CROSS JOIN participants pa ON pa.id = v.participant_id WHERE "
                    f"v.statement_id IN ({ids}) AND pa.polis_group >= 0 AND pa.source_id IN "
                    f"({','.join('?' for _ in sources.polis)}){unplaced} GROUP BY 1, 2, 3",
                    chunk + sources.polis + runs))
    return out


# ------------------------------------------------------------------ what views of the figures read
_STATEMENT_COLUMNS = ("external_id", "is_seed", "source_id", "author_id", "created")


def listed_statements(project: Any, *columns: str) -> list[tuple]:
    """(id, text, *columns) of the statements figures are given for, by id: not moderated out,
    not meta — the statements the report lists (``exports.content.statements`` reads them here,
    with the columns it needs)."""
    unknown = [c for c in columns if c not in _STATEMENT_COLUMNS]
    if unknown:
        raise ValueError(f"listed_statements: no column {unknown[0]!r}")
    cols = "".join(f", {c}" for c in columns)
    return [tuple(r) for r in project.query(
        f"SELECT id, text{cols} FROM statements WHERE moderation >= 0 AND is_meta = 0 "
        "ORDER BY id")]


def statement_votes(project: Any, statement_id: int) -> dict[int, int]:
    """participant id -> their vote on one statement (1 agree, -1 disagree, 0 pass)."""
    return {r[0]: r[1] for r in project.query(
        "SELECT participant_id, value FROM votes WHERE statement_id = ?", (statement_id,))}
