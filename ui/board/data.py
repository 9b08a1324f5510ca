"""What the board shows, read from the project in a few set-based queries (no Qt here).

Agreement is "% of those who voted": agrees ÷ (agrees + disagrees + passes), from single votes
where the debate has them, else from the imported tallies; per opinion group as well. Both come
from ``synth.votes.statement_figures``, so the board shows the report's numbers and groups.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from synth.board import CARDS_SQL, CardRef, card_count  # noqa: F401 - card_count re-exported
from synth.themes.tree import line_up
from synth.votes.statement_figures import Tally, groups_in_use, statement_tallies
from synth.words import plural


@dataclass
class CardData:
    kind: str
    id: int
    text: str
    source_id: int
    source_kind: str
    source_name: str
    site: str
    theme_id: int | None
    order: float = 0.0
    agree: int = 0
    disagree: int = 0
    passed: int = 0
    group_agree: tuple[float | None, ...] = ()     # share agreeing per opinion group
    group_names: tuple[str, ...] = ()              # "Group A" … beside group_agree
    group_tallies: tuple[Tally | None, ...] = ()   # the report's tallies beside group_agree
    opinion_group: int | None = None               # group that agrees most, if it stands out
    opinion_group_name: str = ""                   # … its name ("Group A (Debate North)")

    @property
    def ref(self) -> CardRef:
        return (self.kind, self.id)

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agree_share(self) -> float | None:
        return self.agree / self.votes if self.votes else None

    @property
    def badge(self) -> str:
        if self.kind == "statement":
            return "Debate" if self.source_kind == "debate" else "Statement"
        if self.kind == "note":
            return f"{self.site} workshop" if self.site else "Workshop"
        where = f"{self.site} " if self.site else ""
        return f"{where}{'interview' if self.source_kind == 'interview' else 'transcript'}"


@dataclass
class ThemeData:
    id: int
    parent_id: int | None
    name: str
    colour: str
    status: str
    position: int
    keywords: tuple[str, ...] = ()
    description: str = ""
    dots: int = 0
    depth: int = 0
    cards: list[CardRef] = field(default_factory=list)
    pinned: bool = False          # kept, with its cards, out of a rerun of theme discovery
    name_edited: bool = False     # the researcher named it
    total: int = 0                # its cards and its sub-themes' (set by the board's layout)


def load_cards(project: Any) -> dict[CardRef, CardData]:
    out: dict[CardRef, CardData] = {}
    for r in project.query(CARDS_SQL):
        c = CardData(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7],
                     float(r[8]) * 10000 + float(r[9]))
        out[c.ref] = c
    # each debate's groups are its own: named for their debate when several debates have them
    in_use = groups_in_use(project)
    groups = in_use.numbers
    labels = [in_use.groups[g].label for g in groups]
    names = tuple(in_use.groups[g].name for g in groups)
    for sid, f in statement_tallies(project, in_use=in_use).items():
        c = out.get(("statement", sid))
        if c is None:
            continue
        c.agree, c.disagree, c.passed = f.overall.agree, f.overall.disagree, f.overall.passed
        if not f.groups:
            continue
        tallies = [f.groups.get(lab) for lab in labels]
        shares = [t.agree / t.n if t is not None and t.n else None for t in tallies]
        c.group_agree, c.group_names = tuple(shares), names
        c.group_tallies = tuple(tallies)
        known = [(s, i) for i, s in enumerate(shares) if s is not None]
        if len(known) >= 2:
            known.sort(reverse=True)
            if known[0][0] - known[1][0] >= 0.15:
                c.opinion_group = groups[known[0][1]]
                c.opinion_group_name = names[known[0][1]]
    return out


def load_themes(project: Any) -> dict[int, ThemeData]:
    out: dict[int, ThemeData] = {}
    import json
    for r in project.query("SELECT id, parent_id, name, colour, status, position, keywords, "
                           "description, pinned, name_edited FROM themes "
                           "ORDER BY coalesce(parent_id, 0), position, id"):
        try:
            kw = tuple(json.loads(r[6] or "[]"))
        except ValueError:
            kw = ()
        out[r[0]] = ThemeData(r[0], r[1], r[2], r[3], r[4], r[5], kw, r[7] or "",
                              pinned=bool(r[8]), name_edited=bool(r[9]))
    for tid, dots in project.query("SELECT theme_id, sum(dots) FROM dot_votes GROUP BY 1"):
        if tid in out:
            out[tid].dots = int(dots or 0)
    parents = ThemeParents(out)
    for t in out.values():
        t.depth = len(line_up(parents, t.id)) - 1
    return out


class ThemeParents(Mapping[int, "int | None"]):
    """Each loaded theme's parent, for the walks of ``synth.themes.tree``, read from the
    themes themselves (no copy: a walk from every theme stays linear); a parent not loaded
    counts as none."""

    def __init__(self, themes: dict[int, ThemeData]) -> None:
        self._themes = themes

    def __getitem__(self, theme_id: int) -> int | None:
        parent = self._themes[theme_id].parent_id
        return parent if parent in self._themes else None

    def __iter__(self) -> Iterator[int]:
        return iter(self._themes)

    def __len__(self) -> int:
        return len(self._themes)


def ordered_themes(themes: dict[int, ThemeData], *, accepted_first: bool = True
                   ) -> list[ThemeData]:
    """Depth-first: each theme followed by its sub-themes, so nesting reads top to bottom.
    ``accepted_first``: lists put accepted themes before candidates; the board does not (an
    accepted theme keeps its place there)."""
    children: dict[int | None, list[ThemeData]] = {}
    for t in themes.values():
        parent = t.parent_id if t.parent_id in themes else None
        children.setdefault(parent, []).append(t)
    for lst in children.values():
        lst.sort(key=lambda t: (accepted_first and t.status != "accepted", t.position, t.id))
    out: list[ThemeData] = []

    def walk(parent: int | None) -> None:
        for t in children.get(parent, []):
            out.append(t)
            walk(t.id)
    walk(None)
    return out


def with_subthemes(themes: dict[int, ThemeData], counts: dict) -> dict[int, int]:
    """Each theme's cards counted with its sub-themes' (``counts``: theme id -> its own cards,
    a number or a list): what a parent split by similarity holds, not the 0 left in it."""
    own = {t: (n if isinstance(n, int) else len(n)) for t, n in counts.items() if t in themes}
    total = {t: own.get(t, 0) for t in themes}
    parents = ThemeParents(themes)
    for t in themes:
        for p in line_up(parents, t)[1:]:
            total[p] += own.get(t, 0)
    return total


def _merge_rank(themes: dict[int, ThemeData], totals: dict[int, int]) -> Callable:
    def rank(t: int) -> tuple:
        th = themes.get(t)
        return (bool(th and th.pinned), bool(th and th.name_edited),
                bool(th and th.status == "accepted"), totals.get(t, 0), -t)
    return rank


def merge_target(themes: dict[int, ThemeData], ids: list[int], totals: dict[int, int]) -> int:
    """The theme a merge keeps (its id): the one the researcher worked on — pinned first, then
    named by them, then accepted — and among equals the one with the most cards (sub-themes'
    counted), then the oldest."""
    return max(ids, key=_merge_rank(themes, totals))


def merge_name_of(themes: dict[int, ThemeData], ids: list[int], totals: dict[int, int],
                  target: int) -> int:
    """The theme whose name a merge keeps: the target's if the researcher named it, else the
    best-ranked theme they named (a pinned machine-named theme merged with a renamed one keeps
    the pin and the researcher's name), else the target's."""
    named = [t for t in ids if t in themes and themes[t].name_edited]
    if not named or target in named:
        return target
    return max(named, key=_merge_rank(themes, totals))


def theme_path(themes: dict[int, ThemeData], theme_id: int) -> str:
    """"Top theme › sub-theme › the theme" ("" for a theme not loaded)."""
    if theme_id not in themes:
        return ""
    return " › ".join(themes[t].name for t in reversed(line_up(ThemeParents(themes), theme_id)))


def summary_line(cards: list[CardData]) -> str:
    """"42 statements · 3 cities · median agree 81 %" — counts, places, and the typical
    agreement of its statements (% of those who voted)."""
    parts = []
    counts: dict[str, int] = {}
    sites: set[str] = set()
    shares: list[float] = []
    for c in cards:              # one pass: the unsorted pile of a big study has 80,000
        kind = c.kind
        counts[kind] = counts.get(kind, 0) + 1
        if c.site:
            sites.add(c.site)
        if kind == "statement":
            n = c.agree + c.disagree + c.passed
            if n:
                shares.append(c.agree / n)
    for kind in ("statement", "note", "passage"):
        n = counts.get(kind, 0)
        if n:
            parts.append(plural(n, kind))
    if sites:
        parts.append(plural(len(sites), "city", "cities"))
    if shares:
        parts.append(f"median agree {round(100 * statistics.median(shares))} %")
    return " · ".join(parts) if parts else "no cards yet"


# Word and Excel curl quotes as they are typed; a researcher types straight ones
_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                           "\u2032": "'", "\u00b4": "'", "`": "'",
                           "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                           "\u2033": '"', "\u00ab": '"', "\u00bb": '"'})


def search_key(text: str) -> str:
    """``text`` as the board's search compares it: any case, accents left out ("Café" is
    found by "cafe"), curly quotes and apostrophes as the straight ones a keyboard types."""
    if text.isascii():          # most cards: no curly quote nor accent (lower() is casefold()
        return text.lower()     # in ASCII; 120,000 texts keyed in the first keystroke)
    text = text.translate(_STRAIGHT).casefold()
    if text.isascii():
        return text
    import unicodedata
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
