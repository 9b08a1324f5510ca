"""Whether a theme may be held together by a name rather than by a subject.

In a debate about one place, the place's name gathers the texts that say it whatever they are
about (docs/themes.md, tenth round): Bowling Green's "Bowling Green & city" held 50 cards, 47
writing "Bowling Green" or "BG", on transport, billboards, a newspaper, zoning and food. The
clustering keeps that gap; what the team can be told is when most of a theme's cards share one
name that many cards outside it say too: a setting, not a subject. A subject's word is no name ("pay" is
written in lower case in most of its uses), and a name that is a subject ("AI", "Welsh") lies
mostly in its own theme.

A name here is a run of capitalised words ("Bowling Green", "Warren County") or an acronym
("BG"), kept only if its words are capitalised in most of their uses inside a sentence (the
first word of a sentence is capitalised whatever it is). A multi-word name and its acronym are
one name when the texts use both ("Bowling Green" and "BG"). ``Names`` reads every card's names
once per set of texts (2 s for 120,000 cards: see ``read_names``); ``name_caution`` then looks
at one theme's cards and the cards of its name only (40 ms for a theme of 9,882 of them).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

from ..board import CardRef
from ..people import ASCII_LOWER, ASCII_UPPER

SHARE = 0.8             # of a theme's cards naming one name
MIN_CARDS = 6           # a smaller theme says too little either way
OTHER_THEMES = 3        # the name is said in cards of at least this many other themes …
ELSEWHERE = 0.02        # … and by at least this share of the cards outside the theme

# A word of a name: not ``synth.people.capitalised_word``, whose people's names are letters
# only, but any word opening with a capital, as names of places and bodies are written: an
# acronym ("BG"), with digits ("I-75"), with "&" ("AT&T"). ASCII, as ``_LOWER`` counts its uses.
_WORD = rf"[{ASCII_UPPER}][{ASCII_UPPER}{ASCII_LOWER}0-9'’\-]*(?:&[{ASCII_UPPER}]+)?"
_RUN = re.compile(rf"{_WORD}(?: +{_WORD})*")          # capitalised words in a row
# … and those that open a sentence: two plain searches, where one that took the character
# before each run was 2.5 times slower
_OPENING = re.compile(rf"(?:^|[.!?:;\"“”(\n\r\t]) *({_WORD}(?: +{_WORD})*)")
_LOWER = re.compile(r"(?<![A-Za-z0-9'’\-])[a-z][a-z'’\-]*")
_LONGEST = 4            # words of a name; longer runs are titles ("Bowling Green City …")
SAMPLE = 20_000         # texts read for how each word is written: a share is a share


@dataclass(frozen=True)
class Names:
    """The names each card says, and the cards that say each name (by its key: lower case,
    an acronym standing for its multi-word name)."""
    texts: Mapping[CardRef, str]
    of_card: Mapping[CardRef, frozenset[str]]
    cards_of: Mapping[str, Sequence[CardRef]]
    written: Mapping[str, str]          # key -> as the texts write it ("Bowling Green or BG")
    long_form: Mapping[str, str]        # an acronym's key -> its name's ("bg": "bowling green")

    def words(self, key: str) -> tuple[str, ...]:
        return tuple(self.long_form.get(key, key).split())


@dataclass(frozen=True)
class NameCaution:
    """Most of a theme's cards name what many cards outside it name."""
    name: str
    naming: int             # the theme's cards that name it
    size: int               # the theme's cards
    outside: int            # cards outside the theme naming it
    other_themes: int       # other themes holding such cards

    def text(self) -> str:
        return (f"{self.naming} of {self.size} cards name “{self.name}”, and so do "
                f"{self.outside} cards outside it, in {self.other_themes} other themes: the "
                "theme may be held together by the name rather than by a subject. Board → "
                "Split theme by similarity tests it (undo brings it back).")


def _pieces(run: str) -> list[list[str]]:
    """A run's words in pieces that may be names: "I", "I'm" … break it; a possessive's "'s"
    goes."""
    pieces: list[list[str]] = [[]]
    for w in run.split():
        if w == "I" or w.startswith(("I'", "I’")):
            pieces.append([])
            continue
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        elif w.endswith(("'", "’", "-")):
            w = w[:-1]
        if w:
            pieces[-1].append(w)
    return [p for p in pieces if p]


