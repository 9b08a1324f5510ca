"""Short names for opinion groups when several debates have groups, the same in the window and
in every export that prints them for people to read (the Word report).

A group of one debate among several is named for its debate ("Group A (Debate North)",
``synth.votes.statement_figures``), and a Pol.is debate's name is its whole question: every
column, bar, filter entry and report sentence then read "Group A (What is the best way to
engage more young people in local scrutiny of policing?)" (QA 22). Where people read them the
groups get a short name instead — the debate's own name when every debate's name is short, else
"Debate 1", "Debate 2" … in the order the groups come (``groups_in_use``: the debates' import
order) — with the whole question in a tooltip, a legend or the report's sentence saying which
debate each short name stands for. The names must be made from every group in use (not those of
one debate, or those a view happens to show), so that "Debate 2" is the same debate everywhere.
Files read by programs (the evidence JSON, the spreadsheets) keep the whole names: they do not
change meaning when another debate is imported."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .statement_figures import GroupsInUse

SHORT = 24          # a debate name this long or shorter is its own short name

_NAMED = re.compile(r"^(Group \S+) \((.+)\)$")
_NUMBERED = re.compile(r"Debate \d+")


class GroupNames:
    """The groups' names as the engine gives them (in the groups' order), shortened."""

    def __init__(self, names: Iterable[str]) -> None:
        debates: list[str] = []
        for name in names:
            m = _NAMED.match(name or "")
            if m and m.group(2) not in debates:
                debates.append(m.group(2))
        long = any(len(d) > SHORT for d in debates)
        self.debates = {d: d for d in debates}
        if long:
            # numbered in order; a debate already named "Debate 2" keeps that name, and no
            # other takes it (review: it became "Debate 1", the legend "Debate 1: Debate 2")
            taken = {d for d in debates if _NUMBERED.fullmatch(d)}
            numbers = (f"Debate {i}" for i in range(1, 2 * len(debates) + 2)
                       if f"Debate {i}" not in taken)
            self.debates = {d: d if d in taken else next(numbers) for d in debates}

    @classmethod
    def of(cls, in_use: "GroupsInUse") -> "GroupNames":
        """The short names of every group in use (``statement_figures.groups_in_use``)."""
        return cls(in_use.groups[n].name for n in in_use.numbers)

    @property
    def shortened(self) -> bool:
        return any(short != full for full, short in self.debates.items())

    def short(self, name: str) -> str:
        """"Group A (Debate 1)" for "Group A (What is the best way …?)"; others as they are."""
        m = _NAMED.match(name or "")
        if not m or m.group(2) not in self.debates:
            return name
        return f"{m.group(1)} ({self.debates[m.group(2)]})"

    def short_label(self, name: str) -> str:
        """"A (Debate 1)" for "Group A (What is the best way …?)": the short name without
        "Group", as a sentence names a group ("in group A (Debate 1)")."""
        short = self.short(name)
        return short[len("Group "):] if short.startswith("Group ") else short

    def short_debate(self, debate: str) -> str:
        """A debate's short name ("Debate 1") from its whole name; others as they are."""
        return self.debates.get(debate, debate)

    def full(self, name: str) -> str:
        """A short name's tooltip: the group and its debate's whole name."""
        m = _NAMED.match(name or "")
        if not m or m.group(2) not in self.debates or not self.shortened:
            return ""
        return f"{m.group(1)} of {self.debates[m.group(2)]}: {m.group(2)}"

    def debate(self, name: str) -> str:
        """The whole name of the debate a group is of ("" for a group of the only debate)."""
        m = _NAMED.match(name or "")
        return m.group(2) if m and m.group(2) in self.debates else ""

    def legend(self, names: Iterable[str] | None = None) -> list[str]:
        """"Debate 1: What is the best way …?", one per debate (of the groups ``names``, else
        every one), when names were shortened."""
        return [f"{short}: {full}" for full, short in self.stands_for(names)]

    def stands_for(self, names: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(whole name, short name) of each debate (of the groups ``names``, else every one),
        in order, when names were shortened; [] when they were not."""
        if not self.shortened:
            return []
        of = None if names is None else {self.debate(n) for n in names}
        return [(full, short) for full, short in self.debates.items()
                if (of is None or full in of) and short != full]
