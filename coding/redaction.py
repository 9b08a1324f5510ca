"""Finding personal data in quotes before they leave the project, and redacting it.

Detection proposes; the researcher disposes. ``find_personal_data(text)`` returns candidate
spans (names, e-mail addresses, phone numbers, staff numbers); a span is only redacted once
the researcher confirms it (``ConfirmRedaction``), and the confirmed spans are stored on the
quote (``quotes.redactions``: ``[start, end, replacement]`` offsets into the quote's text).

Names are the hard part. Rules, in order of trust (``synth.people.name_spans``, beside the cues
theme discovery reads, with the same titles):
- a title (Mr, Mrs, Ms, Dr …) followed by a capitalised word;
- a first name from a list of common UK first names, extended by a following capitalised
  surname. First names that are also ordinary words (Will, May, Mark, Grace, Hope, Bill …) only
  count with evidence of being a name: a surname after them, a cue before them ("ask for",
  "manager", "told"), a comma-apposition ("Bill, our director"), or a verb of speech after them;
- a capitalised word after a strong cue ("my name is", "I'm", "called", "named") that is not a
  place, department or nationality we know;
- a name the project itself holds (``known_names``: the speakers the transcript importers found,
  participants' name columns), wherever it appears: "Jordan" and "Kwame Mensah" are in no list,
  but a transcript that gives them turns says they are people.
Known weakness: a name that is neither common, cued nor a speaker is missed; that is why the
researcher reads every quote before export.

``python -m coding.redaction [CORPUS.json]`` prints precision and recall on a labelled corpus.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from functools import lru_cache
from typing import Any, Collection, Iterable, Sequence

from synth.operations import Operation, Tx
from synth.people import (LATIN_LOWER, LATIN_UPPER, NOT_NAMES, TITLES, capitalised_word,
                          known_names, name_spans)

KINDS = ("name", "email", "phone", "staff_number")
REPLACEMENTS = {"name": "[name]", "email": "[e-mail address]", "phone": "[phone number]",
                "staff_number": "[staff number]"}


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str

    @property
    def replacement(self) -> str:
        return REPLACEMENTS[self.kind]


# --------------------------------------------------------------------------- patterns
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Phone numbers, as people write them in the UK, North America and elsewhere. Each shape
# asks for its own digits and separators, so that dates (2024-01-15, 15.01.2024), years
# (2019-2020), money (£1,200,000), counts (129,588 votes; 653 777 1766 in a table), times and
# ids (Pol.is's 2demo, 7xvhnwvc4r) are not read as phones.
# - UK and other trunk-0 numbers: 0 then 9 or 10 more digits, in groups ("07700 900123",
#   "(020) 7946 0958", "0161-496-0018");
# - UK numbers in any grouping, as the first pattern read them ("07700900123/07700900124",
#   "020 3 456 7890", "0 161 496 0018", "020 7946 0958x"): read first, so the patterns below
#   only add to what it masks (review: the stricter trunk pattern alone let these through);
#   not inside a run of digits joined by dashes or dots ("ISBN 978-0-12-345678-9")
_PHONE_UK = re.compile(r"(?<![\w+])(?<!\d-)(?<!\d\.)(?:\+\s?44|\(0|0)[\d\s()\-]{8,18}\d(?!\d)")
_PHONE_TRUNK = re.compile(r"(?<![\w+.,/])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ \-]?\d{2,8}){1,4}"
                          r"(?![\w.,/]\d|[\w%])")
# - North American: area code and exchange (first digits 2-9) and four digits, with dashes,
#   dots or brackets ("270-555-0199", "(270) 555-0199", "270.555.0199"), spaces only after
#   +1 or a word that says a phone ("call me on 270 555 0199"); "+1" or "1-" before it;
_NANP = (r"(?:\(\s?[2-9]\d\d\s?\)\s?[2-9]\d\d[\s.\-]?\d{4}"
         r"|[2-9]\d\d(?P<sep>[.\-])[2-9]\d\d(?P=sep)\d{4})")
_PHONE_NANP = re.compile(r"(?<![\w+.,/\-])(?:\+?1[\s.\-]?)?" + _NANP + r"(?![\w%]|[.,/\-]\d)")
_PHONE_NANP_SPACED = re.compile(r"(?<![\w+.,/\-])(?:\+1[\s.\-]?|1[\s.\-])?[2-9]\d\d [2-9]\d\d "
                                r"\d{4}(?![\w%]|[.,/\-]\d)")
_PHONE_CUE = re.compile(r"(?:\b(?:call|ring|phone|tel|telephone|mobile|cell|text|texts|"
                        r"whats ?app|number|contact|reach|fax)\b\.?(?:['’]s)?\s*(?:\w+\s+){0,3}"
                        r"(?:on|at|is|:)?\s*[:#]?\s*$)", re.I)
# - international: "+" and a country code, then groups of digits, 8 to 15 digits in all
#   ("+44 20 7946 0958", "+33 1 42 68 53 00", "+49 (0)30 123456", "+353-1-234-5678"), or
#   00 for the "+" ("0044 20 7946 0958").
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|(?<![\d.,])00)\d{1,3}(?:[ .\-]?\(0\))?"
                         r"(?:[ .\-]?\(?\d{1,5}\)?){1,6}(?![\w%]|[.,/]\d)")
# Titles in other languages before a name ("Señora García", "Frau Müller", "Mme Lefèvre",
# "Sra. Núñez"), and the English ones before a name with a particle ("Dr Ó Briain", "Dr de la
# Vega"): ``synth.people.name_spans`` reads English titles before capitalised words only. Both
# read a name's words in the same letters (``synth.people.LATIN_UPPER``: "Dr Łukasz" in each).
# (They could join ``synth.people.TITLES``, so theme discovery reads them too.)
OTHER_TITLES = frozenset("""
Señor Señora Señorita Sr Sra Srta Dra Doña Don Dña Monsieur Madame Mademoiselle Mme Mlle Mmes
Herr Frau Fräulein Hr Fr Signor Signora Signorina Sig Sigra Dott Dottoressa Senhor Senhora
Senhorita Dona Dhr Mevr Mevrouw Meneer Pani Panna
""".split())
# "Sr" is also "Senior" ("Sr. Policy Adviser"), "Don" an English name or a river:
# not before a word of a job, a place or a day
_TITLE_NOT_BEFORE = frozenset("""
Manager Analyst Adviser Advisor Officer Director Engineer Policy Executive Associate Lecturer
Developer Researcher Consultant Partner Leader Lead Vice Staff Scientist Economist Statistician
Administrator Editor Designer Architect Counsel Accountant Specialist Program Programme Project
Product Data Software Research Service Services Team Valley Road Street
""".split()) | NOT_NAMES
_ACCENTED_NAME = capitalised_word(LATIN_UPPER, LATIN_LOWER)
_PARTICLE = (r"(?:de la|de los|de las|de|del|da|das|do|dos|di|du|van der|van den|van|von|der|"
             r"le|la|Ó|Ní|Nic|Ua)")
_HONORIFIC = re.compile(
    r"(?<![\w.])(?P<title>" + "|".join(sorted(OTHER_TITLES | TITLES, key=lambda t: (-len(t), t)))
    + rf")(?:\.|ª)?\s+(?P<name>(?:{_PARTICLE}\s+)?{_ACCENTED_NAME}"
    + rf"(?:\s+(?:{_PARTICLE}\s+)?{_ACCENTED_NAME}){{0,2}})")
_PARTICLE_ONLY = re.compile(_PARTICLE)
_NAME_PART = re.compile(rf"{_PARTICLE}(?=\s)|{_ACCENTED_NAME}")


def honorific_spans(text: str) -> list[tuple[int, int]]:
    """A title, in English or another language, and the capitalised (accented) name after
    it: "Señora García", "Sra. María José Núñez", "Señor de la Vega", "Dr Ó Briain",
    "Frau Müller-Lüdenscheidt". Not "Sr. Policy Adviser" (senior) or a title before a place
    or a day (``_TITLE_NOT_BEFORE``); the name stops before such a word ("Herr Müller
    Monday")."""
    spans = []
    for m in _HONORIFIC.finditer(text):
        end = None
        for w in _NAME_PART.finditer(m.group("name")):
            if w.group() in _TITLE_NOT_BEFORE:
                break
            if not _PARTICLE_ONLY.fullmatch(w.group()):
                end = m.start("name") + w.end()
        if end is not None:
            spans.append((m.start(), end))
    return spans


_EXTENSION = re.compile(r"\b(?:ext(?:ension)?\.?)\s?\d{3,5}\b", re.I)
_STAFF_CUE = re.compile(
    r"\b(?:staff|employee|payroll|personnel|pay)\s+(?:no\.?|number|num|id|ref(?:erence)?)"
    r"(?:\s+(?:is|was))?\s*[:#]?\s*(?P<id>[A-Z]{0,4}-?\d{4,10})\b", re.I)
_STAFF_SHAPE = re.compile(r"\b(?:EMP|STF|PN)-?\d{4,8}\b")


def _known(text: str, names: Collection[str]) -> list[Finding]:
    """Whole-word, case-sensitive occurrences of names the project holds, longest first."""
    if not names:
        return []
    pattern = _known_pattern(tuple(sorted(names, key=lambda n: (-len(n), n))))
    return [Finding(m.start(), m.end(), "name", m.group()) for m in pattern.finditer(text)]


@lru_cache(maxsize=32)
def _known_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # a possessive is the name too ("Kwame's point", "Jordan’s team"), and so is the name
    # before a hyphen ("Kwame-led"); in the case it is written in, and in capitals (a name in
    # lower case may be a word: "mark", "rose")
    alternatives = sorted({v for n in names for v in (n, n.upper())}, key=lambda n: (-len(n), n))
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, alternatives))
                      + r")(?=['’]s\b|[^\w'’]|$)")


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a phone number (``_PHONE_*``), as (start, end), not overlapping."""
    spans: list[tuple[int, int]] = []

    def add(s: int, e: int) -> None:
        if not any(s < b and e > a for a, b in spans):
            spans.append((s, e))
    for m in _PHONE_UK.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if ((digits.startswith("44") and len(digits) in (12, 13))
                or (digits.startswith("0") and len(digits) in (10, 11))) \
                and _brackets_pair(m.group()):
            add(m.start(), m.end())
    for m in _PHONE_INTL.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 8 <= len(digits) - m.group().count("(0)") <= 15 and _brackets_pair(m.group()):
            add(m.start(), m.end())
    for m in _PHONE_NANP.finditer(text):
        add(m.start(), m.end())
    for m in _PHONE_NANP_SPACED.finditer(text):
        if m.group().startswith("+") or _PHONE_CUE.search(text[max(0, m.start() - 40):m.start()]):
            add(m.start(), m.end())
    for m in _PHONE_TRUNK.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) in (10, 11) and digits[1] != "0" and _brackets_pair(m.group()):
            add(m.start(), m.end())
    return sorted(spans)


def _brackets_pair(s: str) -> bool:
    return s.count("(") == s.count(")")


def find_personal_data(text: str, kinds: Sequence[str] = KINDS,
                       known: Collection[str] = ()) -> list[Finding]:
    """Candidate personal data in ``text``, in order, not overlapping. ``known``: names the
    project holds (``known_names``), found wherever they appear."""
    found: list[Finding] = []
    if "email" in kinds:
        found += [Finding(m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text)]
    if "phone" in kinds:
        found += [Finding(s, e, "phone", text[s:e]) for s, e in phone_spans(text)]
        found += [Finding(m.start(), m.end(), "phone", m.group())
                  for m in _EXTENSION.finditer(text)]
    if "staff_number" in kinds:
        found += [Finding(m.start("id"), m.end("id"), "staff_number", m.group("id"))
                  for m in _STAFF_CUE.finditer(text)]
        found += [Finding(m.start(), m.end(), "staff_number", m.group())
                  for m in _STAFF_SHAPE.finditer(text)]
    if "name" in kinds:
        found += _known(text, known) + [Finding(s, e, "name", text[s:e])
                                         for s, e in [*name_spans(text),
                                                      *honorific_spans(text)]]
    # earlier and longer first; drop anything overlapping a span already kept (e-mail
    # addresses hold names, phone numbers hold digits a staff pattern could match)
    priority = {"email": 0, "phone": 1, "staff_number": 2, "name": 3}
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (priority[f.kind], -(f.end - f.start), f.start)):
        if not any(f.start < k.end and f.end > k.start for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def merged_redactions(redactions: Iterable[Sequence[Any]]) -> list[tuple[int, int, str]]:
    """Confirmed ``[start, end, replacement]`` spans in order and not overlapping, as
    ``apply_redactions`` replaces them: a span overlapping the one before it extends it, its
    own replacement left out; an empty span is dropped."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for s, e, r in sorted((int(s), int(e), str(r)) for s, e, r in redactions):
        if s < pos:           # overlaps the previous one: extend it
            s, r = pos, ""
        if e > s:
            out.append((s, e, r))
            pos = e
    return out


