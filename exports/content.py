"""What the report says, read from the project: counts, vote tallies, opinion groups, themes,
evidence, quotes and recommendations. Plain data, no formatting, no Word.

Everything is computed from the project's tables with SQL that a reader of the traceability annex
could run again; nothing here is cached or estimated. Where another part of Synth has stored a
result (an opinion-group run, curated evidence, quotes) it is used; where it has not, the report
falls back to what the tables themselves say (Pol.is's own groups, the cards placed in a theme).
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Collection

from coding.chapters import listed_with_chapters as _listed_with_chapters
from coding.chapters import parts as _parts
from coding.quotes import attribution_for, current_attribution, is_team_role
from coding.published import (  # noqa: F401 - what every export reads, from one place
    STRIP_SETTING, confirmed_redactions, document_redactions, item_words, mask_personal_data,
    names_to_strip, quote_words, strip_requested, words_keeping_places)
from coding.redaction import find_personal_data, findings_in_place, known_names
from synth.people import TITLES
from synth.votes.statement_figures import (GroupsInUse, OpinionGroup, StatementFigures,
                                           Tally, groups_in_use, listed_statements,
                                           statement_tallies)
from synth.words import and_list

WORKSHOP_ATTRIBUTES = ("workshop", "site", "city", "venue", "location")
DEBATE_KINDS = ("debate", "survey", "tallies")


# --------------------------------------------------------------------------- statements and votes
@dataclass(frozen=True)
class Statement:
    id: int
    ref: str            # the id participants saw (Pol.is comment id)
    text: str
    is_seed: bool
    source_id: int
    source_kind: str = ""   # "debate" (a Pol.is export), "tallies" (a table of statements)

    @property
    def where_from(self) -> str:
        """The statement's id where it came from, as a reader looks it up: "Pol.is comment 12"
        (a Pol.is export's comment id), "id 12 in the statements table" (a table of tallies);
        "" when there is none."""
        if not self.ref or self.ref == "None":
            return ""
        if self.source_kind == "debate":
            return f"Pol.is comment {self.ref}"
        return f"id {self.ref} in the statements table"


def statements(project: Any) -> dict[int, Statement]:
    """The statements the report lists: ``listed_statements``, where the votes panel reads its
    list, so both list the same ones."""
    rows = listed_statements(project, "external_id", "is_seed", "source_id")
    kinds = {r[0]: r[1] for r in project.query("SELECT id, kind FROM sources")}
    return {sid: Statement(sid, "" if ref is None else str(ref), text, bool(seed), source,
                           kinds.get(source, ""))
            for sid, text, ref, seed, source in rows}


def first_words(text: str, words: int = 8) -> str:
    """The first ``words`` words of ``text`` with " …" when there are more: enough for a reader
    of the traceability annex to recognise a statement without its table."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def tallies(project: Any, figures: dict[int, StatementFigures] | None = None
            ) -> dict[int, Tally]:
    """Votes per statement among everyone who voted; imported tallies where there are no single
    votes (a table of statements with counts only). Statements with neither are left out."""
    figures = statement_tallies(project) if figures is None else figures
    return {sid: f.overall for sid, f in figures.items() if f.known}


# --------------------------------------------------------------------------- opinion groups
@dataclass
class OpinionGroups:
    """The groups in use (``groups_in_use``'s, by group number) with their tallies; what the
    report reads of them (names, sizes, origin, each debate's) is derived from the groups."""
    groups: dict[int, OpinionGroup]      # group number -> group (debate, run, name, size)
    members: dict[int, int]              # participant id -> group number
    tallies: dict[int, dict[int, Tally]] = field(default_factory=dict)  # group -> statement -> T

    @property
    def group_ids(self) -> list[int]:
        return sorted(self.groups)

    @property
    def labels(self) -> dict[int, str]:
        """group number -> "Group A" ("Group A (Debate North)")."""
        return {n: g.name for n, g in self.groups.items()}

    @property
    def origin(self) -> str:
        """Where the groups come from: "analysis run 4", "Pol.is export", or each debate's
        when some debates' groups are a run's and others Pol.is's own."""
        runs = {g.clustering: g.run_id for g in self.groups.values()}
        if len(runs) > 1 and None in runs.values() and len(set(runs.values())) > 1:
            names = {g.clustering: g.debate for g in self.groups.values()}
            return "; ".join(f"{_origin([r])} ({names[c]})" for c, r in runs.items())
        return _origin(list(runs.values()))

    def origin_of(self, number: int) -> str:
        """Where one group comes from: its debate's run, or the Pol.is export."""
        return _origin([self.groups[number].run_id])

    @property
    def run_id(self) -> int | None:
        """The run whose stored projection draws the map: one debate's run (several debates'
        do not share a space); None for Pol.is's own groups."""
        runs = {g.clustering: g.run_id for g in self.groups.values()}
        return next(iter(runs.values())) if len(runs) == 1 else None

    def size(self, g: int) -> int:
        return self.groups[g].size

    def per_debate(self) -> list[tuple[str, "OpinionGroups"]]:
        """(debate name, its groups) for each debate with groups: each debate is clustered on
        its own, so its groups are read, sized, compared and mapped on their own. One debate:
        [("", self)], as the report has always read them."""
        debates: dict[int, dict[int, OpinionGroup]] = {}
        for n in self.group_ids:
            debates.setdefault(self.groups[n].clustering, {})[n] = self.groups[n]
        if len(debates) <= 1:
            return [("", self)]
        return [(next(iter(groups.values())).debate, OpinionGroups(
            groups, {p: g for p, g in self.members.items() if g in groups},
            {g: t for g, t in self.tallies.items() if g in groups}))
            for groups in debates.values()]


