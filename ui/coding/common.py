"""What the coding panels share: applying operations, the board's card MIME type, offsets."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Any, Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from synth.operations import ChangeSet

from ..cards_mime import CARDS_MIME, cards_mime, refs_from_mime  # noqa: F401 - re-exported
from ..panels.reading import Background, CatchesUpInSight, Reads
from .autosave import AutosaveText


def button(text: str, accessible_name: str, slot: Callable[[], Any]) -> QPushButton:
    """A push button with its accessible name and action: every panel button needs all three."""
    b = QPushButton(text)
    b.setAccessibleName(accessible_name)
    b.clicked.connect(slot)
    return b


def column_reader(table: str, column: str) -> Callable[[Any, Any], str | None]:
    """``read`` for a field showing ``column`` of one row of ``table`` (key: the row's id)."""
    def read(project: Any, key: Any) -> str | None:
        rows = project.query(f"SELECT {column} FROM {table} WHERE id = ?", (int(key),))
        return None if not rows else (rows[0][0] or "")
    return read


def light(colour: str, alpha: int = 90) -> QColor:
    c = QColor(colour)
    if not c.isValid():
        c = QColor("#4e79a7")
    c.setAlpha(alpha)
    return c


# Qt counts UTF-16 code units; the project counts code points (as REFI-QDA does). A character
# beyond the BMP (an emoji) is two units. The positions of those in a text are found once (a
# transcript's 300 highlights converted 600 offsets, each scanning the text: 1 s per refresh).
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=8)
def _astral_positions(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _ASTRAL.finditer(text))


def py_to_qt(text: str, i: int) -> int:
    return i + bisect_left(_astral_positions(text), i)


def qt_to_py(text: str, q: int) -> int:
    """The first code point at or after UTF-16 unit ``q`` (the text's end past it)."""
    astral = _astral_positions(text)
    if not astral:
        return min(max(q, 0), len(text))
    n = bisect_left(range(len(text)), q, key=lambda n: n + bisect_left(astral, n))
    return min(n, len(text))


# a row an operation looked for is gone (undone, or deleted in another panel): said in words,
# not as the project's key ("recommendations (1,) does not exist")
_GONE = re.compile(r"^(\w+) \(.*\) does not exist$")
_THINGS = {"recommendations": "the recommendation", "themes": "the theme",
           "memos": "the memo", "quotes": "the quote", "evidence": "the evidence",
           "codings": "the coding", "documents": "the document"}


def gone(error: KeyError) -> str:
    text = str(error.args[0]) if error.args else str(error)
    m = _GONE.match(text)
    if m is None:
        return text
    thing = _THINGS.get(m.group(1), "what this was for")
    return f"{thing} no longer exists (undone or deleted meanwhile)."


class PanelMessage(QLabel):
    """A panel's line under its controls: a problem in red (``setText``), news of something
    done in plain colour (``tell``)."""
    PROBLEM, NEWS = "color: #b00020", "color: #1b5e20"

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        if self.styleSheet() != self.PROBLEM:
            self.setStyleSheet(self.PROBLEM)
        super().setText(text)

    def tell(self, text: str) -> None:
        super().setText(text)
        self.setStyleSheet(self.NEWS)


class PanelBase(CatchesUpInSight, QWidget):
    """A panel bound to whatever project is open: ``project_provider()`` may return None.
    ``background`` (set by the window, see ``ui.panels.reading``) lets ``reads`` run a slow
    read on a worker over a big project.

    A panel reads the project again (``refresh``) only when a change touched what it shows
    (``shows``: the tables its queries read and the columns it shows; see ``Follows``)."""

    background: Background | None = None
    # the open project's recovery journal, when the window keeps one (``recovery``)
    journal: Callable[[], Any] | None = None

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.project_provider = project_provider
        # a slow read (a big theme's strength): at once over a small project, else on a worker
        self.reads = Reads(project_provider, lambda: self.background)
        self.message = PanelMessage("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Panel message")
        self.message.setStyleSheet(PanelMessage.PROBLEM)
        self.autosaves: list[AutosaveText] = []

    @property
    def project(self) -> Any:
        return self.project_provider()

    def writable(self) -> bool:
        p = self.project
        return p is not None and not p.read_only

    def autosave(self, widget: QLineEdit | QPlainTextEdit, save: Callable[[Any, str], Any],
                 normalise: Callable[[str], str] = lambda s: s, *, name: str,
                 read: Callable[[Any, Any], str | None]) -> AutosaveText:
        """Make ``widget`` write itself through ``save(key, text)``, which applies an
        operation with ``write`` (and may return a new key, e.g. of a memo it created).
        ``name`` (stable: recovery journals keep it) and ``read(project, key)``, what the
        project holds for the key or None, let words lost in a crash be offered back."""
        if isinstance(widget, QPlainTextEdit):
            # Tab walks on to the next field, as in every other field of the window: typed
            # into the text, it trapped a keyboard-only researcher and saved tab characters
            widget.setTabChangesFocus(True)
        field = AutosaveText(widget, save, normalise, name=name, read=read,
                             journal=lambda: self.journal() if self.journal else None)
        self.autosaves.append(field)
        return field

    def unbind(self) -> None:
        """The project is going: write what was typed, then empty and disable the fields until
        the next ``refresh`` binds them to the new one (typing in between has nowhere to go)."""
        for field in self.autosaves:
            field.load(None, "")

    def flush(self) -> None:
        """Write every edit still pending in this panel's text fields."""
        for field in self.autosaves:
            field.flush()

    def apply(self, operation: Any) -> Any:
        """Apply one operation (one undo step, saved at once); errors shown, not raised.
        What was typed is written first, as its own step, so the two never mix up. The panel
        shows the result on return (what follows may look for a row just made); the window's
        refresh then passes it by, unless another change touched it meanwhile."""
        self.flush()
        return self._apply(operation, refresh=True)

    def write(self, operation: Any) -> Any:
        """Apply the operation an autosaving field makes: the fields already show its result,
        so the panel is not rebuilt under the researcher's cursor (a writer that changes
        something shown elsewhere in the panel, a list's label, updates that itself)."""
        return self._apply(operation, refresh=False)

    def _apply(self, operation: Any, refresh: bool) -> Any:
        p = self.project
        if p is None:
            self.message.setText("Open a project first.")
            return None
        if p.read_only:
            self.message.setText("This project is open read-only.")
            return None
        was_stale = self.stale
        # the operation's own changes, also when no window passes them on (a panel alone)
        made: list[ChangeSet] = []
        p.history.listeners.append(made.append)
        try:
            result = p.history.apply(operation)
        except KeyError as e:
            self.message.setText(f"Not done: {gone(e)}")
            return None
        except ValueError as e:
            self.message.setText(f"Not done: {e}")
            return None
        finally:
            p.history.listeners.remove(made.append)
        self.message.setText("")
        if refresh:
            for changes in made:
                self.note_changes(changes)
            self.catch_up()
        else:
            self.stale = was_stale
        return result

    # ---------------------------------------------------------------- keeping up to date
    def read_now(self) -> None:
        self.refresh()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override: a closed panel
        self.flush()
        super().hideEvent(event)

    def up_to_date(self) -> None:
        """Read now if stale, in sight or not: asked to show something in the panel (a theme,
        a document), which must be picked from what the project holds now."""
        if self.stale:
            self.stale = False
            self.refresh()

    def on_seen(self) -> None:
        try:
            self.catch_up()
        except Exception as e:  # noqa: BLE001 - no window to tell here: the panel says it
            self.message.setText(f"Could not read the project: {e}")

    def refresh(self) -> None:  # pragma: no cover - overridden
        pass