def apply_redactions(text: str, redactions: Iterable[Sequence[Any]]) -> str:
    """The text with each confirmed ``[start, end, replacement]`` replaced (overlaps merged)."""
    out, pos = [], 0
    for s, e, r in merged_redactions(redactions):
        out.append(text[pos:s])
        out.append(r)
        pos = e
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- operations
@dataclass
class ConfirmRedaction(Operation):
    """The researcher confirms one span of a quote's text as personal data to redact."""
    quote_id: int
    start: int
    end: int
    replacement: str = "[redacted]"

    def describe(self) -> str:
        return "Redact personal data"

    def run(self, tx: Tx) -> None:
        row = tx.get("quotes", self.quote_id)
        if row is None:
            raise ValueError(f"no quote {self.quote_id}")
        spans = [list(x) for x in json.loads(row["redactions"] or "[]")]
        span = [int(self.start), int(self.end), self.replacement]
        if self.end <= self.start:
            raise ValueError("an empty span cannot be redacted")
        if span[:2] not in [s[:2] for s in spans]:
            spans.append(span)
        tx.update("quotes", self.quote_id, {"redactions": json.dumps(sorted(spans))})


@dataclass
class RemoveRedaction(Operation):
    quote_id: int
    start: int
    end: int

    def describe(self) -> str:
        return "Undo a redaction"

    def run(self, tx: Tx) -> None:
        row = tx.get("quotes", self.quote_id)
        if row is None:
            return
        spans = [s for s in json.loads(row["redactions"] or "[]")
                 if (s[0], s[1]) != (self.start, self.end)]
        tx.update("quotes", self.quote_id, {"redactions": json.dumps(spans)})