def opinion_groups(project: Any, figures: dict[int, StatementFigures] | None = None,
                   in_use: GroupsInUse | None = None) -> OpinionGroups | None:
    """The opinion groups the whole project uses (``synth.votes.statement_figures``: the latest
    run of each debate, else the groups Pol.is itself exported), with their tallies. Each
    debate's groups are its own (``groups_in_use``): named for their debate when several
    debates have groups. ``figures`` and ``in_use``: the caller's, read together
    (``statement_tallies(project, in_use=in_use)``), so the groups are read once and the
    figures' group labels are these groups'."""
    in_use = in_use if in_use is not None else groups_in_use(project)
    if not in_use.members:
        return None
    figures = statement_tallies(project, in_use=in_use) if figures is None else figures
    number_of = {g.label: n for n, g in in_use.groups.items()}
    per: dict[int, dict[int, Tally]] = defaultdict(dict)
    for sid, f in figures.items():
        for label, t in f.groups.items():
            per[number_of[label]][sid] = t
    return OpinionGroups(in_use.groups, in_use.members, dict(per))


def _origin(runs: list[int | None]) -> str:
    """Where groups come from: "analysis run 4" ("analysis runs 2, 3"), or "Pol.is export"."""
    runs = sorted(r for r in runs if r is not None)
    if not runs:
        return "Pol.is export"
    return f"analysis run{'s' if len(runs) > 1 else ''} {', '.join(map(str, runs))}"


@dataclass(frozen=True)
class GroupsMethod:
    """How one debate's opinion groups were found, as its run recorded it."""
    debate: str                 # "" while one debate has groups
    run_id: int | None          # None: Pol.is's own groups, read from the export, no run
    chosen: str                 # "polis" (Pol.is's own groups) or "recompute"
    groups: int
    polis_export: dict[str, Any] | None = None   # recomputed: how Pol.is's own compare
    recomputed: dict[str, Any] | None = None     # Pol.is's own: how a recomputation compares

    @property
    def recomputed_said(self) -> str:
        """For Pol.is's own groups, the sentence the command line prints of the run
        (``synth.votes.project_analysis.recomputed_difference``): that they are Pol.is's, as
        exported, and how groups recomputed from the final votes compare; "" for a run that
        did not compare (recomputed groups, or a run older than the comparison)."""
        if self.chosen != "polis" or not self.recomputed or "k" not in self.recomputed:
            return ""
        from synth.votes.project_analysis import recomputed_difference
        return recomputed_difference(self.recomputed, self.groups)


def groups_methods(project: Any, groups: OpinionGroups) -> list[GroupsMethod]:
    """Per debate with groups: whether they are Pol.is's own or recomputed here, and how
    recomputed groups compare with the groups Pol.is exported (``synth.votes.project_analysis``
    stores both in the run's params and result)."""
    out = []
    for name, debate in groups.per_debate():
        run_id = debate.groups[debate.group_ids[0]].run_id
        if run_id is None:
            out.append(GroupsMethod(name, None, "polis", len(debate.group_ids)))
            continue
        row = project.query("SELECT params, result FROM analysis_runs WHERE id = ?", (run_id,))
        params = json.loads(row[0][0] or "{}") if row else {}
        result = json.loads(row[0][1] or "{}") if row and row[0][1] else {}
        chosen = "polis" if params.get("groups") == "polis" else "recompute"
        out.append(GroupsMethod(name, run_id, chosen, len(debate.group_ids),
                                result.get("polis_export") if chosen == "recompute" else None,
                                result.get("recomputed") if chosen == "polis" else None))
    return out


def group_map(project: Any, groups: OpinionGroups) -> tuple[list[int], Any]:
    """2-D positions of the grouped participants for the opinion map: the run's stored
    projection when there is one, else their debate's map as Pol.is draws it
    (``synth.votes.vote_map``)."""
    pids = sorted(groups.members)
    if groups.run_id is not None:
        # synth.votes stores the projection of every participant with their ids beside it
        ids = project.get_array(groups.run_id, "participant_ids")
        xy = project.get_array(groups.run_id, "projection")
        if ids is not None and xy is not None and xy.ndim == 2 and xy.shape[1] >= 2 \
                and len(ids) == xy.shape[0]:
            row = {int(round(float(p))): i for i, p in enumerate(ids.ravel().tolist())}
            if all(p in row for p in pids):
                return pids, xy[[row[p] for p in pids], :2]
    from synth.votes.vote_map import debate_map, places_of
    sources = {g.source_id for g in groups.groups.values()}
    ids, xy = debate_map(project, sources.pop() if len(sources) == 1 else None)
    return pids, places_of(ids, xy, pids)


@dataclass(frozen=True)
class Comparison:
    statement_id: int
    spread: int                 # largest difference in % agree between two groups
    lowest: int                 # the lowest % agree of any group
    groups: tuple[int, ...] = ()    # the groups compared: those of the statement's debate
    small: bool = False         # some group's figure rests on fewer than min_n votes


def compare_groups(groups: OpinionGroups, min_n: int, limit: int = 3,
                   listed: Collection[int] | None = None, small_groups: bool = False
                   ) -> tuple[list[Comparison], list[Comparison]]:
    """(where the groups differ most, where they agree most): statements every group of their
    debate voted on with at least ``min_n`` votes, by the spread and by the lowest share
    agreeing. A debate's groups are only ever compared with each other. ``listed``: the
    statements the report lists (moderated-out and meta ones are not), so that a statement it
    would leave out cannot take one of the ``limit`` places.

    ``small_groups``: a group too small (or too sparse) to reach ``min_n`` votes would leave
    the comparison empty for its whole debate; with this, a debate with no statement every
    group reached ``min_n`` on compares those every group has ``small_group_votes`` on (half a
    small group), marked ``small``, for where they differ only. A debate with any comparison at
    ``min_n`` keeps to those. Where the groups agree is a claim about every group: it is made
    only on ``min_n`` votes in each (QA: "Group B 100 % agree" on 3 votes of 5 scattered
    people), never on a small comparison."""
    rows = []
    floor = max(min_n, 1)
    for _name, debate in groups.per_debate():
        gids = debate.group_ids
        if len(gids) < 2:
            continue
        common = set.intersection(*(set(debate.tallies.get(g, {})) for g in gids))
        if listed is not None:
            common &= set(listed)
        enough = {g: small_group_votes(debate.size(g), floor) for g in gids}
        strict, small = [], []
        for sid in common:
            ts = [debate.tallies[g][sid] for g in gids]
            pcts = [t.whole_pct() for t in ts]
            if min(t.n for t in ts) >= floor:
                strict.append(Comparison(sid, max(pcts) - min(pcts), min(pcts), tuple(gids)))
            elif small_groups and all(t.n >= enough[g] for g, t in zip(gids, ts)):
                small.append(Comparison(sid, max(pcts) - min(pcts), min(pcts), tuple(gids),
                                        True))
        rows += strict or small
    differ = sorted(rows, key=lambda c: (c.small, -c.spread, c.statement_id))[:limit]
    agree = sorted((c for c in rows if c.lowest >= 50 and not c.small),
                   key=lambda c: (-c.lowest, c.spread, c.statement_id))[:limit]
    return differ, agree


