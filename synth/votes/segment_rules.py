"""How a segment's rule meets the participants' data.

A characteristic's name and its values are matched without regard to case, surrounding spaces
or Unicode composition: ``gender=woman`` finds the data's "Woman", `` Line_Manager = yes``
finds ``line_manager``. Values that differ only so are one answer: a participants table is
typed or merged from forms by people, and no team codes two answers as "Yes" and "yes"; counted
apart, the three who typed "yes" would silently fall out of "line managers", a wrong number in
the report. So where the data has both, a rule naming either takes both, and is stored with both
of the data's spellings (``line_manager=Yes,yes``): each is a row of the characteristics annex,
and their counts add up to the segment's. A rule is always stored in the data's own spelling,
never the researcher's typing of it.

A rule naming a characteristic or a value no participant has is refused, with what there is:
the characteristics closest to the name first, or the characteristic's values (the closest to
the value first, then the most common) with how many have each, as many as fit one line.
"""
from __future__ import annotations

import bisect
import heapq
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Iterable

from ..errors import UserError
from ..words import and_list

LINE = 90           # characters of a list of what exists, so that it stays on one line
CLOSE = 0.6         # difflib's own cut-off for "close" (get_close_matches)


def spelling_key(text: Any) -> str:
    """What two spellings of one name or value share: "Woman", " woman", "WOMAN" → "woman"."""
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


@dataclass
class Characteristic:
    """One characteristic as the data spells it: its name (the most used spelling), and each
    value's spellings with how many participants have each, the most used first."""
    name: str
    names: dict[str, int] = field(default_factory=dict)
    values: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return sum(n for _s, n in self.values.get(key, ()))

    def shown(self, key: str) -> str:
        """The value ``key`` as it is shown: its most used spelling."""
        return most_used(self.values.get(key, ()))

    def answers(self) -> list[tuple[str, int]]:
        """Each answer given (blank is none), in its most used spelling, with how many gave
        it in any spelling: "Yes" (12) for 9 "Yes" and 3 "yes"."""
        return [(self.shown(k), self.count(k)) for k in self.values if k]


def most_used(spellings: Iterable[tuple[str, int]]) -> str:
    """Of one answer's spellings, each with how many use it, the one most use (surrounding
    spaces no part of it; on a tie, the first in code-point order: "Yes" before "yes")."""
    counts: dict[str, int] = {}
    for text, n in spellings:
        text = unicodedata.normalize("NFC", str(text)).strip()
        counts[text] = counts.get(text, 0) + int(n)
    return min(counts, key=lambda t: (-counts[t], t)) if counts else ""


def answers(db: Any, name: str) -> dict[int, str]:
    """participant id -> their answer to the characteristic ``name`` (whatever the spelling of
    the name), each answer in its most used spelling across the participants, so that "Yes"
    and "yes" read as one answer; blank answers are none and left out."""
    key = spelling_key(name)
    c = read_characteristics(db).get(key)
    if c is None:
        return {}
    out: dict[int, str] = {}
    for spelled in c.names:
        out.update(_shown_answers(c, db.query(
            "SELECT participant_id, value FROM participant_attributes WHERE name = ?",
            (spelled,))))
    return out


def every_answer(db: Any) -> dict[str, dict[int, str]]:
    """``answers`` of every characteristic, by its name as ``Characteristic.name`` has it
    (stripped), from one reading of the table."""
    data = read_characteristics(db)
    rows: dict[str, list[tuple[int, str]]] = {}
    for p, name, value in db.query("SELECT participant_id, name, value FROM "
                                   "participant_attributes"):
        rows.setdefault(name, []).append((p, value))
    out: dict[str, dict[int, str]] = {}
    for c in data.values():
        got = out.setdefault(c.name.strip(), {})
        for spelled in c.names:
            got.update(_shown_answers(c, rows.get(spelled, ())))
    return out


def _shown_answers(c: Characteristic, rows: Iterable[tuple[int, str]]) -> dict[int, str]:
    """participant -> answer in its shown spelling; each spelling's answer worked out once
    (not once a participant: 2,000 participants cost 11-45 ms a statement chosen)."""
    shown: dict[str, str] = {}
    out: dict[int, str] = {}
    for p, value in rows:
        answer = shown.get(value)
        if answer is None:
            k = spelling_key(value)
            answer = shown[value] = c.shown(k) if k else ""
        if answer:
            out[int(p)] = answer
    return out


def read_characteristics(db: Any) -> dict[str, Characteristic]:
    """Every characteristic of the project's participants, by ``spelling_key`` of its name
    (``db``: a project or an operation's ``Tx``)."""
    out: dict[str, Characteristic] = {}
    for name, value, n in db.query("SELECT name, value, count(*) FROM participant_attributes "
                                   "GROUP BY name, value"):
        c = out.setdefault(spelling_key(name), Characteristic(name))
        c.names[name] = c.names.get(name, 0) + int(n)
        c.values.setdefault(spelling_key(value), []).append((str(value), int(n)))
    for c in out.values():
        c.name = max(c.names, key=lambda s: (c.names[s], s))
        for spellings in c.values.values():
            spellings.sort(key=lambda sn: (-sn[1], sn[0]))
    return out


def resolve_rule(db: Any, rule: dict[str, Any], segment: str = "") -> dict[str, Any]:
    """``rule`` in the data's own spelling (every spelling of each value it names). Refuses
    (UserError) a characteristic or a value no participant has, saying what exists; and a rule
    nobody matches, saying how many each of its conditions matches."""
    from .project_analysis import segment_members
    from .segments import describe_rule

    data = read_characteristics(db)
    missing: list[str] = []
    resolved = _resolve(rule, data, missing)
    members = segment_members(db, resolved)
    if missing and not members:
        raise UserError(f"nobody matches the segment “{segment}” ({describe_rule(rule)}): "
                        + "; ".join(missing))
    if missing:
        raise UserError((f"the segment “{segment}”: " if segment else "") + "; ".join(missing)
                        + ": correct the value or leave it out")
    if not members:
        raise UserError(f"nobody matches the segment “{segment}” ({describe_rule(rule)})"
                        + _conditions_apart(db, resolved))
    return resolved