def pending_findings(project: Any, quote_id: int,
                     known: Collection[str] | None = None) -> list[Finding]:
    """Candidates in a quote that the researcher has not yet confirmed, the names the project
    holds among them (``known``: ``known_names``, when the caller read it already)."""
    from .quotes import quote
    q = quote(project, quote_id)
    if q is None:
        return []
    known = known_names(project) if known is None else known
    done = {(s, e) for s, e, _ in q.redactions}
    return [f for f in findings_in_place(project, q.item_kind, q.item_id, q.text, q.start or 0,
                                         known=known) if (f.start, f.end) not in done]


def findings_in_place(project: Any, kind: str, item_id: int, text: str, at: int = 0,
                      kinds: Sequence[str] = KINDS, known: Collection[str] = ()
                      ) -> list[Finding]:
    """``find_personal_data`` in ``text``, the words from ``at`` of an item's text, read with
    the start of its line in its document when it is a passage or coding: the label before a
    turn is a cue ("Note-taker: Sam." is the passage "Sam.")."""
    before = ""
    if kind in ("passage", "coding"):
        table = "passages" if kind == "passage" else "codings"
        head = project.scalar(
            f"SELECT substr(d.text, max(1, x.start + ? - 79), min(x.start + ?, 80)) FROM {table} "
            "x JOIN documents d ON d.id = x.document_id WHERE x.id = ?", (at, at, item_id))
        before = (head or "").rsplit("\n", 1)[-1]
    n = len(before)
    return [Finding(max(f.start - n, 0), f.end - n, f.kind, text[max(f.start - n, 0):f.end - n])
            for f in find_personal_data(before + text, kinds, known) if f.end > n]


