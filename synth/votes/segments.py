"""Segments: subsets of participants the researcher defines ("line managers", "outside London"),
with the same agreement figures as opinion groups.

A segment is stored as a rule (JSON, see ``project_analysis.segment_members``). Researchers write
it in a short form: ``line_manager=yes``, ``region!=London``, ``grade=G6,G7,SCS`` (any of),
joined with ``&`` (all must hold). A value holding ``&`` or ``,`` is written in double quotes
(``Ethnic group="Black & Black British"``); unquoted, an ``&`` followed by no ``=`` continues
the value before it. Defining and removing a segment are undoable operations.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..files import check_output, write_output
from ..operations import Operation, Tx


def parse_rule(text: str) -> dict[str, Any]:
    """``"line_manager=yes & region!=London"`` → a segment rule."""
    parts: list[str] = []
    for piece in _split_outside_quotes(text, "&"):
        if parts and "=" not in piece and piece.strip():
            parts[-1] += "&" + piece        # "Ethnic group=Black & Black British" (QA 53)
        else:
            parts.append(piece)
    parts = [p.strip() for p in parts if p.strip()]
    if not parts:
        raise UserError("a segment needs at least one condition, such as line_manager=yes")
    rules = []
    for part in parts:
        if "!=" in part:
            name, values = part.split("!=", 1)
            key = "not_in"
        elif "=" in part:
            name, values = part.split("=", 1)
            key = "in"
        else:
            raise UserError(f"“{part}”: write a condition as characteristic=value or "
                            "characteristic!=value")
        name = name.strip().strip('"').strip()
        wanted = [_unquote(v) for v in _split_outside_quotes(values, ",") if _unquote(v)]
        if not name or not wanted:
            raise UserError(f"“{part}”: a condition needs a characteristic and a value")
        rules.append({"attribute": name, key: wanted})
    return rules[0] if len(rules) == 1 else {"all": rules}


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    out, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise UserError(f"“{text.strip()}”: a double quote is not closed")
    out.append("".join(current))
    return out


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].strip()
    return value


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c in value for c in "&,\"") else value


def describe_rule(rule: dict[str, Any]) -> str:
    if "all" in rule:
        return " & ".join(describe_rule(r) for r in rule["all"])
    if "attribute" in rule:
        if "in" in rule:
            return f"{rule['attribute']}={','.join(_quoted(str(v)) for v in rule['in'])}"
        if "not_in" in rule:
            return f"{rule['attribute']}!=" + ",".join(_quoted(str(v))
                                                        for v in rule["not_in"])
    return json.dumps(rule)


@dataclass
class DefineSegment(Operation):
    """Define (or redefine) a named segment. Refused when nobody matches: a segment of no one
    is a typo, not a finding."""
    label: str
    rule: dict[str, Any]

    def describe(self) -> str:
        return f"Define segment “{self.label}”"

    def run(self, tx: Tx) -> int:
        from .project_analysis import segment_members

        name = self.label.strip()
        if not name:
            raise UserError("a segment needs a name")
        known = {r[0] for r in tx.query("SELECT DISTINCT name FROM participant_attributes")}
        for cond in self.rule.get("all", [self.rule]):
            if "attribute" in cond and cond["attribute"] not in known:
                raise UserError(f"no participant has the characteristic “{cond['attribute']}” "
                                f"(known: {', '.join(sorted(known)) or 'none'})")
        members = segment_members(tx, self.rule)
        if not members:
            raise UserError(f"nobody matches the segment “{name}” ({describe_rule(self.rule)})")
        existing = tx.scalar("SELECT id FROM segments WHERE name = ?", (name,))
        if existing is not None:
            tx.update("segments", existing, {"rule": json.dumps(self.rule)})
            return int(existing)
        (sid,) = tx.insert("segments", {"name": name, "rule": json.dumps(self.rule)})
        return int(sid)


@dataclass
class RemoveSegment(Operation):
    label: str

    def describe(self) -> str:
        return f"Remove segment “{self.label}”"

    def run(self, tx: Tx) -> None:
        sid = tx.scalar("SELECT id FROM segments WHERE name = ?", (self.label,))
        if sid is None:
            raise UserError(f"no segment named “{self.label}”")
        tx.delete("segments", sid)


def segments(project: Any) -> list[tuple[str, dict[str, Any], int]]:
    """(name, rule, number of members) of every segment."""
    from .project_analysis import segment_members
    out = []
    for name, rule in project.query("SELECT name, rule FROM segments ORDER BY name"):
        r = json.loads(rule)
        out.append((name, r, len(segment_members(project, r))))
    return out


# --------------------------------------------------------------------------- command line
def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, metavar="PROJECT")
    parser.add_argument("--define", nargs=2, action="append", default=[],
                        metavar=("NAME", "RULE"),
                        help="define a segment, e.g. --define 'Line managers' line_manager=yes; "
                             "conditions joined with & must all hold (region!=London & "
                             "grade=G6,G7); a value holding & or a comma in double quotes: "
                             "'Ethnic group=\"Black & Black British\"'")
    parser.add_argument("--remove", action="append", default=[], metavar="NAME")
    parser.add_argument("--json", type=Path, metavar="OUT.json",
                        help="write every segment's agreement figures per statement")


def main(args: argparse.Namespace) -> int:
    from ..project import Project
    from .project_analysis import agreement_by

    if args.json:
        check_output(args.json, label=f"--json {args.json}", what="the segments' agreement")
    with Project.open(args.project) as project:
        for name, text in args.define:
            project.history.apply(DefineSegment(name, parse_rule(text)))
        for name in args.remove:
            project.history.apply(RemoveSegment(name))
        listed = segments(project)
        voted = {r[0] for r in project.query("SELECT DISTINCT participant_id FROM votes")}
        for name, rule, n in listed:
            from .project_analysis import segment_members
            v = len(segment_members(project, rule) & voted)
            print(f"{name}: {describe_rule(rule)} — {n:,} participants"
                  + ("" if v == n else f", {v:,} of whom voted"
                     + (": no agreement figures" if v == 0 else "")))
        if args.json:
            out: dict[str, Any] = {}
            ext = dict(project.query("SELECT id, external_id FROM statements"))
            for name, rule, n in listed:
                table = agreement_by(project, f"segment:{name}")
                out[name] = {"rule": rule, "participants": n, "statements": {
                    ext.get(int(s), str(s)): table.rows(s)[name]
                    for s in table.statements.tolist()}}
            try:
                write_output(args.json, json.dumps(out, indent=1, ensure_ascii=False),
                             label=f"--json {args.json}", what="the segments' agreement")
            except UserError as e:
                changed = [f"“{n}” defined" for n, _ in args.define] + \
                    [f"“{n}” removed" for n in args.remove]
                if not changed:
                    raise
                # the definitions were committed above: the file is what was not written
                raise UserError(f"{e} to {args.json.name}; the project's segments were "
                                f"changed all the same ({', '.join(changed)})") from None
            print(f"wrote {args.json}")
    return 0