def read_names(texts: Mapping[CardRef, str], kept: Names | None = None) -> Names:
    """Every card's names. ``kept``: the last answer, returned as it is when the texts are the
    same (a move changes places, not names). Measured on 120,000 cards (the Bowling Green
    debate's texts repeated) on a 2-core machine at load 4-5: 2.1-2.3 s; comparing the texts
    with ``kept``'s, 17 ms. A worker runs it (the Details panel's reads)."""
    if kept is not None and kept.texts == texts:
        return kept
    refs = list(texts)
    found = []                      # each card's runs: (run, whether it opens a sentence)
    for r in refs:
        text = texts[r]
        runs = _RUN.findall(text)
        if runs:
            opening = set(_OPENING.findall(text))
            found.append([(run, run in opening) for run in runs])
        else:
            found.append(runs)
    # how each word is written inside sentences, read from a sample of the texts
    step = max(1, len(refs) // SAMPLE)
    seen = Counter(run for card in found[::step] for run in card)
    pieces = {run: _pieces(run) for run, _opens in seen}
    capital: Counter[str] = Counter()
    for (run, opens), n in seen.items():
        for i, piece in enumerate(pieces[run]):
            for w in piece[1:] if i == 0 and opens else piece:
                capital[w.lower()] += n
    lower: Counter[str] = Counter()
    sample = refs[::step]
    for i in range(0, len(sample), 500):    # short calls: a worker lets the GUI thread run
        lower.update(_LOWER.findall("\n".join(texts[r] for r in sample[i:i + 500])))

    def is_name(word: str) -> bool:
        key = word.lower()
        return (len(word) >= 2 and word.isupper()) or capital[key] > lower[key]

    keys_of_run: dict[tuple[str, bool], frozenset[str]] = {}
    writings: dict[str, Counter[str]] = {}

    def keys(run: str, opens: bool) -> frozenset[str]:
        got = keys_of_run.get((run, opens))
        if got is not None:
            return got
        found_here = set()
        for n, piece in enumerate(pieces.get(run) or _pieces(run)):
            ws = list(piece)
            if n == 0 and opens:
                while ws and not is_name(ws[0]):    # "The", "Downtown" open sentences too
                    ws.pop(0)
            ws = ws[:_LONGEST]
            for i in range(len(ws)):
                for j in range(i + 1, len(ws) + 1):
                    if j == i + 1 and not is_name(ws[i]):
                        continue        # "Green" alone is a colour; in "Bowling Green", a name
                    name = " ".join(ws[i:j])
                    found_here.add(name.lower())
                    writings.setdefault(name.lower(), Counter())[name] += 1
        got = keys_of_run[(run, opens)] = frozenset(found_here)
        return got
    of_card: dict[CardRef, frozenset[str]] = {}
    for ref, card in zip(refs, found):
        if card:
            said = frozenset().union(*(keys(run, opens) for run, opens in card))
            if said:
                of_card[ref] = said
    # "Bowling Green" and "BG" are one name when the texts say both
    acronyms = {k for k in writings if any(w.isupper() and len(w) >= 2 and " " not in w
                                           for w in writings[k])}
    alias = {}
    for k in writings:
        if " " in k:
            initials = "".join(w[0] for w in k.split())
            if initials in acronyms:
                alias[k] = initials
    cards_of: dict[str, list[CardRef]] = {}
    for ref, said in list(of_card.items()):
        if alias and not alias.keys().isdisjoint(said):
            said = frozenset(alias.get(k, k) for k in said)
            of_card[ref] = said
        for k in said:
            cards_of.setdefault(k, []).append(ref)
    written = {k: c.most_common(1)[0][0] for k, c in writings.items()}
    for long, short in alias.items():
        written[short] = f"{written[long]} or {written[short]}" if short in written else \
            written[long]
    return Names(texts, of_card, cards_of, written,
                 {short: long for long, short in alias.items()})


def name_caution(names: Names, theme_id: int, cards: Collection[CardRef],
                 place: Mapping[CardRef, int | None]) -> NameCaution | None:
    """The caution for the theme ``theme_id`` holding ``cards`` (``place``: every card's
    theme, None unsorted), or None: fewer than ``MIN_CARDS`` cards, no name said by
    ``SHARE`` of them, or one that few cards outside say or that lies in few other themes."""
    size = len(cards)
    if size < MIN_CARDS:
        return None
    counts: Counter[str] = Counter()
    for ref in cards:
        counts.update(names.of_card.get(ref, ()))
    if not counts:
        return None
    least = SHARE * size
    chosen = [k for k, n in counts.items() if n >= least]
    # a word of a longer name said as widely is that name ("Bowling" of "Bowling Green or BG")
    whole = [k for k in chosen if not any(o != k and _inside(names.words(k), names.words(o))
                                          for o in chosen)]
    if not whole:
        return None
    key = max(whole, key=lambda k: (counts[k], len(names.words(k)), k))
    inside = set(cards)
    outside = [r for r in names.cards_of[key] if r not in inside]
    themes = {place.get(r) for r in outside} - {None, theme_id}
    elsewhere = len(names.texts) - size
    if len(themes) < OTHER_THEMES or len(outside) < max(3.0, ELSEWHERE * elsewhere):
        return None
    return NameCaution(names.written[key], counts[key], size, len(outside), len(themes))


def _inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """``part`` is a run of ``whole``'s words."""
    n = len(part)
    return n < len(whole) and any(whole[i:i + n] == part for i in range(len(whole) - n + 1))
