"""`python main.py evidence PROJECT [--json OUT.json]`: every theme with its summaries,
recommendations, linked evidence and the figures and strength shown for them."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from synth.errors import UserError
from synth.files import write_output


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, metavar="PROJECT", help="a .synth project file")
    parser.add_argument("--json", type=Path, metavar="OUT.json", dest="json_out",
                        help="write the evidence as JSON to this file ('-' for standard output)")
    parser.add_argument("--candidates", action="store_true",
                        help="include candidate themes not yet accepted")


def evidence_report(project: Any, *, include_candidates: bool = False) -> dict[str, Any]:
    """The whole evidence picture as plain data (what the CLI writes and the report reads)."""
    from synth.votes.statement_figures import group_runs, groups_in_use

    from .codebook import codebook
    from .evidence import evidence
    from .recommendations import recommendations, theme_numbers
    from .strength import strength

    runs = group_runs(project)
    numbers = theme_numbers(project)
    recs = recommendations(project)
    in_use = groups_in_use(project)     # read once for every theme's and recommendation's strength

    def theme_dict(code: Any) -> dict[str, Any]:
        row = project.query("SELECT summary_shared, summary_want FROM themes WHERE id = ?",
                            (code.id,))[0]
        items = evidence(project, theme_id=code.id)
        return {
            "id": code.id, "number": numbers.get(code.id, ""), "name": code.name,
            "description": code.description, "colour": code.colour, "status": code.status,
            "parent_id": code.parent_id,
            "counts": dict(code.counts.__dict__),
            "what_participants_shared": {
                "text": row[0], "evidence": [e.as_dict() for e in items if e.role == "shared"]},
            "what_participants_want_to_see": {
                "text": row[1], "evidence": [e.as_dict() for e in items if e.role == "want"]},
            "evidence": [e.as_dict() for e in items if e.role == "support"],
            "strength": strength(project, theme_id=code.id, in_use=in_use).as_dict(),
            "recommendations": [{
                "id": r.id, "number": r.number, "title": r.title, "text": r.text,
                "evidence": [e.as_dict() for e in evidence(project, recommendation_id=r.id)],
                "strength": strength(project, recommendation_id=r.id, in_use=in_use).as_dict(),
            } for r in recs if r.theme_id == code.id],
            "sub_themes": [theme_dict(c) for c in code.children],
        }
    return {
        "project": str(project.path),
        "definitions": {
            "pct_agree": "agrees ÷ (agrees + disagrees + passes) among those who voted",
            "groups": "each debate's opinion groups: its latest analysis run's, else the "
                      "groups Pol.is exported for it (participants.polis_group)",
            "opinion_groups_runs": runs,
        },
        "themes": [theme_dict(c) for c in codebook(project, include_candidates=include_candidates)],
        "coder_agreement": coder_agreement(project),
    }


def coder_agreement(project: Any) -> list[dict[str, Any]]:
    """For every pair of coders who coded the same documents: per code, Cohen's kappa and %
    agreement (character by character), and the stretches they disagree on, for discussion."""
    from .agreement_between_coders import compare_coders, disagreements, shared_documents
    from .passages import coders as coders_of

    coders = coders_of(project)
    out = []
    for i, a in enumerate(coders):
        for b in coders[i + 1:]:
            docs = shared_documents(project, a, b)
            if not docs:
                continue
            out.append({
                "coders": [a, b], "documents": docs,
                "codes": [c.as_dict() for c in compare_coders(project, a, b, docs)],
                "disagreements": [d.__dict__ for d in disagreements(project, a, b, docs)],
            })
    return out


def as_it_leaves(project: Any, data: dict[str, Any], strip: bool | None = None) -> None:
    """Participants' words in ``evidence_report``'s data as every export writes them
    (``coding.published``): each quote its published text (the team's confirmed redactions,
    withheld when consent was withdrawn), every other item with the redactions confirmed in
    its quotes, e-mail addresses and phone numbers masked, names too when stripping personal
    data (``strip``; default: the project's choice). The JSON is a file that leaves the
    project like the report (QA 44: a confirmed "[phone number]" was printed in full)."""
    from .published import (confirmed_redactions, document_redactions, item_words,
                            names_to_strip, quote_words, strip_requested,
                            words_keeping_places)
    from .quotes import quote
    strip = strip_requested(project) if strip is None else strip
    redacted = confirmed_redactions(project)
    known = names_to_strip(project, strip)

    def words(e: dict[str, Any]) -> None:
        if e["kind"] == "quote":
            q = quote(project, e["id"])
            e["text"] = quote_words(project, q, strip, redacted, known) if q and q.consent \
                else "(quote withheld: consent withdrawn)"
        elif e["quotes"] is None and e["source"] is not None:     # the item's whole text
            e["text"] = item_words(project, e["kind"], e["id"], e["text"], strip, redacted,
                                   known)

    def theme(t: dict[str, Any]) -> None:
        for e in (*t["what_participants_shared"]["evidence"],
                  *t["what_participants_want_to_see"]["evidence"], *t["evidence"]):
            words(e)
        for r in t["recommendations"]:
            for e in r["evidence"]:
                words(e)
        for c in t["sub_themes"]:
            theme(c)
    for t in data["themes"]:
        theme(t)
    in_documents = document_redactions(project, redacted)
    for pair in data["coder_agreement"]:
        for d in pair["disagreements"]:
            doc = project.scalar("SELECT text FROM documents WHERE id = ?", (d["document_id"],))
            text, moved = words_keeping_places(doc or "", in_documents.get(d["document_id"], []),
                                               strip, known)
            d["text"] = text[moved(d["start"]):moved(d["end"], True)]


def main(args: argparse.Namespace) -> int:
    from synth.project import Project
    if not args.project.exists():
        raise UserError(f"{args.project}: no such project file")
    with Project.look(args.project) as project:
        data = evidence_report(project, include_candidates=args.candidates)
        if args.json_out is not None:
            as_it_leaves(project, data)
    if args.json_out is None:
        _print(data)
        return 0
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if str(args.json_out) == "-":
        sys.stdout.write(text + "\n")
    else:
        write_output(args.json_out, text, label=f"--json {args.json_out}", what="the evidence")
        n = sum(len(t["recommendations"]) for t in data["themes"])
        print(f"{args.json_out}: {len(data['themes'])} themes, {n} recommendations")
    return 0


def _print(data: dict[str, Any]) -> None:
    def show(t: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        s = t["strength"]
        print(f"{pad}{t['number'] or '–'} {t['name']}  [{s['level']}: {s['items']} items]")
        for w in s["warnings"]:
            print(f"{pad}   ! {w['message']}")
        for r in t["recommendations"]:
            print(f"{pad}   {r['number']} {r['title']}  ({len(r['evidence'])} evidence)")
        for c in t["sub_themes"]:
            show(c, depth + 1)
    for t in data["themes"]:
        show(t, 0)
