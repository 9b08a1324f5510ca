"""Short names for opinion groups when several debates have groups.

A group of one debate among several is named for its debate ("Group A (Debate North)",
``synth.votes.statement_figures``), and a Pol.is debate's name is its whole question: every
column, bar and filter entry then read "Group A (What is the best way to engage more young
people in local scrutiny of policing?)" (QA 22). The panels show a short name instead — the
debate's own name when it is short, else "Debate 1", "Debate 2" … in the order the groups
come (the debates' import order) — and give the whole question in a tooltip and a legend."""
from __future__ import annotations

import re
from typing import Iterable

SHORT = 24          # a debate name this long or shorter is its own short name

_NAMED = re.compile(r"^(Group \S+) \((.+)\)$")


class GroupNames:
    """The groups' names as the engine gives them (in the groups' order), shortened."""

    def __init__(self, names: Iterable[str]) -> None:
        debates: list[str] = []
        for name in names:
            m = _NAMED.match(name or "")
            if m and m.group(2) not in debates:
                debates.append(m.group(2))
        long = any(len(d) > SHORT for d in debates)
        self.debates = {d: (f"Debate {i}" if long else d) for i, d in enumerate(debates, 1)}

    @property
    def shortened(self) -> bool:
        return any(short != full for full, short in self.debates.items())

    def short(self, name: str) -> str:
        """"Group A (Debate 1)" for "Group A (What is the best way …?)"; others as they are."""
        m = _NAMED.match(name or "")
        if not m or m.group(2) not in self.debates:
            return name
        return f"{m.group(1)} ({self.debates[m.group(2)]})"

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
        if not self.shortened:
            return []
        of = None if names is None else {self.debate(n) for n in names}
        return [f"{short}: {full}" for full, short in self.debates.items()
                if of is None or full in of]
