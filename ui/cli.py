"""Opening the app, and `python main.py gui PROJECT --screenshot OUT.png` for a headless look."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", type=Path, help="a .synth project to open")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png",
                        help="render the main window offscreen into a PNG and exit")
    parser.add_argument("--presentation", action="store_true",
                        help="with --screenshot: presentation mode")


def main(args: argparse.Namespace) -> int:
    if args.screenshot:
        return screenshot(args.project, args.screenshot, presentation=args.presentation)
    return open_app(str(args.project) if args.project else None)


def _application():
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Synth")
    app.setOrganizationName("Synth")
    return app


def open_app(project: str | None) -> int:
    app = _application()
    from .main_window import MainWindow
    window = MainWindow()
    if project:
        window.open_project(Path(project))
    window.show()
    return app.exec()


def screenshot(project: Path | None, out: Path, *, presentation: bool = False) -> int:
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = _application()
    from .main_window import MainWindow
    window = MainWindow()
    window.resize(1600, 1000)
    if project:
        window.open_project(project)
    if presentation and hasattr(window, "set_presentation"):
        window.set_presentation(True)
    window.show()
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(out))
    window.close()
    return 0 if ok else 1