# --------------------------------------------------------------------------- evaluation
@dataclass
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        d = self.true_positives + self.false_positives
        return 1.0 if d == 0 else self.true_positives / d

    @property
    def recall(self) -> float:
        d = self.true_positives + self.false_negatives
        return 1.0 if d == 0 else self.true_positives / d


def evaluate(quotes: Sequence[dict[str, Any]], *, exact: bool = False
             ) -> tuple[Score, list[str]]:
    """Precision and recall of ``find_personal_data`` on labelled quotes. A detection counts
    when it overlaps a labelled span of the same kind (``exact``: has the same span)."""
    tp = fp = fn = 0
    mistakes: list[str] = []
    for q in quotes:
        text = q["text"]
        gold = []
        for surface, kind in q["personal"]:
            for m in re.finditer(re.escape(surface), text):
                gold.append((m.start(), m.end(), kind))
        found = find_personal_data(text)

        def match(f: Finding, g: tuple[int, int, str]) -> bool:
            if f.kind != g[2]:
                return False
            return (f.start, f.end) == g[:2] if exact else (f.start < g[1] and f.end > g[0])
        for f in found:
            if any(match(f, g) for g in gold):
                tp += 1
            else:
                fp += 1
                mistakes.append(f"false alarm {f.kind} “{f.text}” in: {text}")
        for g in gold:
            if not any(match(f, g) for f in found):
                fn += 1
                mistakes.append(f"missed {g[2]} “{text[g[0]:g[1]]}” in: {text}")
    return Score(tp, fp, fn), mistakes


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    path = Path(argv[0]) if argv else \
        Path(__file__).resolve().parent.parent / "tests" / "data" / "redaction_corpus.json"
    quotes = json.loads(path.read_text(encoding="utf-8"))["quotes"]
    for split in ("dev", "held_out", None):
        part = [q for q in quotes if split is None or q.get("split") == split]
        for exact in (False, True):
            score, mistakes = evaluate(part, exact=exact)
            print(f"{split or 'all':8} {'exact  ' if exact else 'overlap'} quotes={len(part):3} "
                  f"tp={score.true_positives:3} fp={score.false_positives:2} "
                  f"fn={score.false_negatives:2} precision={score.precision:.3f} "
                  f"recall={score.recall:.3f}")
    for m in evaluate(quotes, exact=True)[1]:
        print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
