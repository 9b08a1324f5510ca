"""The question before a theme is deleted with the team's work on it.

Deleting a theme (Dissolve, Delete theme, the Codebook's Delete) takes with it what hangs on the
theme: recommendations and their evidence, the theme's own evidence, codings, dots, memos, its
description and summaries. A bare candidate theme goes without a word; one that carries any of
that is deleted only when the researcher says so, having read what goes.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from synth.board import theme_work as board_theme_work
from synth.words import and_list, plural


def theme_work(project: Any, theme_ids: Sequence[int]) -> list[str]:
    """What deleting these themes deletes with them, in words ("1 recommendation",
    "4 pieces of evidence", "its description" …); empty: nothing of the team's."""
    w = board_theme_work(project, theme_ids)
    out = [plural(n, one, many) for n, one, many in (
        (w.recommendations, "recommendation", None),
        (w.evidence, "piece of evidence", "pieces of evidence"),
        (w.codings, "coded passage", None), (w.dots, "dot", None), (w.memos, "memo", None))
        if n > 0]
    own = "its" if len(theme_ids) == 1 else "their"
    if w.described:
        out.append(f"{own} description")
    if w.summarised:
        out.append(f"{own} summaries")
    return out


def delete_question(project: Any, theme_ids: Sequence[int], names: Sequence[str]) -> str:
    """The question's text, or "" when the themes carry none of the team's work."""
    work = theme_work(project, theme_ids)
    if not work:
        return ""
    one = len(theme_ids) == 1
    which = f"“{names[0]}”" if len(names) == 1 else f"{len(names)} themes"
    goes = and_list(work)
    return (f"Delete {which}? {goes[0].upper()}{goes[1:]} will be deleted with "
            f"{'it' if one else 'them'}. {'Its' if one else 'Their'} cards stay on the board "
            "(in the parent theme, or unsorted). Ctrl+Z brings everything back.")


def ask_destructive(parent: QWidget | None, title: str, text: str, verb: str) -> bool:
    """A warning box whose default is Cancel; True when the researcher pressed ``verb``."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Cancel, parent)
    do = box.addButton(verb, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName(f"{title}?")
    box.exec()
    return box.clickedButton() is do


def _ask_box(parent: QWidget | None, text: str) -> bool:
    return ask_destructive(parent, "Delete theme", text, "Delete")


# The question itself (tests put an answer here instead of a modal box).
ask: Callable[[QWidget | None, str], bool] = _ask_box


def confirm_delete_themes(parent: QWidget | None, project: Any, theme_ids: Sequence[int],
                          names: Sequence[str] | None = None) -> bool:
    """True when the themes may be deleted: they carry none of the team's work, or the
    researcher, told what goes with them, said Delete."""
    if project is None or not theme_ids:
        return bool(theme_ids)
    if names is None:
        marks = ",".join("?" for _ in theme_ids)
        names = [r[0] for r in project.query(
            f"SELECT name FROM themes WHERE id IN ({marks}) ORDER BY id", list(theme_ids))]
    text = delete_question(project, theme_ids, names)
    return not text or ask(parent, text)
