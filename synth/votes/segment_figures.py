"""Agreement per statement for each segment the team defined ("line managers", "outside London")
and for each value of a participant characteristic (department, region …), and where a segment
differs from everyone else.

The figures are ``statement_figures``'s: a ``Tally`` of agree, disagree and pass votes, "% agree
of those who voted", printed as a whole per cent rounded half up (``Tally.whole_pct``), flagged
when fewer than the project's small-n threshold voted — so a segment's figure reads as the Votes
panel and the report print every other figure. The caller passes the threshold, read by
``small_n.small_n_rule`` (the one reading of the project's rule, the report's included).

Where a segment differs: for each statement the report lists, the segment's % agree against the
rest's (everyone else who voted on it), both on at least ``small_n`` votes, ranked by the gap
between the two whole per cents a reader sees. Whether a gap is more than chance is Pol.is's
two-proportion z-test (``repness.two_prop_test``, with its pseudo-count of one), two-sided at
95 % (|z| ≥ 1.96): a gap ranked first among hundreds of statements is not a finding by itself.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np

from ..words import plural
from .project_analysis import segment_members
from .repness import two_prop_test
from .segment_rules import answers, most_used, read_characteristics, spelling_key
from .segments import describe_rule, unanswered_words
from .small_n import few_voted
from .statement_figures import Tally, listed_statements, statement_votes

Z_CHANCE = 1.96          # two-sided 95 %
NO_ANSWER = "No answer"  # voters without a value for the characteristic: counted, not dropped
EVERYONE = "Everyone"


@dataclass(frozen=True)
class Segment:
    """A segment as defined: its name, rule (and the rule as the researcher writes it) and
    members; ``voters``: how many of them voted on anything."""
    name: str
    rule: dict
    rule_text: str
    members: frozenset[int]
    voters: int

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def rule_note(self) -> str:
        """Who the rule leaves out besides what it names ("those who gave no region are not in
        it"), said beside ``rule_text``; "" when nothing."""
        return unanswered_words(self.rule)


@dataclass(frozen=True)
class Characteristic:
    """A participant characteristic and its values, each with how many participants have it."""
    name: str
    values: tuple[tuple[str, int], ...]

    @property
    def answered(self) -> int:
        return sum(n for _v, n in self.values)


def defined_segments(project: Any) -> list[Segment]:
    """Every segment of the project, by name."""
    voted = {r[0] for r in project.query("SELECT DISTINCT participant_id FROM votes")}
    out = []
    for name, rule in project.query("SELECT name, rule FROM segments ORDER BY name"):
        r = json.loads(rule)
        members = frozenset(segment_members(project, r))
        out.append(Segment(name, r, describe_rule(r), members, len(members & voted)))
    return out


def characteristics(project: Any) -> list[Characteristic]:
    """The participants' characteristics (``participant_attributes``), by name, each answer
    once whatever its spelling ("Yes" and "yes", as a segment's rule takes them:
    ``segment_rules``), shown in its most used spelling with how many gave it in any."""
    out = [Characteristic(c.name.strip(), tuple(sorted(
               c.answers(), key=lambda v: (v[0].casefold(), v[0]))))
           # as a reader looks a value up ("DfE" beside "DEFRA", not after "DWP")
           for c in read_characteristics(project).values()]
    return sorted((c for c in out if c.values), key=lambda c: (c.name.casefold(), c.name))


def characteristic_values(project: Any, name: str) -> dict[int, str]:
    """participant id -> their answer to characteristic ``name`` (any spelling of it), in the
    answer's most used spelling; blank answers left out."""
    return answers(project, name)


# --------------------------------------------------------------------------- one statement
@dataclass(frozen=True)
class Row:
    """One line of a statement's figures: a segment, a characteristic's value, or everyone."""
    label: str
    tally: Tally
    small_n: int                # the threshold the flag is for (0: never flagged)
    participants: int | None = None   # in the segment or with the value (None: everyone)

    @property
    def flagged(self) -> bool:
        """Fewer voted than the threshold (and someone did), as the Votes panel flags it."""
        return few_voted(self.tally.n, self.small_n)

    def pct(self, which: str = "agree") -> int | None:
        """The whole per cent printed for ``which``; None when nobody voted."""
        return self.tally.whole_pct(which) if self.tally.n else None


def tally_of(votes: Mapping[int, int], members: Iterable[int] | None = None) -> Tally:
    """The tally of ``votes`` (participant -> 1, -1, 0) cast by ``members`` (None: all)."""
    values = votes.values() if members is None else \
        (votes[p] for p in members if p in votes)
    a = d = s = 0
    for v in values:
        if v == 1:
            a += 1
        elif v == -1:
            d += 1
        else:
            s += 1
    return Tally(a, d, s)


def rows_by_segment(votes: Mapping[int, int], segments: Iterable[Segment],
                    small_n: int) -> list[Row]:
    """Everyone, then each segment, on one statement's ``votes``."""
    rows = [Row(EVERYONE, tally_of(votes), small_n)]
    for s in segments:
        smaller, larger = (s.members, votes) if len(s.members) < len(votes) else \
            (votes, s.members)
        rows.append(Row(s.name, tally_of(votes, [p for p in smaller if p in larger]),
                        small_n, s.size))
    return rows


class AnswerGroups:
    """A characteristic's answers (participant -> answer) grouped once, for the figures of one
    statement after another: only the statement's votes are read again."""

    def __init__(self, values: Mapping[int, str]) -> None:
        spellings: dict[str, dict[str, int]] = {}
        self.answer_of: dict[int, str] = {}
        for p, v in values.items():
            k = spelling_key(v)
            if k:
                seen = spellings.setdefault(k, {})
                seen[v] = seen.get(v, 0) + 1
                self.answer_of[p] = k
        self.shown = sorted(((most_used(spelled.items()), k, sum(spelled.values()))
                             for k, spelled in spellings.items()),
                            key=lambda r: (r[0].casefold(), r[0]))

    def rows(self, votes: Mapping[int, int], small_n: int) -> list[Row]:
        by: dict[str | None, list[int]] = {}
        answer_of = self.answer_of
        for p in votes:
            by.setdefault(answer_of.get(p), []).append(p)
        rows = [Row(EVERYONE, tally_of(votes), small_n)]
        rows += [Row(label, tally_of(votes, by.get(k, ())), small_n, size)
                 for label, k, size in self.shown]
        if None in by:
            rows.append(Row(NO_ANSWER, tally_of(votes, by[None]), small_n))
        return rows


def statement_rows(project: Any, statement_id: int, small_n: int, *,
                   segments: list[Segment] | None = None,
                   characteristic: str | None = None,
                   answers: AnswerGroups | None = None) -> list[Row]:
    """A statement's figures per segment (``characteristic`` None) or per value of
    ``characteristic``; ``segments``, ``answers`` (the characteristic's): those already read
    (else read here)."""
    votes = statement_votes(project, statement_id)
    if characteristic is None:
        return rows_by_segment(votes, defined_segments(project) if segments is None
                               else segments, small_n)
    if answers is None:
        answers = AnswerGroups(characteristic_values(project, characteristic))
    return answers.rows(votes, small_n)


# --------------------------------------------------------------------------- where it differs
@dataclass(frozen=True)
class Difference:
    """One statement: the segment's votes, everyone else's, and how far apart they are."""
    statement_id: int
    segment: Tally
    rest: Tally
    z: float                    # Pol.is's two-proportion z of agreeing, segment vs the rest

    @property
    def gap(self) -> int:
        """Points between the two whole per cents printed (segment minus rest)."""
        return self.segment.whole_pct() - self.rest.whole_pct()

    @property
    def more_than_chance(self) -> bool:
        return abs(self.z) >= Z_CHANCE


def gap_words(d: Difference) -> str:
    """"37 points higher, more than chance (z = 2.66)": the gap as the report, the Segments
    panel and the ``segments`` command say it."""
    gap = d.gap
    how = "the same" if gap == 0 else \
        f"{plural(abs(gap), 'point')} {'higher' if gap > 0 else 'lower'}"
    chance = "more than chance" if d.more_than_chance else "within what chance could give"
    return f"{how}, {chance} (z = {d.z:.2f})"


class VoteArrays:
    """Every vote on the statements the report lists, read once for several segments."""

    def __init__(self, project: Any) -> None:
        listed = np.array([r[0] for r in listed_statements(project)], dtype=np.int64)
        # the statements ``listed_statements`` lists (its WHERE), read as flat numbers: no
        # Row object per vote (2,000,000 of them in a big debate)
        n = int(project.scalar("SELECT count(*) FROM votes v JOIN statements s ON s.id = "
                               "v.statement_id WHERE s.moderation >= 0 AND s.is_meta = 0"))
        cursor = project.db.cursor()
        cursor.row_factory = None       # plain tuples: 1.2 s instead of 1.9 s on 2,000,000
        cursor.execute(
            "SELECT v.statement_id, v.participant_id, v.value FROM votes v JOIN statements s "
            "ON s.id = v.statement_id WHERE s.moderation >= 0 AND s.is_meta = 0")
        arr = np.fromiter((x for row in cursor for x in row), dtype=np.int64,
                          count=3 * n).reshape(n, 3)
        self.statements = listed
        self.col = np.searchsorted(listed, arr[:, 0])
        self.participant = arr[:, 1]
        self.value = arr[:, 2]

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """(statements, 3) agree, disagree, pass counts of the votes where ``mask`` holds."""
        m = len(self.statements)
        return np.stack([np.bincount(self.col[mask & (self.value == v)], minlength=m)
                         for v in (1, -1, 0)], axis=1)


def differences(project: Any, segment: Segment, small_n: int, *,
                votes: VoteArrays | None = None) -> list[Difference]:
    """The statements both the segment and the rest voted on ``small_n`` times or more, the
    largest gap between their whole per cents of agreeing first (then the larger |z|, then the
    statement's id: the order never depends on the database's)."""
    votes = VoteArrays(project) if votes is None else votes
    members = np.fromiter(segment.members, dtype=np.int64, count=len(segment.members))
    inside = np.isin(votes.participant, members)
    seg = votes.counts(inside)
    rest = votes.counts(~inside)
    n_seg, n_rest = seg.sum(axis=1), rest.sum(axis=1)
    need = max(int(small_n), 1)
    both = np.flatnonzero((n_seg >= need) & (n_rest >= need))
    z = two_prop_test(seg[both, 0], rest[both, 0], n_seg[both], n_rest[both])
    out = [Difference(int(votes.statements[j]), Tally(*map(int, seg[j])),
                      Tally(*map(int, rest[j])), float(zj)) for j, zj in zip(both, z)]
    out.sort(key=lambda d: (-abs(d.gap), -abs(d.z), d.statement_id))
    return out


def most_different(diffs: list[Difference], most: int = 5, least: int = 3) -> list[Difference]:
    """What the report lists for a segment: of the ``most`` largest gaps, the first ``least``
    and any further one that is more than chance."""
    return [d for i, d in enumerate(diffs[:most]) if i < least or d.more_than_chance]
