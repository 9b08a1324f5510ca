"""Quotes: a statement, note, passage or coded span marked as a verbatim quote, attributed by
its provenance through a template the researcher sets, with a consent flag and confirmed
redactions.

Attribution templates are keyed by source kind (``debate``, ``tallies``, ``workshop``,
``interview``, ``document``) in the project setting ``quote_templates``; fields are the item's
provenance: ``{site}``, ``{workshop}``, ``{source}``, ``{speaker}``, ``{role}``, ``{activity}``,
``{scenario}``, ``{table}`` and any participant attribute (``{department}``, ``{region}`` …).
A field the item does not have is left empty and the white space tidied, so
"{site} co-design participant" never reads " co-design participant" with a stray blank — it
reads "co-design participant".
"""
from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import Any, Sequence

from synth.operations import Operation, Tx

from .redaction import apply_redactions

TEMPLATE_SETTING = "quote_templates"
DEFAULT_TEMPLATES = {
    "debate": "online debate participant",
    "tallies": "online debate participant",
    "survey": "survey respondent",
    "workshop": "{site} co-design participant",
    "interview": "interview participant",
    "document": "{site} participant",
}
QUOTABLE = ("statement", "note", "passage", "coding")
# Words of the research team, not participants': a facilitator's note or turn, an interviewer's
# question, the organisers' seed statements. They are attributed by role (template keys
# "team:<source kind>"), never as a participant's (QA 18, 54).
TEAM_TEMPLATES = {
    "team:debate": "seed statement by the debate's organisers",
    "team:tallies": "seed statement by the organisers",
    "team:survey": "question by the survey's organisers",
    "team:workshop": "{site} workshop {role}",
    "team:interview": "{role}",
    "team:document": "{site} {role}",
}
_TEAM_ROLE = re.compile(r"facilitat|moderat|interviewer|researcher|note[- ]?taker|scribe|"
                        r"organi[sz]er|\bhost\b|\bchair\b|\bstaff\b|research team", re.I)


def is_team_role(role: str | None) -> bool:
    """Whether a note's author role or a turn's speaker role is the research team's."""
    return bool(role) and bool(_TEAM_ROLE.search(str(role)))


def _team_role_word(role: str) -> str:
    role = str(role).strip().lower()
    for word in ("facilitator", "moderator", "interviewer", "researcher", "note-taker",
                 "organiser", "host", "chair"):
        if word[:6] in role.replace(" ", "-"):
            return word
    return "research team"


def templates(project: Any) -> dict[str, str]:
    return DEFAULT_TEMPLATES | (project.setting(TEMPLATE_SETTING, {}) or {})


def set_templates(project: Any, values: dict[str, str]) -> None:
    """Templates are a preference of the project, not research work: saved, not undoable."""
    project.set_setting(TEMPLATE_SETTING, {**(project.setting(TEMPLATE_SETTING, {}) or {}),
                                           **values})


