"""Segments: subsets of participants the researcher defines ("line managers", "outside London"),
with the same agreement figures as opinion groups.

A segment is stored as a rule (JSON, see ``project_analysis.segment_members``). Researchers write
it in a short form: ``line_manager=yes``, ``region!=London`` (those who gave a region other
than London: not those who gave none, said beside the rule), ``grade=G6,G7,SCS`` (any of),
joined with ``&`` (all must hold). A value holding ``&`` or ``,`` is written in double quotes
(``Ethnic group="Black & Black British"``); unquoted, an ``&`` followed by no ``=`` continues
the value before it. Names and values match the data whatever their case or surrounding spaces,
and a rule is stored as the data spells them (``segment_rules``). Defining and removing a
segment are undoable operations; the command line's several --define and --remove are one
(``ChangeSegments``): all of them or none.
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
from ..words import and_list


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


def unanswered_words(rule: dict[str, Any]) -> str:
    """What a rule's "everyone except" conditions leave out besides the values they name:
    "those who gave no region are not in it" for ``region!=London`` ("" when it has none).
    Said beside the rule wherever it is shown (the report, the panel, the command line)."""
    names: list[str] = []

    def walk(r: dict[str, Any]) -> None:
        for part in r.get("all", ()) or r.get("any", ()):
            walk(part)
        if "not_in" in r and str(r.get("attribute", "")) not in names:
            names.append(str(r["attribute"]))
    walk(rule)
    return f"those who gave no {' or no '.join(names)} are not in it" if names else ""


@dataclass
class DefineSegment(Operation):
    """Define (or redefine) a named segment, its rule stored in the data's own spelling
    (``segment_rules``). Refused when nobody matches, or the rule names a characteristic or a
    value no participant has: a segment of no one is a typo, not a finding."""
    label: str
    rule: dict[str, Any]

    def describe(self) -> str:
        return f"Define segment “{self.label}”"

    def run(self, tx: Tx) -> int:
        from .segment_rules import resolve_rule

        name = self.label.strip()
        if not name:
            raise UserError("a segment needs a name")
        rule = json.dumps(resolve_rule(tx, self.rule, name))
        existing = tx.scalar("SELECT id FROM segments WHERE name = ?", (name,))
        near = find_segment(tx, name)
        if existing is None and near is not None:
            # two segments a reader cannot tell apart in the report ("Women", "women")
            raise UserError(f"a segment “{near[1]}” exists: to redefine it, name it so; "
                            "otherwise choose a name that differs by more than its case")
        if existing is not None:
            tx.update("segments", existing, {"rule": rule})
            return int(existing)
        (sid,) = tx.insert("segments", {"name": name, "rule": rule})
        return int(sid)


def find_segment(db: Any, label: str) -> tuple[int, str] | None:
    """(id, name) of the segment named ``label``: that name, else the one name it spells
    otherwise ("women" for "Women"; none when two names would both fit)."""
    from .segment_rules import spelling_key

    rows = db.query("SELECT id, name FROM segments ORDER BY id")
    exact = [r for r in rows if r[1] == label]
    near = exact or [r for r in rows if spelling_key(r[1]) == spelling_key(label)]
    return (int(near[0][0]), str(near[0][1])) if len(near) == 1 else None


def no_segment(db: Any, label: str) -> UserError:
    """The refusal of a segment name no segment has, with those there are (closest first)."""
    from .segment_rules import closest_first, fit_line
    names = [r[0] for r in db.query("SELECT name FROM segments")]
    return UserError(f"no segment named “{label}”" + (
        f" (there are: {fit_line([f'“{n}”' for n in closest_first(label, names)])})"
        if names else " (the project has no segments yet)"))


@dataclass
class RemoveSegment(Operation):
    label: str

    def describe(self) -> str:
        return f"Remove segment “{self.label}”"

    def run(self, tx: Tx) -> None:
        found = find_segment(tx, self.label)
        if found is None:
            raise no_segment(tx, self.label)
        tx.delete("segments", found[0])


@dataclass
class ChangeSegments(Operation):
    """Segments defined and removed together, as one change and one undo step: all of them or,
    when one is refused, none (the command line's --define and --remove, as an import is)."""
    define: list[tuple[str, dict[str, Any]]]
    remove: list[str]

    def describe(self) -> str:
        parts = []
        if self.define:
            parts.append(("Define segment " if len(self.define) == 1 else "Define segments ")
                         + and_list([f"“{n.strip()}”" for n, _r in self.define]))
        if self.remove:
            parts.append(("remove " if parts else "Remove ")
                         + ("segment " if len(self.remove) == 1 else "segments ")
                         + and_list([f"“{n}”" for n in self.remove]))
        return "; ".join(parts) or "Change no segment"

    def run(self, tx: Tx) -> list[int]:
        from .segment_rules import spelling_key

        names = [n.strip() for n, _r in self.define]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise UserError(f"“{twice[0]}” is defined twice in one command: nothing was "
                            "changed")
        keys = [spelling_key(n) for n in self.remove]
        again = [n for i, n in enumerate(self.remove) if keys[i] in keys[:i]]
        if again:               # else the second removal finds the first's segment gone
            raise UserError(f"“{again[0]}” is removed twice in one command: nothing was "
                            "changed")
        removed = set(keys)
        both = sorted(n for n in set(names) if spelling_key(n) in removed)
        if both:
            raise UserError(f"“{both[0]}” is both defined and removed in one command: nothing "
                            "was changed")
        current = None
        ids = []
        try:
            for name in self.remove:        # named as they are before anything changes
                current = ("remove", name)
                if find_segment(tx, name) is None:
                    raise no_segment(tx, name)
            for name, rule in self.define:
                current = ("define", name)
                ids.append(DefineSegment(name, rule).run(tx))
            for name in self.remove:
                current = ("remove", name)
                RemoveSegment(name).run(tx)
        except UserError as e:
            others = [f"“{n.strip()}”" for n, _r in self.define if ("define", n) != current]
            kept = [f"“{n}”" for n in self.remove if ("remove", n) != current]
            if not others and not kept:
                raise
            said = []
            if others:
                said.append(f"{and_list(others)} {'is' if len(others) == 1 else 'are'} not "
                            "defined")
            if kept:
                said.append(f"{and_list(kept)} {'is' if len(kept) == 1 else 'are'} not "
                            "removed")
            raise UserError(f"{e}. Nothing was changed: {' and '.join(said)} either, since "
                            "the segments of one command are changed all together or not at "
                            "all") from None
        return ids


# --------------------------------------------------------------------------- command line
def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, metavar="PROJECT")
    parser.add_argument("--define", nargs=2, action="append", default=[],
                        metavar=("NAME", "RULE"),
                        help="define a segment, e.g. --define 'Line managers' line_manager=yes; "
                             "conditions joined with & must all hold (region!=London & "
                             "grade=G6,G7; != keeps those who gave another value, not those "
                             "who gave none); a value holding & or a comma in double quotes: "
                             "'Ethnic group=\"Black & Black British\"'. Names and values "
                             "match whatever their case. The segments of one command are "
                             "defined (and removed) all together or, if one is refused, none")
    parser.add_argument("--remove", action="append", default=[], metavar="NAME")
    parser.add_argument("--differs", action="append", default=[], metavar="NAME",
                        help="print where a segment differs most from everyone else, as the "
                             "report's Segments section lists it (shown too for each segment "
                             "defined by --define)")
    parser.add_argument("--json", type=Path, metavar="OUT.json",
                        help="write every segment's agreement figures per statement")


