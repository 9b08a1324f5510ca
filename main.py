"""Synth: `python main.py` opens the app; subcommands run the same work without a window."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Callable

# Each command lives in its own module, imported only when used, so that start-up stays fast.
# A module defines configure(parser) and main(args, **UPPER_LAYERS.get(name, {})) -> int.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("synth.cli", "import data into a project and run the whole pipeline"),
    "info": ("synth.cli_info", "print the summary of a saved project"),
    "polis": ("synth.votes.cli", "opinion groups and statement lists of a Pol.is export"),
    "segments": ("synth.votes.segments", "define participant segments and their agreement"),
    "themes": ("synth.themes.cli", "candidate themes for the texts of a CSV file"),
    "evidence": ("coding.cli", "every theme with its recommendations and evidence, as JSON"),
    "report": ("exports.cli", "write the Word report of a project"),
    "gui": ("ui.cli", "open the app, or render it into a PNG"),
}


def _write_report(project, path):
    from exports.report import write_report  # noqa: PLC0415 - loaded only when a report is wanted
    return write_report(project, path)


def _open_app(project: str | None) -> int:
    from ui.cli import open_app  # noqa: PLC0415 - Qt only when the window is wanted
    return open_app(project)


# What an engine command needs from the layers above it, which synth/ may not import (STYLE.md):
# main.py, above every layer, hands it over as keyword arguments of the command's main().
UPPER_LAYERS: dict[str, dict[str, Callable]] = {
    "run": {"write_report": _write_report, "open_app": _open_app},
}


def build_parser() -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<10}{help_text}" for name, (_, help_text) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="synth", formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [PROJECT]  |  %(prog)s COMMAND [--help] ...",
        description="Synth: a workbench for mixed-methods research synthesis. Without a "
                    "command, opens the app (on PROJECT if given).",
        epilog=f"commands:\n{commands}\n\nEach command has --help.")
    parser.add_argument("project", nargs="?", metavar="PROJECT", help="a .synth project to open")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Route to a command's own parser only when asked, so its configure() runs lazily.
    if argv and argv[0] in COMMANDS:
        name = argv[0]
        module_name, help_text = COMMANDS[name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            print(f"synth {name}: not available in this build ({e.name})", file=sys.stderr)
            return 2
        sub = argparse.ArgumentParser(prog=f"synth {name}", description=help_text)
        module.configure(sub)
        args = sub.parse_args(argv[1:])
        return _run(lambda: module.main(args, **UPPER_LAYERS.get(name, {})), name)
    args = parser.parse_args(argv)
    if args.project is not None and not Path(args.project).exists():
        parser.exit(2, f"synth: {args.project}: no such project file (and not a command: "
                       f"{', '.join(COMMANDS)})\n")
    return _run(lambda: _open_app(args.project), "app")


def _run(job, name: str) -> int:
    from synth.errors import UserError
    from synth.project import ProjectError
    try:
        return int(job() or 0)
    except (UserError, ProjectError) as e:
        print(f"synth {name}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"synth {name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`synth report … | head`): no traceback, and none at exit when
        # Python flushes stdout into the closed pipe again
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
