"""`python main.py run`: import data into a project and run the pipeline, without a window.

What the job needs from the layers above the engine (the report writer, the app for --open) comes
in from main.py as arguments of main(): synth/ imports none of them (STYLE.md)."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable

from .errors import UserError
from .files import check_output
from .words import plural
from .importers.fingerprints import AlreadyImported, GivenTwice
from .pipeline import SAMPLE_STUDY, WriteReport, import_all, run_pipeline
from .project import Project
from .summary import print_summary
from .themes.cli import seed_arg


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="*", metavar="DATA",
                        help="files or folders to import (kind recognised from the contents); "
                             "with none, an existing project is analysed as it is, and a new "
                             "one is made from the bundled sample study")
    parser.add_argument("--project", metavar="FILE", type=Path,
                        help="the project file: created if absent, added to if present "
                             "(default: out/<name>.synth)")
    parser.add_argument("--new", action="store_true",
                        help="start the project afresh, replacing an existing file; one "
                             "holding the team's work (themes accepted or renamed, codings, "
                             "quotes, recommendations, memos) is first copied beside it as "
                             "NAME.before-new-DATE.synth")
    parser.add_argument("--again", action="store_true",
                        help="import a file even if the project holds its data already "
                             "(refused otherwise: its data would be there twice)")
    parser.add_argument("--site", metavar="NAME", default=None,
                        help="the site (city, venue) of the notes tables and transcripts given, "
                             "for files that do not name it in a column or their heading")
    parser.add_argument("--workshop", metavar="NAME", default=None,
                        help="the workshop the notes tables and transcripts given come from")
    parser.add_argument("--sheet", metavar="NAME", default=None,
                        help="the sheet to read of the workbooks (.xlsx) given (default: the "
                             "first visible sheet holding a table Synth reads)")
    parser.add_argument("--debate", metavar="NAME", default=None,
                        help="the debate the characteristics tables given describe, by its "
                             "name or its folder's (default: the one whose participant ids "
                             "they match best; two that match alike are refused)")
    parser.add_argument("--out", metavar="REPORT.docx", type=Path,
                        help="write the Word report here")
    parser.add_argument("--seed", type=seed_arg, default=None,
                        help="seed for the analyses, kept as the project's theme seed (default: "
                             "the project's theme seed, else 0); themes come in the number the "
                             "project asks for, if any")
    parser.add_argument("--send-to", metavar="URL", default=None,
                        help="let theme discovery send the cards' texts to this embedding "
                             "server, the one the project's settings name (refused otherwise: "
                             "participants' words would leave this computer)")
    parser.add_argument("--no-themes", action="store_true", help="skip theme discovery")
    parser.add_argument("--no-groups", action="store_true", help="skip opinion groups")
    parser.add_argument("--groups", choices=("auto", "recompute", "polis"), default=None,
                        help="opinion groups: the groups Pol.is exported, as participants saw "
                             "them on pol.is, where the export has them for everyone Pol.is "
                             "groups, else recomputed (auto, the default); recomputed from "
                             "the final votes with Pol.is's method; or Pol.is's own; kept as "
                             "the project's choice")
    parser.add_argument("--open", action="store_true",
                        help="open the app on the project afterwards, if a display is available")


def _import(project: Project, data: list[Path], *, again: bool, existing: bool,
            options: dict[str, str] | None = None) -> list[str]:
    """Every file or none; a file whose data the project holds is refused unless ``again``,
    one given twice always. ``existing``: the project is the researcher's, not made now.
    ``options``: --site, --workshop, --sheet, --debate. The reports' lines, to print once the
    import is kept."""
    try:
        reports = import_all(project, data, again=again, options=options)
    except GivenTwice as e:
        raise UserError(f"{e}. Nothing was imported; give it once") from None
    except AlreadyImported as e:
        raise UserError(f"{e}. Nothing was imported; add --again to import it a second time"
                        + (", or leave it out to analyse the project as it is"
                           if existing else "")) from None
    return [line for r in reports for line in r.lines()]


def check_sending_allowed(project: Project, allowed: str | None) -> None:
    """When theme discovery would embed with a server the project's settings name, refuse
    (UserError) unless the researcher named that server (``allowed``, --send-to): a project
    file or a study folder's settings made elsewhere must not send participants' words out
    unasked, as the window asks first. ``…/v1``, ``…/v1/`` and ``…/v1/embeddings`` are one
    server. Allowed: one line on stderr says where and how many before the first is sent."""
    from .themes.embeddings import backend_from_config, cached_among, endpoint, remote_endpoint
    cfg = project.setting("embedding_backend", None)
    target = remote_endpoint(cfg)
    if target is None:
        return
    if allowed is None or endpoint(allowed) != target:
        raise UserError(
            f"the project's settings embed the cards with the server {cfg['url']}: their texts "
            f"would be sent there. Nothing was sent. Add --send-to {cfg['url']} to allow it, or "
            "--no-themes" + (f" (--send-to names {allowed})" if allowed else ""))
    from .themes.project_themes import sortable_cards
    cached, unique = cached_among(project, backend_from_config(cfg).model_name,
                                  [c.text for c in sortable_cards(project)])
    send = unique - cached
    kept = f" ({cached:,} embedded before are not)" if cached else ""
    print(f"synth run: the project's settings embed with the server {target}: "
          f"{plural(send, 'card text')} will be sent there{kept}, then the "
          "candidate themes' keywords", file=sys.stderr, flush=True)


def main(args: argparse.Namespace, *, write_report: WriteReport,
         open_app: Callable[[str], int]) -> int:
    # the report's path first: a run must not import and analyse for minutes, and change the
    # project, only to find it cannot write the report (a missing folder, a folder given)
    if args.out is not None:
        check_output(args.out, label=f"--out {args.out}", what="the report")
    data = [Path(d) for d in args.data]
    for d in data:
        if not d.exists():
            raise UserError(f"{d}: no such file or folder")
    path = args.project or \
        Path("out") / f"{(data or [SAMPLE_STUDY])[0].resolve().name or 'study'}.synth"
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a Synth project file")
    if args.out is not None and args.out.resolve() == path.resolve():
        raise UserError(f"--out {args.out}: is the project file; give the report another name")
    fresh = args.new or not path.exists()
    replacing = args.new and path.exists()
    team_work = _team_work(path) if replacing else None
    if not data:
        # The sample study only ever makes a project of its own: an existing project is the
        # researcher's study, analysed and reported as it stands.
        if fresh:
            data = [SAMPLE_STUDY]
        else:
            print(f"no data given: analysing {path.name} as it is")
    started = time.perf_counter()
    pipe_closed = False

    def say(line: str) -> None:
        # a reader gone (`run … | head -2`) must not end the run before the new project is
        # in place (QA 39): the rest is not printed, the work goes on, status 141 at the end
        nonlocal pipe_closed
        if pipe_closed:
            return
        try:
            print(line, flush=True)
        except BrokenPipeError:
            pipe_closed = True

    def work(project: Project) -> None:
        # One transaction: refused (a file imported already, texts that would go to a server
        # not named), the project is left as it was, seed and study settings included.
        with project.transaction(bulk=True):    # import_all's joins it
            if args.seed is not None:   # the project's seed from now on, as the window's
                project.set_setting("themes.seed", args.seed)   # dialog stores it
            if args.groups is not None:
                from .votes.project_analysis import SETTING as GROUPS_SETTING
                project.set_setting(GROUPS_SETTING, args.groups)
            imported = _import(project, data, again=args.again, existing=not fresh,
                               options={"site": args.site, "workshop": args.workshop,
                                        "sheet": args.sheet, "debate": args.debate})
            if not args.no_themes:     # now the cards are known, before any of them is sent
                check_sending_allowed(project, args.send_to)
        for line in imported:           # kept: not said of an import then refused
            say(line)
        run_pipeline(project, [], report_path=args.out, write_report=write_report,
                     themes=not args.no_themes, groups=not args.no_groups, seed=args.seed,
                     log=say)
    backup = None
    try:
        if team_work:
            # the team's work is kept beside the project before --new replaces it (QA 23)
            backup = _backup_path(path)
            with Project.look(path) as old:
                old.save_as(backup).close()
            Path(str(backup) + ".lock").unlink(missing_ok=True)    # ours, released
        # a new project is built beside its path and put in place only once the whole run
        # succeeded
        project = Project.create(path, overwrite=True, fill=work) if fresh \
            else Project.open(path)
    except BaseException as e:
        if backup is not None and path.exists():     # the project was not replaced
            for leftover in (backup, Path(str(backup) + ".lock")):
                leftover.unlink(missing_ok=True)
        full = _disk_full(e, path)
        if full is not None:
            raise UserError(f"{full}: nothing was changed. Free some space and try again") \
                from None
        raise
    try:
        with project:
            if not fresh:
                work(project)
            print_summary(project)
    except BaseException as e:
        full = _disk_full(e, path)
        if full is not None:
            raise UserError(f"{full}: the step under way was not saved (what was done before "
                            "it is in the project). Free some space and run again") from None
        raise
    if replacing:
        if backup is not None:
            say(f"replaced {path.name}: the project that was there, with the team's work "
                f"({team_work}), is kept as {backup}")
        else:
            say(f"replaced {path.name} (it held no themes, codings, quotes or recommendations "
                "the team made)")
    say(f"project: {path}  ({time.perf_counter() - started:.1f} s)")
    if pipe_closed:
        raise BrokenPipeError       # the project is in place: end as a closed reader ends
    if args.open:
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
            return open_app(str(path))
        print("no display: the app was not opened (open the project with "
              f"`python main.py {path}`)")
    return 0


# The team's work in a project, as --new would lose it: (what, its plural, query counting it).
_TEAM_WORK = (
    ("theme", "themes", "SELECT count(*) FROM themes WHERE status = 'accepted' "
                        "OR name_edited = 1 OR run_id IS NULL"),
    ("coding", "codings", "SELECT count(*) FROM codings"),
    ("quote", "quotes", "SELECT count(*) FROM quotes"),
    ("recommendation", "recommendations", "SELECT count(*) FROM recommendations"),
    ("memo", "memos", "SELECT count(*) FROM memos"),
    ("dot vote", "dot votes", "SELECT count(*) FROM dot_votes"),
    ("segment", "segments", "SELECT count(*) FROM segments"),
    ("piece of evidence", "pieces of evidence", "SELECT count(*) FROM evidence"),
    # any step the team made since the project was created (a card dragged between candidate
    # themes changes nothing counted above): the undo history kept in the file
    ("step in the undo history", "steps in the undo history", "SELECT count(*) FROM history"),
)


def _team_work(path: Path) -> str | None:
    """The team's work the project at ``path`` holds, in words ("2 themes, 1 quote"); None
    when it holds none, or is not a project Synth can read (``create`` says so)."""
    import sqlite3

    from .project import ProjectError
    found = []
    try:
        with Project.look(path) as old:
            for what, many, sql in _TEAM_WORK:
                try:
                    n = int(old.scalar(sql) or 0)
                except sqlite3.Error:
                    continue
                if n:
                    found.append(plural(n, what, many))
    except (ProjectError, sqlite3.Error, OSError):
        return None
    return ", ".join(found) or None


def _backup_path(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.stem}.before-new-{stamp}{path.suffix}")
    n, out = 1, base
    while out.exists():
        n += 1
        out = base.with_name(f"{path.stem}.before-new-{stamp}-{n}{path.suffix}")
    return out


def _disk_full(error: BaseException, path: Path) -> str | None:
    """'the disk holding X is full (N KB free)' when ``error`` is a full disk's (QA 36: a
    traceback instead), else None. SQLite calls a file it cannot grow on a full disk an I/O
    error: that one counts when under a megabyte is free."""
    import errno
    import shutil
    import sqlite3
    try:
        free: int | None = shutil.disk_usage(path.resolve().parent).free
    except OSError:
        free = None
    text = str(error).lower()
    full = (isinstance(error, OSError) and error.errno == errno.ENOSPC) or (
        isinstance(error, sqlite3.OperationalError) and (
            "disk is full" in text
            or ("disk i/o error" in text and free is not None and free < 1024 * 1024)))
    if not full:
        return None
    return (f"the disk holding {path.name} is full"
            + (f" ({free // 1024:,} KB free)" if free is not None else ""))