def small_group_votes(size: int, min_n: int) -> int:
    """Votes a group needs on a statement for ``compare_groups(small_groups=True)``: ``min_n``,
    or half the group (rounded up, at least 1) when that is fewer."""
    return max(1, min(min_n, (size + 1) // 2))


# --------------------------------------------------------------------------- headline counts
LISTED = "moderation >= 0 AND is_meta = 0"      # the statements the report lists and counts
LISTED_VOTES = f"statement_id IN (SELECT id FROM statements WHERE {LISTED})"


@dataclass
class Headline:
    """The study's counts, each over the same statements: those the report lists (not
    moderated out, not meta), so "N people cast V votes on S statements" holds as printed."""
    debate_participants: int = 0      # people who cast at least one vote on a listed statement
    statements: int = 0
    seed_statements: int = 0
    votes: int = 0                    # votes on listed statements
    votes_left_out: int = 0           # votes on moderated-out and meta statements
    workshops: list[str] = field(default_factory=list)
    per_city: dict[str, int] = field(default_factory=dict)   # workshop participants per city
    notes: int = 0
    transcripts: int = 0
    interviews: int = 0               # documents from interview sources
    per_city_origin: str = ""
    tallies_only: bool = False        # no single votes: counts from imported tallies

    @property
    def has_debate(self) -> bool:
        return bool(self.debate_participants or self.statements)


def debate_participant_ids(project: Any) -> set[int]:
    """The people the headline counts as the debate's participants: who voted on a listed
    statement; with tallies only (no single votes), the debate's participants as imported.
    The characteristics annex counts the same people."""
    if project.scalar("SELECT 1 FROM votes LIMIT 1"):
        return {r[0] for r in project.query(
            f"SELECT DISTINCT participant_id FROM votes WHERE {LISTED_VOTES}")}
    return {r[0] for r in project.query(
        "SELECT p.id FROM participants p JOIN sources s ON s.id = p.source_id "
        "WHERE s.kind IN ('debate','survey')")}


def headline(project: Any) -> Headline:
    h = Headline()
    h.tallies_only = not project.scalar("SELECT 1 FROM votes LIMIT 1")
    h.debate_participants = len(debate_participant_ids(project))
    h.statements = int(project.scalar(f"SELECT count(*) FROM statements WHERE {LISTED}") or 0)
    h.seed_statements = int(project.scalar(f"SELECT count(*) FROM statements WHERE {LISTED}"
                                           " AND is_seed = 1") or 0)
    if not h.tallies_only:
        h.votes = int(project.scalar(f"SELECT count(*) FROM votes WHERE {LISTED_VOTES}") or 0)
        h.votes_left_out = int(project.scalar("SELECT count(*) FROM votes") or 0) - h.votes
    else:
        h.votes = int(project.scalar(
            "SELECT coalesce(sum(coalesce(agree_tally,0) + coalesce(disagree_tally,0) + "
            f"coalesce(pass_tally,0)), 0) FROM statements WHERE {LISTED}") or 0)
    h.workshops = workshops(project)
    h.notes = int(project.scalar("SELECT count(*) FROM notes") or 0)
    h.transcripts = int(project.scalar("SELECT count(*) FROM documents") or 0)
    h.interviews = int(project.scalar("SELECT count(*) FROM documents d JOIN sources s ON "
                                      "s.id = d.source_id WHERE s.kind = 'interview'") or 0)
    h.per_city, h.per_city_origin = workshop_participants(project)
    return h


def study_parts(h: Headline) -> list[str]:
    """What the study gathered, in the report's words: "an online debate", "co-design
    workshops", "interviews" — only what the project holds."""
    parts = []
    if h.has_debate:
        parts.append("an online debate")
    if h.workshops:
        parts.append("a co-design workshop" if len(h.workshops) == 1 else
                     f"{_count_words(len(h.workshops))} co-design workshops")
    if h.interviews:
        parts.append("an interview" if h.interviews == 1 else "interviews")
    if not parts and (h.notes or h.transcripts):
        parts.append("workshop notes and transcripts" if h.notes and h.transcripts else
                     "workshop notes" if h.notes else "transcripts")
    return parts


def _count_words(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if n < len(words) else str(n)


def workshops(project: Any) -> list[str]:
    """Distinct workshops (by name, else by site) across workshop sources, notes, documents."""
    names: dict[str, None] = {}
    for r in project.query(
            "SELECT CASE WHEN n.workshop != '' THEN n.workshop WHEN n.site != '' THEN n.site "
            "ELSE s.workshop END FROM notes n JOIN sources s ON s.id = n.source_id "
            "UNION ALL SELECT CASE WHEN d.workshop != '' THEN d.workshop ELSE s.workshop END "
            "FROM documents d JOIN sources s ON s.id = d.source_id WHERE s.kind = 'workshop' "
            "UNION ALL SELECT CASE WHEN workshop != '' THEN workshop ELSE site END FROM sources "
            "WHERE kind = 'workshop'"):
        if r[0]:
            names[_workshop_key(r[0])] = None
    return sorted(names)


def _workshop_key(name: str) -> str:
    return name.strip()


def workshop_participants(project: Any) -> tuple[dict[str, int], str]:
    """Workshop participants per city: from participants' characteristics (a site/city column)
    when the project has them, else from the study's stated attendance (source details
    ``participants``), else distinct participant speakers in the transcripts."""
    names = ",".join(f"'{n}'" for n in WORKSHOP_ATTRIBUTES)
    rows = project.query(
        "SELECT a.value, count(DISTINCT a.participant_id) FROM participant_attributes a "
        f"WHERE lower(a.name) IN ({names}) GROUP BY a.value ORDER BY a.value")
    if rows:
        return {r[0]: r[1] for r in rows}, "participants' characteristics"
    stated: dict[str, int] = {}
    for r in project.query("SELECT site, workshop, details FROM sources WHERE kind = 'workshop'"):
        try:
            n = json.loads(r[2] or "{}").get("participants")
        except ValueError:
            n = None
        if isinstance(n, int) and (r[0] or r[1]):
            stated[r[0] or r[1]] = max(stated.get(r[0] or r[1], 0), n)
    if stated:
        return stated, "attendance recorded with the workshop sources"
    speakers = project.query(
        "SELECT CASE WHEN d.site != '' THEN d.site ELSE s.site END, d.id, p.speaker "
        "FROM passages p JOIN documents d ON d.id = p.document_id JOIN sources s ON "
        "s.id = d.source_id WHERE p.speaker_role != 'facilitator' AND p.speaker != '' "
        "GROUP BY 1, 2, 3")
    per: Counter[str] = Counter(r[0] for r in speakers if r[0])
    return dict(sorted(per.items())), "distinct participant speakers in the transcripts"


# --------------------------------------------------------------------------- characteristics
def participant_strands(project: Any) -> dict[int, str]:
    """Each participant with characteristics: "debate" or "workshops". The debate's are the
    people its headline counts (``debate_participant_ids``: who voted); someone with
    characteristics who never voted, and was at no workshop, is in neither."""
    names = ",".join(f"'{n}'" for n in WORKSHOP_ATTRIBUTES)
    workshop = {r[0] for r in project.query(
        f"SELECT participant_id FROM participant_attributes WHERE lower(name) IN ({names}) "
        "AND value != ''")}
    voters = debate_participant_ids(project)
    out = {}
    for pid, kind in project.query(
            "SELECT p.id, s.kind FROM participants p JOIN sources s ON s.id = p.source_id "
            "WHERE EXISTS (SELECT 1 FROM participant_attributes a WHERE a.participant_id = p.id)"):
        if pid in workshop or kind == "workshop":
            out[pid] = "workshops"
        elif pid in voters:
            out[pid] = "debate"
    return out


def characterised_non_voters(project: Any, tables: list[CharacteristicTable] | None = None
                             ) -> int:
    """People with characteristics counted in neither strand (``participant_strands``)."""
    return int(project.scalar(
        "SELECT count(*) FROM participants p WHERE EXISTS (SELECT 1 FROM "
        "participant_attributes a WHERE a.participant_id = p.id)") or 0) - \
        len(participant_strands(project))


NO_ANSWER = "No answer"
OTHER = "Other"
OTHER_OR_NO_ANSWER = "Other or no answer"     # "Other" too small to stand beside one category
SMALL_CELL = 5      # fewer people than this in a category are merged: they could be named


@dataclass
class CharacteristicTable:
    name: str
    categories: list[str]
    counts: dict[str, dict[str, int]]     # strand -> category -> count
    totals: dict[str, int]                # strand -> participants in the strand
    answered: dict[str, int]              # strand -> participants who gave a value
    merged: list[str] = field(default_factory=list)   # small categories put into OTHER
    banded: bool = False                  # numbers put into bands
    # of ``merged``, those not small themselves, added so that OTHER is no small cell either
    joined: list[str] = field(default_factory=list)

    def merged_words(self) -> str:
        """What "Other" holds and why, as the annex and the tables say it: "Non-binary or
        other, with fewer than 5 people in a column; Prefer not to say, added so that it cannot
        be worked out from the rest" (a category of 12 was said to have fewer than 5)."""
        small = [c for c in self.merged if c not in self.joined]
        parts = []
        if small:
            parts.append(f"{and_list(small)}, "
                         f"{'each with' if len(small) > 1 else 'with'} fewer than "
                         f"{SMALL_CELL} people in a column")
        if self.joined:
            parts.append(f"{and_list(self.joined)}, added so that "
                         f"{'they' if len(small) > 1 else 'it'} cannot be worked out from the "
                         "rest")
        return "; ".join(parts)


@dataclass
class Characteristics:
    tables: list[CharacteristicTable]
    left_out: list[str]                   # characteristics with too many values to table


def characteristics(project: Any, max_categories: int = 20) -> list[CharacteristicTable]:
    return characteristics_annex(project, max_categories).tables


def characteristics_annex(project: Any, max_categories: int = 20,
                          small_cell: int = SMALL_CELL) -> Characteristics:
    """Each characteristic's counts per strand (the debate's voters, the workshops' people).
    Shares are of everyone in the strand: a debate voter with no value, or no characteristics
    at all, is a "No answer" (QA 52: 10 of 26 voters made 100 %). Numbers (ages) are put into
    bands in numeric order; a category with fewer than ``small_cell`` people in a strand is
    merged into "Other", as statistical releases do, so no one is alone in a cell (QA 46); a
    characteristic with more than ``max_categories`` values (ids, postcodes, free text) is
    left out, and named in ``left_out``."""
    strands = participant_strands(project)
    for pid in debate_participant_ids(project):     # voters with no characteristics at all
        strands.setdefault(pid, "debate")
    if not strands:
        return Characteristics([], [])
    totals = Counter(strands.values())
    by_name: dict[str, dict[int, str]] = defaultdict(dict)
    for pid, name, value in project.query(
            "SELECT participant_id, name, value FROM participant_attributes ORDER BY name"):
        if str(value or "").strip():
            by_name[name][pid] = str(value).strip()
    out, left_out = [], []
    for name, values in by_name.items():
        bands = _bands(list(values.values()))
        if not bands and len(set(values.values())) > max_categories:   # ids, free text
            left_out.append(name)
            continue
        if bands:
            values = {p: bands[v] for p, v in values.items()}
            values = _merge_small_bands(values, strands, small_cell)
        counts: dict[str, Counter[str]] = {s: Counter() for s in totals}
        for pid, strand in strands.items():
            counts[strand][values.get(pid, NO_ANSWER)] += 1
        small = [] if bands else sorted(
            {c for cs in counts.values() for c, n in cs.items()
             if 0 < n < small_cell and c != NO_ANSWER})
        joined: list[str] = []
        for cs in counts.values():
            moved = sum(cs.pop(c, 0) for c in small)
            if moved:
                cs[OTHER] += moved
        # "Other" itself as small a cell as those it holds (2 carers of 653 were "Other: 2"):
        # the next smallest category joins it until no cell of it is small
        while not bands and any(0 < cs.get(OTHER, 0) < small_cell for cs in counts.values()):
            rest = [c for c in {c for cs in counts.values() for c in cs}
                    if c not in (OTHER, NO_ANSWER)]
            if len(rest) <= 1:      # one category left beside it: "Other" would be told
                for cs in counts.values():      # apart, so it is one row with no answer
                    n = cs.pop(OTHER, 0) + cs.pop(NO_ANSWER, 0)
                    if n:
                        cs[OTHER_OR_NO_ANSWER] += n
                break
            smallest = min(rest, key=lambda c: (sum(cs.get(c, 0) for cs in counts.values()), c))
            small.append(smallest)
            joined.append(smallest)
            for cs in counts.values():
                cs[OTHER] += cs.pop(smallest, 0)
        cats = {c for cs in counts.values() for c in cs}
        if bands:
            cats_sorted = sorted(cats - {NO_ANSWER}, key=_band_start) + \
                ([NO_ANSWER] if NO_ANSWER in cats else [])
        else:
            cats_sorted = sorted(cats, key=lambda c: (c in (NO_ANSWER, OTHER_OR_NO_ANSWER),
                                                      c == OTHER,
                                                      -sum(cs[c] for cs in counts.values()), c))
        answered = Counter(strands[p] for p in values if p in strands)
        out.append(CharacteristicTable(name, cats_sorted,
                                       {s: dict(c) for s, c in counts.items()}, dict(totals),
                                       dict(answered), small, bool(bands), joined))
    return Characteristics(out, left_out)


def _merge_small_bands(values: dict[int, tuple[int, int]], strands: dict[int, str],
                       small_cell: int) -> dict[int, str]:
    """Bands ((low, high), in order) joined with a neighbour while one has fewer than
    ``small_cell`` people in a strand ("16–17" with 3 people and "18–24" make "16–24"), then
    named."""
    spans = sorted(set(values.values()))

    def count(span: tuple[int, int]) -> Counter[str]:
        return Counter(strands[p] for p, v in values.items() if v == span and p in strands)
    while len(spans) > 1:
        small = [i for i, sp in enumerate(spans)
                 if any(0 < n < small_cell for n in count(sp).values())]
        if not small:
            break
        i = small[0]
        j = i + 1 if i + 1 < len(spans) and (i == 0 or sum(count(spans[i + 1]).values())
                                               <= sum(count(spans[i - 1]).values())) else i - 1
        a, b = sorted((i, j))
        joined = (spans[a][0], spans[b][1])
        values = {p: (joined if v in (spans[a], spans[b]) else v) for p, v in values.items()}
        spans[a:b + 1] = [joined]
    return {p: _band_name(v) for p, v in values.items()}


def _band_name(span: tuple[int, int]) -> str:
    low, high = span
    if low <= 0:
        return f"{high} and under"
    if high >= 200:
        return f"{low} and over"
    return f"{low}–{high}" if low != high else str(low)


_AGE_BANDS = [(0, 15), (16, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200)]


def _bands(values: list[str]) -> dict[str, tuple[int, int]]:
    """Whole numbers (ages, years of service) as bands, {value: (low, high)}; {} when the
    values are not all whole numbers or are few enough to print as they are."""
    try:
        numbers = {v: float(v) for v in values}
    except ValueError:
        return {}
    # "NaN" and "inf" parse as numbers but are no whole numbers (a CSV pandas wrote)
    if len(set(numbers.values())) <= 3 or any(not math.isfinite(n) or n != int(n)
                                              for n in numbers.values()):
        return {}
    ints = {v: int(n) for v, n in numbers.items()}
    low, high = min(ints.values()), max(ints.values())
    if 0 <= low and high <= 120:        # ages, as official statistics band them
        return {v: next((a, z) for a, z in _AGE_BANDS if a <= n <= z) for v, n in ints.items()}
    width = max(1, -(-(high - low + 1) // 5))
    return {v: (low + (n - low) // width * width, low + (n - low) // width * width + width - 1)
            for v, n in ints.items()}


def _band_start(band: str) -> float:
    m = re.match(r"-?\d+", band)
    return float(m.group()) if m else float("inf")


# --------------------------------------------------------------------------- themes
@dataclass
class Quote:
    id: int | None               # quotes.id; None for a statement quoted from the theme's cards
    text: str
    attribution: str
    item_kind: str
    item_id: int
    source_text: str             # the full text the quote was taken from (for verification)


@dataclass
class Recommendation:
    id: int
    number: str                  # "1.2"
    title: str
    text: str
    evidence: list[tuple[str, int]]


@dataclass
class ThemeContent:
    id: int
    number: int
    name: str
    summary: str
    summary_shared: str
    summary_want: str
    colour: str
    shared: list[int]                       # statement ids, with figures
    shared_notes: list[tuple[str, int]]     # other evidence of the current situation
    want: list[tuple[str, int]]             # notes / passages / statements of what people want
    quotes: list[Quote]
    recommendations: list[Recommendation]
    sizes: dict[str, int]                   # cards by source kind
    candidate: bool = False
    automatic_quotes: bool = False          # quotes picked from public statements, not the team
    keywords: list[str] = field(default_factory=list)   # a candidate's, found by clustering
    subthemes: list[str] = field(default_factory=list)  # the sub-themes its evidence is from
    # candidate sub-themes under an accepted theme: (name, cards), not reviewed, not evidence
    unreviewed: list[tuple[str, int]] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)  # the theme and the sub-themes counted

    @property
    def empty(self) -> bool:
        """Nothing in it yet (a codebook's code before any card): no chapter, a name in a
        list (``number`` 0)."""
        return self.number == 0


def item_text(project: Any, kind: str, item_id: int) -> str:
    if kind == "statement":
        return project.scalar("SELECT text FROM statements WHERE id = ?", (item_id,)) or ""
    if kind == "note":
        return project.scalar("SELECT text FROM notes WHERE id = ?", (item_id,)) or ""
    if kind == "passage":
        return project.scalar("SELECT substr(d.text, p.start + 1, p.end - p.start) FROM passages p"
                              " JOIN documents d ON d.id = p.document_id WHERE p.id = ?",
                              (item_id,)) or ""
    if kind == "coding":
        return project.scalar("SELECT substr(d.text, c.start + 1, c.end - c.start) FROM codings c"
                              " JOIN documents d ON d.id = c.document_id WHERE c.id = ?",
                              (item_id,)) or ""
    if kind == "quote":
        q = project.query("SELECT item_kind, item_id FROM quotes WHERE id = ?", (item_id,))
        return item_text(project, q[0][0], q[0][1]) if q else ""
    return ""


def attribution(project: Any, kind: str, item_id: int) -> str:
    """Who said it, in the report's words: "Manchester co-design participant". The project's
    attribution templates (coding.quotes) when they give one, else a default by kind."""
    try:
        said = attribution_for(project, kind, item_id)
        if said:
            return said
    except Exception:  # noqa: BLE001 - an attribution never stops a report
        pass
    if kind == "statement":
        return "Online debate participant"
    if kind == "note":
        r = project.query("SELECT CASE WHEN n.site != '' THEN n.site ELSE s.site END, "
                          "n.author_role FROM notes n JOIN sources s ON s.id = n.source_id "
                          "WHERE n.id = ?", (item_id,))
        site = r[0][0] if r else ""
        return f"{site} workshop, sticky note".strip().capitalize() if site else \
            "Workshop sticky note"
    table = "passages" if kind == "passage" else "codings"
    r = project.query(f"SELECT CASE WHEN d.site != '' THEN d.site ELSE s.site END, s.kind "
                      f"FROM {table} x JOIN documents d ON d.id = x.document_id "
                      "JOIN sources s ON s.id = d.source_id WHERE x.id = ?", (item_id,))
    if not r:
        return "Participant"
    site, skind = r[0]
    if skind == "interview":
        return "Interviewee"
    return f"{site} co-design participant" if site else "Co-design participant"


def published_quote(project: Any, quote_id: int, strip: bool = False,
                    redacted: dict[tuple[str, int], list[tuple[int, int, str]]] | None = None,
                    known: Collection[str] | None = None) -> Quote | None:
    """A quote as it may leave the project: the span the researcher quoted, with every
    redaction they confirmed in any quote of the item (``item_redactions``, moved to the span
    and cut to it: a second quote of the same words keeps the name a first one redacted),
    e-mail addresses and phone numbers masked (names too when ``strip``), under its
    attribution. None when consent was withdrawn, the quote is gone or nothing is left of it:
    such a quote is never printed. ``redacted``: ``confirmed_redactions``, ``known``:
    ``names_to_strip``, when read already."""
    from coding.quotes import quote
    q = quote(project, quote_id)
    if q is None or not q.consent:
        return None
    text = quote_words(project, q, strip, redacted, known)
    if not text:
        return None
    said = current_attribution(project, q.item_kind, q.item_id, q.attribution)
    return Quote(q.id, text, said or attribution(project, q.item_kind, q.item_id),
                 q.item_kind, q.item_id, item_text(project, q.item_kind, q.item_id))


QUOTED_LIMIT = 600      # characters of participants' words the report prints in one place


def shortened(text: str, limit: int = QUOTED_LIMIT) -> tuple[str, bool]:
    """``text`` cut to about ``limit`` characters at a sentence or word end, with " …";
    (text, whether it was cut). A note or passage of thousands of characters is evidence to
    point to, not to print whole."""
    text = text.strip()
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if cut >= limit // 2:
        head = head[:cut + 1]
    else:
        head = head.rsplit(None, 1)[0] if " " in head else head
    return head.rstrip() + " …", True


def where_whole(project: Any, kind: str, item_id: int, strip: bool = False,
                known: Collection[str] = ()) -> str:
    """Where a reader finds the whole of a shortened text: "note 6" ("passage 12 of Leeds
    table 2"), as the exported Themes table lists cards (card kind, card id). The document's
    title is masked as the items' words are (``mask_personal_data``; ``known``:
    ``names_to_strip``): "Interview with Kwame Mensah" names the one interviewed."""
    if kind == "passage":
        title = project.scalar("SELECT d.title FROM passages p JOIN documents d ON "
                               "d.id = p.document_id WHERE p.id = ?", (item_id,))
        title = mask_personal_data(title, names=strip, known=known) if title else title
        return f"passage {item_id}" + (f" of “{title}”" if title else "")
    return f"{kind} {item_id}"


def theme_contents(project: Any, max_shared: int = 5, max_want: int = 5,
                   max_quotes: int = 3, strip: bool | None = None) -> list[ThemeContent]:
    """Top-level accepted themes in board order (or, while none is accepted or none of
    them holds anything yet, every top-level theme: ``coding.chapters.listed_themes``), with
    their evidence (their accepted sub-themes' cards count as theirs: a candidate sub-theme
    the clustering put under a theme is not reviewed, so its cards are no evidence of it and
    are listed as left out, while what the team linked or wrote anywhere under the theme is
    kept). A theme with nothing in it yet (no card or coded passage, no evidence, no writing:
    a codebook's code) is numbered 0 (``empty``); the others are numbered 1, 2 … as their
    chapters (``coding.chapters.chapters``). ``strip``: mask names in quotes too (default: the
    project's ``strip_personal_data`` setting).

    Every quote the team chose for a theme (linked to it, or marked on one of its cards) is
    listed: the team chose them to be read, and a cap dropped four of seven without a word
    (QA). ``max_quotes`` caps only the quotes the report picks itself for a theme the team has
    chosen none for."""
    out = []
    strip = strip_requested(project) if strip is None else strip
    tally = tallies(project)
    listed = set(statements(project))
    redacted = confirmed_redactions(project)
    known = names_to_strip(project, strip)
    reported, numbers = _listed_with_chapters(project)
    tops, tree, about = reported
    order = tree.depth_first()
    rank = {tid: i for i, tid in enumerate(order)}
    for t in tops:
        tid = t["id"]
        number = numbers[tid]
        whole, sub, unreviewed = _parts(reported, tid)
        cards = _cards_in(project, sub)
        marks = ",".join("?" for _ in whole)
        # what the team linked, anywhere under the theme
        ev = project.query(f"SELECT item_kind, item_id, role FROM evidence WHERE theme_id IN "
                           f"({marks}) AND recommendation_id IS NULL ORDER BY position, id", whole)
        # what participants shared: statements with figures, curated first, then the theme's
        # statements with the most votes
        shared = [i for k, i, role in ev if k == "statement" and role in ("shared", "support")]
        if not shared:
            placed = [i for k, i in cards if k == "statement" and i in tally]
            shared = sorted(placed, key=lambda s: (-tally[s].n, s))[:max_shared]
        shared_notes = [(k, i) for k, i, role in ev
                        if k in ("note", "passage") and role == "shared"]
        want = [(k, i) for k, i, role in ev if role == "want" and k != "quote"]
        placed_in = ",".join("?" for _ in sub)
        if not want:    # participants' notes only: a facilitator's is not what they want
            notes = project.query(
                f"SELECT n.id, n.author_role FROM notes n JOIN card_places c ON c.card_kind = "
                f"'note' AND c.card_id = n.id WHERE c.theme_id IN ({placed_in}) AND "
                f"lower(n.activity) IN ('add', 'keep', 'want', 'idea', 'solution') "
                f"ORDER BY n.dot_votes DESC, n.id", sub)
            want = [("note", r[0]) for r in notes if not is_team_role(r[1])][:max_want]
        quotes: list[Quote] = []
        qrows = project.query(
            f"SELECT q.* FROM quotes q WHERE q.consent = 1 AND (q.id IN (SELECT item_id FROM "
            f"evidence WHERE item_kind = 'quote' AND theme_id IN ({marks})) OR EXISTS (SELECT 1 "
            f"FROM card_places c WHERE c.card_kind = q.item_kind AND c.card_id = q.item_id AND "
            f"c.theme_id IN ({placed_in}))) ORDER BY q.id", (*whole, *sub))
        for q in qrows:
            quote = published_quote(project, q["id"], strip, redacted, known)
            if quote:
                quotes.append(quote)
        automatic = not quotes
        if automatic:
            quotes = _public_quotes(project, cards, tally, listed, shared, max_shared,
                                    max_quotes, strip, known)
        # a description of blanks only (tabs typed into it) is no description
        shared_words, want_words = (t["summary_shared"] or "").strip(), \
            (t["summary_want"] or "").strip()
        rows = sorted(project.query(f"SELECT id, title, text, theme_id, position FROM "
                                    f"recommendations WHERE theme_id IN ({marks})", whole),
                      key=lambda r: (rank.get(r[3], len(rank)), r[4], r[0]))
        recs = []
        # the theme's own recommendations, then its sub-themes' (depth first), numbered on as
        # coding.recommendations numbers them: a sub-theme's are the theme's too
        for j, r in enumerate(rows, start=1):
            rev = [(e[0], e[1]) for e in project.query(
                "SELECT item_kind, item_id FROM evidence WHERE recommendation_id = ? "
                "ORDER BY position, id", (r[0],))]
            recs.append(Recommendation(r[0], f"{number}.{j}", r[1], r[2], rev))
        sizes: Counter[str] = Counter()
        for k, i in cards:
            sizes[_card_source(project, k, i)] += 1
        summary = (t["description"] or "").strip() or shared_words.split(". ")[0]
        people = set() if all(about[x][2] for x in whole) else \
            names_in_cards(project, cards if whole == sub else _cards_in(project, whole))

        def said(x: int) -> str:
            """A theme's name as printed: one the analysis made has no one's name in it."""
            name, _status, edited = about[x]
            return name if edited else without_names(name, people)
        keywords: list[str] = []
        if not t["name_edited"] and t["status"] == "candidate":  # words people wrote, as
            keywords = list(dict.fromkeys(without_names(w, people)  # synth.board reads them
                                          for w in json.loads(t["keywords"])[:5]))
        out.append(ThemeContent(tid, number, said(tid), summary, shared_words,
                                want_words, t["colour"], shared[:max_shared * 2],
                                shared_notes, want[:max_want], quotes, recs,
                                dict(sizes), t["status"] == "candidate",
                                automatic and bool(quotes), keywords,
                                [said(x) for x in order if x in sub and x != tid],
                                [(said(x), len(_cards_in(project, tree.subtree(x))))
                                 for x in unreviewed], sub))
    return out


def theme_names(project: Any) -> dict[int, str]:
    """Each theme's name as the tables print it, as the report prints it (``theme_contents``,
    stripping asked or not: "Panel & [name]", QA 40): the team's as stored; one the analysis
    made (not the team's) with the words of people's names in the notes and passages of its
    top theme's tree masked, since the analysis, not a person, put them there."""
    from synth.board import ThemeTree
    from synth.themes.tree import top_theme
    rows = project.query("SELECT id, parent_id, name, name_edited FROM themes")
    names = {r[0]: r[2] for r in rows}
    made = [r[0] for r in rows if not r[3]]
    if not made:
        return names
    tree = ThemeTree({r[0]: r[1] for r in rows})
    tops = {t: top_theme(tree.parents, t) for t in made}
    people = {top: names_in_cards(project, _cards_in(project, tree.subtree(top)))
              for top in set(tops.values())}
    return {**names, **{t: without_names(names[t], people[tops[t]]) for t in made}}


def _cards_in(project: Any, theme_ids: list[int]) -> list[tuple[str, int]]:
    marks = ",".join("?" for _ in theme_ids)
    return [(r[0], r[1]) for r in project.query(
        f"SELECT card_kind, card_id FROM card_places WHERE theme_id IN ({marks}) "
        "ORDER BY card_kind, card_id", theme_ids)]


@dataclass(frozen=True)
class PrintedFinding:
    """Personal data found in a note or passage the report prints outside quotes."""
    kind: str                   # "note", "passage", "coding"
    item: int
    finding: Any                # coding.redaction.Finding, at its place in the item's text
    text: str                   # the item's whole text
    where: str                  # "note 6 (Cardiff co-design participant)"
    printed_in: str             # "theme 2 “Wellbeing”: what participants want to see"
    masked: bool                # never printed: an e-mail address or phone number, or
                                # redacted in a quote of the item
    masked_if_stripped: bool    # … masked when personal data is stripped


def printed_item_findings(project: Any) -> list[PrintedFinding]:
    """The personal data in the notes and passages the report prints outside quotes (each
    theme's "what participants shared" and "want to see"), as the export dialog lists the
    quotes': they are participants' words too, and e-mail addresses and phone numbers are
    masked in them always, names only when stripping (QA 40). Whether each is masked is read
    from the words as they are printed (``item_words``), not from a rule of its own."""
    known = known_names(project)
    redacted = confirmed_redactions(project)
    places: dict[tuple[str, int], list[str]] = {}
    for t in theme_contents(project, strip=False):
        for part, items in (("what participants shared", t.shared_notes),
                            ("what participants want to see", t.want)):
            for kind, item in items:
                if kind in ("note", "passage", "coding"):
                    place = f"theme {t.number} “{t.name}”: {part}"
                    if place not in places.setdefault((kind, item), []):
                        places[(kind, item)].append(place)
    out: list[PrintedFinding] = []
    for (kind, item), where in places.items():
        text = item_text(project, kind, item)
        found = findings_in_place(project, kind, item, text, known=known)
        if not found:
            continue
        kept = item_words(project, kind, item, text, False, redacted, known)
        stripped = item_words(project, kind, item, text, True, redacted, known)
        said = f"{where_whole(project, kind, item)} ({attribution(project, kind, item)})"
        out += [PrintedFinding(kind, item, f, text, said, "; ".join(where),
                               not _printed(f.text, kept), not _printed(f.text, stripped))
                for f in found]
    return out


def _printed(words: str, text: str) -> bool:
    """Whether ``words`` stand in ``text`` as words of their own ("Sam", not in "Same")."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def names_in_cards(project: Any, cards: list[tuple[str, int]]) -> set[str]:
    """The words of people's names in a theme's notes and passages (``find_personal_data``
    with the names the project holds): a theme name or keyword the analysis made of them
    would print a person's name ("Panel & Holloway", QA 40)."""
    known = known_names(project)
    out: set[str] = set()
    for kind, item in cards:
        if kind in ("note", "passage", "coding"):
            for f in find_personal_data(item_text(project, kind, item), ("name",), known):
                out.update(w for w in re.findall(r"[^\W\d_][\w'’-]*", f.text) if len(w) > 1)
    return out - TITLES     # the masking takes a title with the name ("Councillor Patel"):
    # the title alone is no one's name (review: "[name] surgeries & ward")


def without_names(text: str, names: Collection[str]) -> str:
    """``text`` with each word that is one of ``names`` (any case) as "[name]"."""
    if not names:
        return text
    lower = {n.lower() for n in names}
    return re.sub(r"[^\W\d_][\w'’-]*",
                  lambda m: "[name]" if m.group().lower() in lower else m.group(), text)


def _public_quotes(project: Any, cards: list[tuple[str, int]], tally: dict[int, Tally],
                   listed: set[int], shared: list[int], max_shared: int, max_quotes: int,
                   strip: bool, known: Collection[str] = ()) -> list[Quote]:
    """Quotes for a theme the team has chosen none for: only words participants wrote to be
    read by everyone — the debate's listed statements (moderated in), not those its "what
    participants shared" already prints, none whose quote the team marked without consent and
    no seed statement (the organisers wrote those).
    Transcript passages and workshop notes are never quoted unreviewed: nobody has checked
    them for names or consent."""
    printed = set([s for s in shared if s in listed and s in tally][:max_shared])
    withdrawn = {r[0] for r in project.query(
        "SELECT item_id FROM quotes WHERE item_kind = 'statement' AND consent = 0 UNION "
        "SELECT id FROM statements WHERE is_seed = 1")}   # seeds: the organisers' words
    pool = [i for k, i in cards if k == "statement" and i in listed and i not in printed
            and i not in withdrawn]
    out = []
    for sid in sorted(pool, key=lambda s: (-(tally[s].n if s in tally else 0), s)):
        text = item_text(project, "statement", sid).strip()
        if 40 <= len(text) <= 400:
            out.append(Quote(None, item_words(project, "statement", sid, text, strip,
                                              known=known),
                             attribution(project, "statement", sid), "statement", sid, text))
        if len(out) >= max_quotes:
            break
    return out


def _card_source(project: Any, kind: str, item_id: int) -> str:
    if kind == "statement":
        return "Online debate"
    if kind == "note":
        return "Workshop notes"
    return "Transcripts"
