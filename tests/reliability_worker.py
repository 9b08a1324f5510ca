"""A Synth process for the crash tests to kill: it works on a project, forever, until SIGKILL.

``python reliability_worker.py MODE PROJECT``; it prints ``ready`` once the project is open, then
one line per committed unit of work. Modes:

- ``ops``: board operations (each one theme created, three cards moved in, a dot vote, a
  rename — one operation, so all four or none), with undo/redo and a save-as copy now and then;
- ``import``: the sample study's notes, debate and a transcript imported again and again;
- ``analysis``: opinion groups of the sample debate computed and stored again and again;
- ``hold``: open the project and wait (for the two-instances test).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synth.board import CreateTheme, MoveCards  # noqa: E402
from synth.operations import Operation, Tx  # noqa: E402
from synth.project import Project  # noqa: E402

SAMPLE = ROOT / "sample_data"
IMPORTS = [SAMPLE / "workshop_notes.csv", SAMPLE / "debate",
           SAMPLE / "transcripts" / "cardiff_table3.docx"]


@dataclass
class SessionStep(Operation):
    """One step of a synthesis session: a theme with three cards and a dot, then renamed."""
    k: int
    cards: list

    def run(self, tx: Tx) -> int:
        from synth.board import CastDots, UpdateTheme
        tid = CreateTheme(f"t{self.k}").run(tx)
        MoveCards(self.cards, tid).run(tx)
        CastDots(tid, "Ana").run(tx)
        UpdateTheme(tid, {"name": f"t{self.k} done"}).run(tx)
        return tid


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ops(project: Project) -> None:
    statements = [r[0] for r in project.query("SELECT id FROM statements ORDER BY id")]
    k = project.scalar("SELECT count(*) FROM themes")
    say("ready")
    while True:
        n = len(statements)
        cards = [("statement", statements[(3 * k + j) % n]) for j in range(3)]
        project.history.apply(SessionStep(k, cards))
        say(f"committed {k}")
        if k % 5 == 4:          # a wrong drag, undone and redone
            project.history.undo()
            say(f"undone {k}")
            project.history.redo()
            say(f"redone {k}")
        if k % 10 == 9:
            project.save_as(project.path.with_name("copy.synth")).close()
        k += 1


def imports(project: Project) -> None:
    from synth.importers import import_path
    say("ready")
    i = project.scalar("SELECT count(*) FROM sources")
    while True:
        import_path(project, IMPORTS[i % len(IMPORTS)], again=True)   # the same files, on purpose
        say(f"imported {i}")
        i += 1


def analysis(project: Project) -> None:
    from synth.votes.project_analysis import run_opinion_groups
    say("ready")
    i = 0
    while True:
        run_opinion_groups(project, seed=i % 3)
        say(f"analysed {i}")
        i += 1


def hold(project: Project) -> None:
    say("ready")
    for line in sys.stdin:      # each line from the test: one more committed theme
        project.history.apply(CreateTheme(line.strip()))
        say("written")
    time.sleep(3600)


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    project = Project.open(path)
    {"ops": ops, "import": imports, "analysis": analysis, "hold": hold}[mode](project)


if __name__ == "__main__":
    main()