def provenance(db: Any, kind: str, item_id: int) -> dict[str, Any]:
    """Where an item comes from, as template fields. ``db``: a project or a ``Tx``."""
    p: dict[str, Any] = {}
    participant = None
    if kind == "statement":
        r = db.query("SELECT s.text, s.author_id, src.kind, src.name, src.site, src.workshop, "
                     "s.is_seed FROM statements s JOIN sources src ON src.id = s.source_id "
                     "WHERE s.id = ?", (item_id,))
        if r:
            text, participant, skind, sname, site, workshop, seed = r[0]
            p = {"text": text, "source_kind": skind, "source": sname, "site": site,
                 "workshop": workshop}
            if seed:        # written by the debate's organisers to start it off
                p["role"] = "organiser"
                participant = None
    elif kind == "note":
        r = db.query("SELECT n.text, n.participant_id, src.kind, src.name, "
                     "CASE WHEN n.site != '' THEN n.site ELSE src.site END, "
                     "CASE WHEN n.workshop != '' THEN n.workshop ELSE src.workshop END, "
                     "n.activity, n.scenario, n.table_group, n.author_role FROM notes n "
                     "JOIN sources src ON src.id = n.source_id WHERE n.id = ?", (item_id,))
        if r:
            (text, participant, skind, sname, site, workshop, activity, scenario, table,
             role) = r[0]
            p = {"text": text, "source_kind": skind, "source": sname, "site": site,
                 "workshop": workshop, "activity": activity, "scenario": scenario,
                 "table": table, "role": role}
    elif kind in ("passage", "coding"):
        table = "passages" if kind == "passage" else "codings"
        r = db.query(f"SELECT substr(d.text, x.start + 1, x.end - x.start), d.id, x.start, "
                     "src.kind, src.name, CASE WHEN d.site != '' THEN d.site ELSE src.site END, "
                     "CASE WHEN d.workshop != '' THEN d.workshop ELSE src.workshop END, d.title "
                     f"FROM {table} x JOIN documents d ON d.id = x.document_id "
                     "JOIN sources src ON src.id = d.source_id WHERE x.id = ?", (item_id,))
        if r:
            text, doc_id, start, skind, sname, site, workshop, title = r[0]
            p = {"text": text, "source_kind": skind, "source": sname, "site": site,
                 "workshop": workshop, "document": title, "document_id": doc_id}
            turn = db.query("SELECT speaker, speaker_role FROM passages WHERE document_id = ? "
                            "AND start <= ? AND end > ? ORDER BY origin = 'coded', start DESC "
                            "LIMIT 1", (doc_id, start, start))
            if turn:
                p["speaker"], p["role"] = turn[0][0], turn[0][1]
    else:
        raise ValueError(f"cannot quote a {kind}")
    if participant is not None:
        for name, value in db.query("SELECT name, value FROM participant_attributes "
                                    "WHERE participant_id = ?", (participant,)):
            key = re.sub(r"\W+", "_", str(name).strip().lower()).strip("_")
            if key and key not in p:
                p[key] = value
    return p


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def attribute(template: str, fields: dict[str, Any]) -> str:
    """Fill a template from provenance fields; missing fields are blank, blanks tidied."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    values = _Blank({k: ("" if v is None else str(v)) for k, v in fields.items() if k in names})
    try:
        text = template.format_map(values)
    except (ValueError, IndexError, AttributeError):
        return template
    text = re.sub(r"\s+", " ", text).strip(" ,;–-")
    return text[:1].upper() + text[1:] if text else text


def attribution_for(db: Any, kind: str, item_id: int, template: str | None = None) -> str:
    """The attribution an item would get. ``db``: a project or a ``Tx``. The research team's
    words (``is_team_role``: a facilitator's note or turn, a seed statement) take the team
    template of their source kind, whatever ``template`` says of participants."""
    fields = provenance(db, kind, item_id)
    chosen = TEAM_TEMPLATES | DEFAULT_TEMPLATES | _setting_via(db)
    if is_team_role(fields.get("role")):
        fields = {**fields, "role": _team_role_word(fields["role"])}
        return attribute(chosen.get(f"team:{fields.get('source_kind', '')}", "{role}"), fields)
    if template is None:
        template = chosen.get(fields.get("source_kind", ""), "{source}")
    return attribute(template, fields)


def current_attribution(db: Any, kind: str, item_id: int, stored: str) -> str:
    """A quote's attribution as it is printed: the stored one, unless it is what the
    participants' template made of the research team's words before they were attributed by
    role ("Lambeth co-design participant" on a facilitator's note): then the team's."""
    fields = provenance(db, kind, item_id)
    if not stored or not is_team_role(fields.get("role")):
        return stored
    chosen = DEFAULT_TEMPLATES | _setting_via(db)
    blind = attribute(chosen.get(fields.get("source_kind", ""), "{source}"), fields)
    return attribution_for(db, kind, item_id) if stored == blind else stored


def _setting_via(db: Any) -> dict[str, str]:
    v = db.scalar("SELECT value FROM settings WHERE key = ?", (TEMPLATE_SETTING,))
    return json.loads(v) if v else {}


@dataclass(frozen=True)
class Quote:
    id: int
    item_kind: str
    item_id: int
    start: int | None
    end: int | None
    text: str                  # verbatim
    attribution: str
    consent: bool
    redactions: tuple[tuple[int, int, str], ...]
    provenance: dict[str, Any]

    @property
    def redacted_text(self) -> str:
        """What may leave the project."""
        return apply_redactions(self.text, self.redactions)


def _quote(db: Any, row: Any) -> Quote:
    prov = provenance(db, row["item_kind"], row["item_id"])
    full = prov.get("text", "") or ""
    s, e = row["start"], row["end"]
    text = full[s:e] if s is not None or e is not None else full
    spans = tuple((int(a), int(b), str(c)) for a, b, c in json.loads(row["redactions"] or "[]"))
    return Quote(row["id"], row["item_kind"], row["item_id"], s, e, text, row["attribution"],
                 bool(row["consent"]), spans, prov)


def quotes(project: Any, *, item_kind: str | None = None, item_id: int | None = None
           ) -> list[Quote]:
    rows = project.query("SELECT * FROM quotes WHERE (? IS NULL OR item_kind = ?) AND "
                         "(? IS NULL OR item_id = ?) ORDER BY id",
                         (item_kind, item_kind, item_id, item_id))
    return [_quote(project, r) for r in rows]


def quote(project: Any, quote_id: int) -> Quote | None:
    rows = project.query("SELECT * FROM quotes WHERE id = ?", (quote_id,))
    return _quote(project, rows[0]) if rows else None


# --------------------------------------------------------------------------- operations
@dataclass
class MarkQuote(Operation):
    """Mark an item (or a span of its text) as a quote. The attribution is built from the
    item's provenance by ``template`` (default: the project's template for its source kind)
    unless ``attribution`` is given. Returns the quote id."""
    item_kind: str
    item_id: int
    start: int | None = None
    end: int | None = None
    attribution: str | None = None
    template: str | None = None
    consent: bool = True

    def describe(self) -> str:
        return "Mark as quote"

    def run(self, tx: Tx) -> int:
        if self.item_kind not in QUOTABLE:
            raise ValueError(f"cannot quote a {self.item_kind}")
        fields = provenance(tx, self.item_kind, self.item_id)
        if not fields:
            raise ValueError(f"no {self.item_kind} {self.item_id}")
        n = len(fields.get("text", ""))
        if self.start is not None and not 0 <= self.start < (self.end or n) <= n:
            raise ValueError("the quoted span lies outside the item's text")
        attribution = self.attribution
        if attribution is None:
            attribution = attribution_for(tx, self.item_kind, self.item_id, self.template)
        (qid,) = tx.insert("quotes", {"item_kind": self.item_kind, "item_id": self.item_id,
                                      "start": self.start, "end": self.end,
                                      "attribution": attribution, "consent": int(self.consent),
                                      "redactions": "[]"})
        return qid


@dataclass
class UpdateQuote(Operation):
    """Change a quote's attribution, consent, or span."""
    quote_id: int
    values: dict[str, Any]

    ALLOWED = {"attribution", "consent", "start", "end"}

    def describe(self) -> str:
        return "Withdraw consent" if self.values.get("consent") in (0, False) else "Edit quote"

    def run(self, tx: Tx) -> None:
        bad = set(self.values) - self.ALLOWED
        if bad:
            raise ValueError(f"cannot change {', '.join(sorted(bad))} of a quote")
        values = dict(self.values)
        if "consent" in values:
            values["consent"] = int(bool(values["consent"]))
        tx.update("quotes", self.quote_id, values)


@dataclass
class ReattributeQuotes(Operation):
    """Rebuild the attributions of quotes from a template (after the researcher changed it)."""
    template: str
    source_kind: str | None = None
    quote_ids: Sequence[int] | None = None

    def describe(self) -> str:
        return "Re-attribute quotes"

    def run(self, tx: Tx) -> int:
        n = 0
        for row in tx.query("SELECT id, item_kind, item_id FROM quotes ORDER BY id"):
            if self.quote_ids is not None and row[0] not in self.quote_ids:
                continue
            fields = provenance(tx, row[1], row[2])
            if self.source_kind and fields.get("source_kind") != self.source_kind:
                continue
            # the team's words keep their role, whatever the participants' template says
            tx.update("quotes", row[0],
                      {"attribution": attribution_for(tx, row[1], row[2], self.template)})
            n += 1
        return n


@dataclass
class RemoveQuote(Operation):
    """Unmark a quote; evidence that cited it goes with it (and comes back on undo)."""
    quote_id: int

    def describe(self) -> str:
        return "Remove quote"

    def run(self, tx: Tx) -> None:
        for (eid,) in tx.query("SELECT id FROM evidence WHERE item_kind = 'quote' AND "
                               "item_id = ?", (self.quote_id,)):
            tx.delete("evidence", eid)
        tx.delete("quotes", self.quote_id)
