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
    parser.add_argument("--zoom", choices=("fit", "readable"), default="fit",
                        help="with --screenshot: the whole board, or the largest theme readable")
    parser.add_argument("--size", default="1600x1000", metavar="WxH",
                        help="with --screenshot: window size (default 1600x1000)")


def main(args: argparse.Namespace) -> int:
    if args.screenshot:
        w, _, h = str(args.size).partition("x")
        return screenshot(args.project, args.screenshot, presentation=args.presentation,
                          size=(int(w), int(h or 1000)), zoom=args.zoom)
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
    if window.settings.geometry is None:     # first start on this computer: fit the screen
        _fit_to_screen(window)
    else:
        window.show()
    if project:
        # open after the first paint: the window appears at once, the board fills in
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, lambda: window.open_project(Path(project)))
    return app.exec()


def _fit_to_screen(window) -> None:
    """Show the window at a size made for its screen: maximised on a laptop (a 1440 × 900
    window does not fit 1366 × 768), otherwise 1600 × 1000 or nine tenths of the screen,
    centred."""
    screen = window.screen()
    if screen is None:
        window.show()
        return
    room = screen.availableGeometry()
    if room.width() < 1500 or room.height() < 900:
        window.showMaximized()
        return
    w, h = min(1600, room.width() * 9 // 10), min(1000, room.height() * 9 // 10)
    window.resize(w, h)
    window.move(room.x() + (room.width() - w) // 2, room.y() + (room.height() - h) // 2)
    window.show()


def render_window(window, out: Path) -> bool:
    from PySide6.QtWidgets import QApplication
    for _ in range(5):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    return window.grab().save(str(out))


def screenshot(project: Path | None, out: Path, *, presentation: bool = False,
               size: tuple[int, int] = (1600, 1000), zoom: str = "fit") -> int:
    import os
    import tempfile
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = _application()
    from PySide6.QtCore import QPointF, QSettings
    from .main_window import MainWindow
    from .settings import Settings
    # a throwaway settings file: a screenshot shows the default layout, whatever the user did
    tmp = tempfile.mkdtemp(prefix="synth-shot-")
    settings = Settings(QSettings(os.path.join(tmp, "settings.ini"), QSettings.IniFormat))
    window = MainWindow(settings)
    window.resize(*size)
    window.show()
    if project:
        if not window.open_project(project):
            print(f"synth gui: {window.notify.messages[-1][1]}", file=sys.stderr)
            window.close()
            return 1
    if presentation:
        window.set_presentation(True, full_screen=False)
    app.processEvents()
    window.view.fit_all()
    if zoom == "readable" and window.scene.themes:
        members = window.scene.members()
        biggest = max(window.scene.themes, key=lambda t: len(members.get(t, [])))
        cards = sorted(members.get(biggest, []), key=lambda c: c.kind != "statement")
        if cards:
            item = window.scene.card_items[cards[0].ref]
            window.view.focus_card(item)
            z = 0.75 if not presentation else 0.6
            window.view.set_zoom(z)
            vp = window.view.viewport().size()
            top_left = window.scene.frame_rect(biggest).topLeft()
            window.view.centerOn(top_left + QPointF(vp.width() / 2 / z - 30,
                                                    vp.height() / 2 / z - 30))
    ok = render_window(window, out)
    window.close()
    if ok:
        print(f"wrote {out}")
    return 0 if ok else 1