def main(args: argparse.Namespace) -> int:
    from ..project import Project
    from .project_analysis import agreement_by
    from .segment_figures import VoteArrays, defined_segments
    from .segment_lines import differs_lines, segment_line
    from .small_n import small_n_rule

    if args.json:
        check_output(args.json, label=f"--json {args.json}", what="the segments' agreement")
    defines = []
    for name, text in args.define:
        try:
            defines.append((name, parse_rule(text)))
        except UserError as e:
            raise UserError(f"--define “{name.strip()}”: {e}; nothing was changed") from None
    with Project.open(args.project) as project:
        shown = _differs_asked(project, args)
        if defines or args.remove:
            project.history.apply(ChangeSegments(defines, list(args.remove)))
        listed = defined_segments(project)
        threshold, action = small_n_rule(project)
        for s in listed:
            print(segment_line(s, threshold, action))
        votes = None
        for name in shown:
            s = next(s for s in listed if s.name == name)
            if votes is None and s.voters:
                votes = VoteArrays(project)     # every vote read once for all segments
            print()
            print("\n".join(differs_lines(project, s, threshold, action, votes=votes)))
        if args.json:
            out: dict[str, Any] = {}
            ext = dict(project.query("SELECT id, external_id FROM statements"))
            for s in listed:
                table = agreement_by(project, f"segment:{s.name}")
                out[s.name] = {"rule": s.rule, "participants": s.size, "statements": {
                    ext.get(int(i), str(i)): table.rows(i)[s.name]
                    for i in table.statements.tolist()}}
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


def _differs_asked(project: Any, args: argparse.Namespace) -> list[str]:
    """The segments whose differences to print, by their stored names: those --differs names
    (checked before anything changes) and those this command defines."""
    from .segment_rules import spelling_key

    defined = [n.strip() for n, _t in args.define]
    removed = {spelling_key(n) for n in args.remove}
    out: list[str] = []
    for label in args.differs:
        name = next((n for n in defined if n == label.strip()), None) or \
            next((n for n in defined if spelling_key(n) == spelling_key(label)), None)
        if name is None:
            found = find_segment(project, label.strip())
            if found is None:
                raise no_segment(project, label.strip())
            if spelling_key(found[1]) in removed:
                raise UserError(f"--differs “{label.strip()}”: this command removes the "
                                f"segment “{found[1]}”; nothing was changed")
            name = found[1]
        out.append(name)
    return list(dict.fromkeys(out + defined))