def _resolve(rule: dict[str, Any], data: dict[str, Characteristic],
             missing: list[str]) -> dict[str, Any]:
    for combined in ("all", "any"):
        if combined in rule:
            return {combined: [_resolve(r, data, missing) for r in rule[combined]]}
    if "not" in rule:
        return {"not": _resolve(rule["not"], data, missing)}
    if "attribute" not in rule:
        return dict(rule)
    asked = str(rule["attribute"])
    c = data.get(spelling_key(asked))
    if c is None:
        raise UserError(f"no participant has the characteristic “{asked.strip()}”"
                        + (f" (there are: {closest_names(asked, data)})" if data else
                           " (the project has no participant characteristics: import them "
                           "first)"))
    out: dict[str, Any] = {"attribute": c.name.strip()}
    for which in ("in", "not_in"):
        if which not in rule:
            continue
        spelled: list[str] = []
        for value in rule[which]:
            spellings = c.values.get(spelling_key(value))
            if not spellings:
                missing.append(f"no participant's {c.name} is “{str(value).strip()}” "
                               f"({c.name}: {closest_values(str(value), c)})")
                continue
            # surrounding spaces are no part of a spelling (" yes " is stored as "yes")
            spelled += [t for t in dict.fromkeys(s.strip() for s, _n in spellings)
                        if t not in spelled]
        out[which] = spelled
    return out


def _conditions_apart(db: Any, rule: dict[str, Any]) -> str:
    """For a combined rule nobody matches: how many each of its conditions matches alone."""
    from .project_analysis import segment_members
    from .segments import describe_rule

    parts = rule.get("all")
    if not parts:
        return ""
    return (": each condition alone matches someone (" + and_list(
        [f"{describe_rule(r)}: {len(segment_members(db, r)):,}" for r in parts])
        + "), but no participant meets them all")


# --------------------------------------------------------------------------- what exists
def closest_names(asked: str, data: dict[str, Characteristic], width: int = LINE) -> str:
    """The characteristics there are, the closest to ``asked`` first, on one line."""
    return fit_line(closest_first(asked, [c.name for c in data.values()]), width)


def closest_first(asked: str, names: list[str]) -> list[str]:
    """``names`` (characteristics, segments), the closest to ``asked`` first."""
    key = spelling_key(asked)
    return sorted(names, key=lambda n: (-_likeness(key, spelling_key(n)), spelling_key(n), n))


def closest_values(asked: str, c: Characteristic, width: int = LINE) -> str:
    """``c``'s values with how many have each: those close to ``asked`` first (a typo's
    intended value), then the most common. Only as many as can fit the line are ranked and
    written (a value's words and "(1)" take 5 characters and ", " 2), so a characteristic of
    10,000 values costs little more than one of 100."""
    keys = [k for k in c.values if k]                   # blank: no answer
    if not keys:
        return "no values"
    fits = max(1, (width + 2) // 7)
    close = _closest(spelling_key(asked), keys, fits, c.count)
    taken = set(close)
    chosen = close + heapq.nsmallest(fits - len(close), (k for k in keys if k not in taken),
                                     key=lambda k: (-c.count(k), k))
    return fit_line([f"{'/'.join(dict.fromkeys(s.strip() for s, _n in c.values[k]))} "
                     f"({c.count(k):,})" for k in chosen], width, total=len(keys))


def _closest(asked: str, keys: list[str], most: int, count: Any) -> list[str]:
    """Up to ``most`` of ``keys`` at least CLOSE like ``asked``, the likest first (then the
    most common). As difflib.get_close_matches does, the cheap upper bounds of the likeness
    rule most keys out, and the exact likeness is worked out, best bound first, only until no
    bound left can reach the ``most``-th found (10,000 values: 0.1 s instead of 1.3 s)."""
    m = SequenceMatcher()
    m.set_seq1(asked)       # first, as _likeness has it: the ratio is not quite symmetric
    bounds = []
    for k in keys:
        m.set_seq2(k)
        if m.real_quick_ratio() >= CLOSE:
            bound = m.quick_ratio()
            if bound >= CLOSE:
                bounds.append((bound, k))
    bounds.sort(reverse=True)
    found: list[tuple[float, int, str]] = []
    for bound, k in bounds:
        if len(found) == most and bound < -found[-1][0]:
            break
        m.set_seq2(k)
        ratio = m.ratio()
        if ratio >= CLOSE:
            bisect.insort(found, (-ratio, -count(k), k))
            del found[most:]
    return [k for _r, _n, k in found]


def _likeness(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def fit_line(items: list[str], width: int = LINE, total: int | None = None) -> str:
    """As many of ``items`` as fit ``width`` characters, then "… and 12 more" (at least one).
    ``total``: how many there are, when ``items`` are only the first of them."""
    total = len(items) if total is None else total

    def length(k: int) -> int:          # of the line with the first k items, without making it
        left = total - k
        return ends[k] + 2 * (k - 1) + (len(f", … and {left:,} more") if left else 0)
    ends = [0]
    for item in items:
        ends.append(ends[-1] + len(item))
    k = len(items)
    while k > 1 and length(k) > width:
        k -= 1
    left = total - k
    return ", ".join(items[:k]) + (f", … and {left:,} more" if left else "")
