"""Evidence strength and coverage of a theme or a recommendation, computed on demand (cheap
enough to recompute on every change, so the panel shows it live).

What supports a **recommendation**: its linked evidence. What supports a **theme**: evidence
linked to it (any role), evidence of its own recommendations, and the cards placed in it on the
board. Quotes count as the item they quote; an item linked twice counts once.

Warnings, each raised exactly when its condition holds (tests check both sides):
- ``no_evidence``: nothing supports it (no other warning is then given);
- ``one_city``: every item comes from a workshop or document with a city, and all from the same
  one — "all evidence from one city (Glasgow)";
- ``workshops_one_city``: there is debate evidence, and every other item has a city, the same
  one — "all workshop evidence from one city (Glasgow)";
- ``no_debate``: no statement from the debate among the items — "no debate evidence";
- ``low_group_agreement``: in an opinion group, agrees ÷ votes over the linked statements (pooled)
  is below 50 %. One statement: "agreement below 50 % in group B (38 % of 120 who voted)", as
  the report prints a statement's figure. Several: the pooled figure is votes, not people (a
  person votes once on each), said with how many of the group cast them, and the figures a
  researcher finds in the report, statement by statement — "agreement below 50 % in group A:
  26 % of 304 votes by 221 people on 3 statements; at least 50 % agree on 0 of the 3 (lowest:
  24 % of 33 who voted on “…”)". When the people it rests on (those of the group who voted
  on the statements) are fewer than the project's small-n threshold, it says so, as the report
  marks their figures: "…; small n: it rests on 5 people, fewer than the project's threshold of
  10 (the report marks such figures †)";
- ``few_votes``: a linked statement has fewer than 10 votes — "fewer than 10 votes on “…” (n = 7)".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synth.board import theme_cards
from synth.votes.small_n import FLAG, flag_below
from synth.words import plural, shortened

from .evidence import Origin, resolve
from .figures import Tally, statement_figures

MIN_VOTES = 10
MIN_AGREEMENT = 50.0
MODERATE_ITEMS, STRONG_ITEMS = 3, 5
SERIOUS = frozenset({"one_city", "low_group_agreement", "few_votes"})
# what each serious warning is about, in the reason a level gives
SERIOUS_WORDS = {"one_city": "evidence from one city", "low_group_agreement":
                 "a group agreeing less than half the time", "few_votes": "too few votes"}


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    group: str | None = None
    statement_id: int | None = None


@dataclass
class Strength:
    items: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    sources: int = 0
    cities: list[str] = field(default_factory=list)
    debate_items: int = 0
    participants_voted: int = 0              # distinct voters on the linked statements
    votes: int = 0                           # votes on the linked statements (tallies included)
    overall: Tally = field(default_factory=Tally)       # pooled over the linked statements
    groups: dict[str, Tally] = field(default_factory=dict)
    group_voters: dict[str, int] = field(default_factory=dict)   # distinct, on the statements
    agreement: str = ""                      # consensus / split / opposed / '' (no group data)
    warnings: list[Warning] = field(default_factory=list)

    def _serious(self) -> set[str]:
        return {w.code for w in self.warnings} & SERIOUS

    def _places(self) -> int:
        """Where the evidence comes from: each city, and the debate."""
        return len(self.cities) + (self.debate_items > 0)

    @property
    def level(self) -> str:
        """A plain word for the panel: strong / moderate / weak / none."""
        if self.items == 0:
            return "none"
        serious = self._serious()
        if self.items >= STRONG_ITEMS and self._places() >= 2 and not serious:
            return "strong"
        return "moderate" if self.items >= MODERATE_ITEMS and len(serious) <= 1 else "weak"

    @property
    def reason(self) -> str:
        """Why the level is what it is, and what the next level needs: a researcher told
        "weak" for two statements at 76 % and 71 % agree was given no reason (QA)."""
        level, serious = self.level, sorted(self._serious())
        if level == "none":
            return "no evidence is linked"
        if level == "strong":
            return (f"{self.items} items from {self._places()} places (the debate and each "
                    "city count as one), with no warning about cities, agreement or votes")
        if level == "weak":
            if self.items < MODERATE_ITEMS:
                return (f"{plural(self.items, 'item')} of evidence: moderate needs at least "
                        f"{MODERATE_ITEMS}")
            return (f"{len(serious)} serious warnings ({_said(serious)}): moderate allows "
                    "one")
        needs = []
        if self.items < STRONG_ITEMS:
            needs.append(f"{STRONG_ITEMS} items (it has {self.items})")
        if self._places() < 2:
            needs.append("evidence from two places (the debate and a city, or two cities)")
        if serious:
            needs.append(f"no warning about {_said(serious)}")
        return "strong needs " + " and ".join(needs)

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reason": self.reason, "items": self.items,
                "by_kind": self.by_kind,
                "sources": self.sources, "cities": self.cities,
                "debate_items": self.debate_items,
                "participants_voted": self.participants_voted, "votes": self.votes,
                "overall": self.overall.as_dict(),
                "groups": {g: t.as_dict() for g, t in sorted(self.groups.items())},
                "group_voters": dict(sorted(self.group_voters.items())),
                "agreement": self.agreement,
                "warnings": [{"code": w.code, "message": w.message, "group": w.group,
                              "statement_id": w.statement_id} for w in self.warnings]}


def _said(codes: list[str]) -> str:
    return ", ".join(SERIOUS_WORDS[c] for c in codes)


def _items_of(project: Any, theme_id: int | None, rec_id: int | None) -> list[tuple[str, int]]:
    if rec_id is not None:
        return [(r[0], r[1]) for r in project.query(
            "SELECT item_kind, item_id FROM evidence WHERE recommendation_id = ? "
            "ORDER BY position, id", (rec_id,))]
    rows = project.query("SELECT item_kind, item_id FROM evidence WHERE theme_id = ? "
                         "UNION ALL SELECT e.item_kind, e.item_id FROM evidence e JOIN "
                         "recommendations r ON r.id = e.recommendation_id WHERE r.theme_id = ?",
                         (theme_id, theme_id))
    return [(r[0], r[1]) for r in rows] + list(theme_cards(project, theme_id))


def strength(project: Any, *, theme_id: int | None = None,
             recommendation_id: int | None = None, in_use: Any = None) -> Strength:
    """How well a theme or a recommendation (give one) is supported. ``in_use``: the
    caller's ``groups_in_use``, read once for many calls (the tables judge every
    recommendation); read here when not given, only if the evidence has group figures."""
    if (theme_id is None) == (recommendation_id is None):
        raise ValueError("give a theme or a recommendation")
    origins: dict[tuple[str, int], Origin] = {}
    for kind, item_id in _items_of(project, theme_id, recommendation_id):
        o = resolve(project, kind, item_id)
        if o is not None:
            origins.setdefault((o.kind, o.id), o)
    s = Strength(items=len(origins))
    if not origins:
        s.warnings.append(Warning("no_evidence", "no evidence linked yet"))
        return s
    for o in origins.values():
        s.by_kind[o.kind] = s.by_kind.get(o.kind, 0) + 1
    s.sources = len({o.source_id for o in origins.values()})
    s.cities = sorted({o.site for o in origins.values() if o.site})
    debate = [o for o in origins.values() if o.is_debate]
    others = [o for o in origins.values() if not o.is_debate]
    s.debate_items = len(debate)

    if others and all(o.site for o in others) and len(s.cities) == 1:
        if not debate:
            s.warnings.append(Warning("one_city", f"all evidence from one city ({s.cities[0]})"))
        else:
            s.warnings.append(Warning("workshops_one_city",
                                      f"all workshop evidence from one city ({s.cities[0]})"))
    if not debate:
        s.warnings.append(Warning("no_debate", "no debate evidence"))
        return s

    figures = statement_figures(project, [o.id for o in debate])
    voters: set[int] = set()
    for f in figures.values():
        s.overall = s.overall + f.overall
        voters |= f.voters
        for g, t in f.groups.items():
            s.groups[g] = s.groups.get(g, Tally()) + t
    s.votes = s.overall.n
    s.participants_voted = len(voters)
    supported = {g: (t.pct_agree or 0.0) >= MIN_AGREEMENT for g, t in s.groups.items() if t.n}
    if supported:
        s.agreement = "consensus" if all(supported.values()) else \
            "opposed" if not any(supported.values()) else "split"
    if s.groups:
        # every group's people, not only a low one's: the evidence command prints them
        # (it printed {} beside groups A and B); reading every member's group costs ~27 ms on
        # 20,000 participants (bench/results/statement_tallies.md), paid only with group data
        # and when the caller has not read them
        if in_use is None:
            from synth.votes.statement_figures import groups_in_use
            in_use = groups_in_use(project)
        label_of = {p: in_use.groups[n].label for p, n in in_use.members.items()}
        for g in s.groups:
            s.group_voters[g] = sum(label_of.get(p) == g for p in voters)
        low = [(g, t) for g, t in sorted(s.groups.items())
               if t.n and (t.pct_agree or 0.0) < MIN_AGREEMENT]
        if low:
            s.warnings.extend(_low_group_warnings(project, s, low, figures, debate, in_use))
    for o in debate:
        n = figures[o.id].overall.n if o.id in figures else 0
        if n < MIN_VOTES:
            s.warnings.append(Warning("few_votes", f"fewer than {MIN_VOTES} votes on "
                                                   f"“{shortened(o.text, 60)}” (n = {n})",
                                      statement_id=o.id))
    return s


def _low_group_warnings(project: Any, s: Strength, low: list[tuple[str, Tally]],
                        figures: dict[int, Any], debate: list[Origin],
                        in_use: Any) -> list[Warning]:
    short = _short_labels(project, in_use)
    texts = {o.id: o.text for o in debate}
    below = flag_below(project)
    out = []
    for g, t in low:
        each = [(texts.get(i, ""), f.groups[g]) for i, f in sorted(figures.items())
                if g in f.groups and f.groups[g].n]
        # the people the warning rests on: those of the group who voted on them
        people = t.n if len(each) <= 1 else s.group_voters.get(g, 0)
        out.append(Warning("low_group_agreement", _low_group_message(
            short.get(g, g), t, s.group_voters.get(g, 0), each)
            + _small_group(people, below), group=g))
    return out


def _low_group_message(group: str, pooled: Tally, people: int,
                       each: list[tuple[str, Tally]]) -> str:
    """What a group's low agreement is, in figures a researcher can check in the report: a
    statement's "% of those who voted" when one statement has the group's votes; over several,
    the pooled figure as votes (a person votes once on each: "49 % of 207 who voted" read as
    207 people of a group of 5, QA), then how many statements the group agrees with and the
    lowest, as the report prints it (at least 50 %: the warning's own threshold)."""
    if len(each) <= 1:
        return (f"agreement below 50 % in group {group} ({pooled.whole_pct()} % of {pooled.n} "
                "who voted)")
    by = f" by {plural(people, 'person', 'people')}" if people else ""
    agreed = sum((t.pct_agree or 0.0) >= MIN_AGREEMENT for _, t in each)
    text, lowest = min(each, key=lambda x: (x[1].pct_agree or 0.0, -x[1].n))
    return (f"agreement below 50 % in group {group}: {pooled.whole_pct()} % of "
            f"{pooled.n} votes{by} on {len(each)} statements; at least 50 % agree on {agreed} "
            f"of the {len(each)} (lowest: {lowest.whole_pct()} % of {lowest.n} who voted on "
            f"“{shortened(text, 60)}”)")


def _small_group(people: int, below: int) -> str:
    """Said after a group's warning that rests on fewer people than the project's small-n
    threshold (``below``; 0: the project shows small n unmarked), as the report marks each such
    figure: a group of 5 "agreeing less than half the time" is 2 or 3 people."""
    if not 0 < people < below:
        return ""
    return (f"; small n: it rests on {plural(people, 'person', 'people')}, fewer than the "
            f"project's threshold of {below} (the report marks such figures {FLAG})")


def _short_labels(project: Any, in_use: Any = None) -> dict[str, str]:
    """Each group's label as the panels and the report name it: "A (Debate 1)" for "A (What
    is the best way …?)" when several debates have groups (``GroupNames``); "A" alone stays.
    ``in_use``: ``groups_in_use``, when the caller has read it."""
    from synth.votes.group_names import GroupNames
    from synth.votes.statement_figures import groups_in_use
    in_use = groups_in_use(project) if in_use is None else in_use
    names = GroupNames.of(in_use)
    return {g.label: names.short_label(g.name) for g in in_use.groups.values()}
