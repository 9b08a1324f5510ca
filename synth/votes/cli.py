"""`python main.py polis EXPORT_DIR --json OUT.json [--k K] [--groups auto|recompute|polis]`:
opinion groups and statement lists of a Pol.is export folder, as JSON."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ..errors import UserError
from ..files import write_output


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("export", metavar="EXPORT_DIR", type=Path,
                        help="a Pol.is export folder (comments.csv with votes.csv and/or "
                             "participants-votes.csv), or votes.json + comments.json")
    parser.add_argument("--json", metavar="OUT.json", type=Path, required=True,
                        help="where to write the result")
    parser.add_argument("--k", type=int, default=None,
                        help="force this many opinion groups (default: chosen by silhouette, "
                             "as Pol.is)")
    parser.add_argument("--groups", choices=("auto", "recompute", "polis"), default="auto",
                        help="auto (default): Pol.is's own groups (group-id) when the export "
                             "gives one to everyone who voted enough to be grouped, as seen "
                             "on pol.is, else recomputed; or recompute them, or use Pol.is's")
    parser.add_argument("--seed", type=int, default=0,
                        help="0: participants in the order they joined, as Pol.is; other "
                             "values reorder them (to test stability)")
    parser.add_argument("--small-n", type=int, default=10,
                        help="flag figures resting on fewer votes than this (default 10)")


def main(args: argparse.Namespace) -> int:
    from .analysis import analyse
    from .polis_files import read_polis_folder

    started = time.perf_counter()
    if args.k is not None and args.k < 1:
        raise UserError(f"--k must be at least 1, not {args.k}")
    if args.groups == "polis" and args.k is not None:
        raise UserError("--k chooses how many groups to recompute; it cannot be used with "
                        "--groups polis")
    data = read_polis_folder(args.export)
    if data.matrix.n_votes == 0:
        raise UserError(f"{args.export}: the export holds no votes")
    polis_groups, notes = None, []
    if args.groups != "recompute" and args.k is None:
        polis_groups = data.polis_groups
        if not polis_groups and data.math is not None:
            from .polis_files import polis_state_groups
            polis_groups = polis_state_groups(data.math)
        has = any(g is not None for g in (polis_groups or {}).values())
        if args.groups == "polis" and not has:
            raise UserError(f"{args.export}: no Pol.is groups in this export (participants-"
                            "votes.csv has no group-id); use --groups recompute")
        from .project_analysis import ungrouped_voters
        without = ungrouped_voters(data.matrix, polis_groups) if has else []
        if args.groups == "auto" and (not has or without):
            if without:
                notes.append(f"recomputed: {len(without):,} participants who voted enough to "
                             "be grouped have no group-id in the export")
            polis_groups = None
        elif without:
            notes.append(f"{len(without):,} participants who voted enough to be grouped have "
                         "no group-id in the export: they are in no group")
    if polis_groups is not None and args.groups == "auto":
        notes.append("the groups are Pol.is's own (group-id), as seen on pol.is; "
                     "--groups recompute recomputes them from the votes")
    result = analyse(data.matrix, k=args.k, seed=args.seed, polis_groups=polis_groups,
                     texts=data.texts, small_n=args.small_n).result
    result["warnings"] = data.warnings + notes + result["warnings"]
    result["seconds"] = time.perf_counter() - started
    args.json.parent.mkdir(parents=True, exist_ok=True)
    write_output(args.json, json.dumps(result, ensure_ascii=False, indent=1),
                 label=f"--json {args.json}", what="the JSON")
    sizes = ", ".join(f"{g['size']}" for g in result["groups"]) or "none"
    people = data.matrix.shape[0]
    voted = int((data.matrix.votes_per_participant() > 0).sum())
    # as Pol.is's summary counts voters: an author who never voted is a participant, no voter
    said = f"{people} participants" + (f" ({voted} voted)" if voted != people else "")
    print(f"{data.name}: {said}, {data.matrix.shape[1]} statements, "
          f"{data.matrix.n_votes} votes; {result['k']} groups ({result['groups_from']}; sizes "
          f"{sizes}) in {result['seconds']:.2f} s → {args.json}")
    for w in result["warnings"]:
        print(f"  note: {w}")
    return 0
