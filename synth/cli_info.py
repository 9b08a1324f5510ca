"""`python main.py info PROJECT [--json]`: the summary of a saved project."""
from __future__ import annotations

import argparse
from pathlib import Path

from .project import Project
from .summary import print_summary, summary_json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, metavar="PROJECT", help="a .synth project file")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def main(args: argparse.Namespace) -> int:
    with Project.look(args.project) as project:
        if args.json:
            print(summary_json(project))
        else:
            print_summary(project)
    return 0
