"""The question before a theme is deleted with the team's work on it.

Deleting a theme (Dissolve, Delete theme, the Codebook's Delete) takes with it what hangs on the
theme: recommendations and their evidence, the theme's own evidence, codings, dots, memos, its
description and summaries. A bare candidate theme goes without a word; one that carries any of
that is deleted only when the researcher says so, having read what goes.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from synth.importers.common import and_list, plural


def _count(project: Any, sql: str, ids: Sequence[int]) -> int:
    marks = ",".join("?" for _ in ids)
    return int(project.scalar(sql.replace("{ids}", marks), [*ids] * sql.count("{ids}")) or 0)


def theme_work(project: Any, theme_ids: Sequence[int]) -> list[str]:
    """What deleting these themes deletes with them, in words ("1 recommendation",
    "4 pieces of evidence", "its description" …); empty: nothing of the team's."""
    ids = [int(t) for t in theme_ids]
    if not ids:
        return []
    recs = _count(project, "SELECT count(*) FROM recommendations WHERE theme_id IN ({ids})", ids)
    evidence = _count(project, (
        "SELECT count(*) FROM evidence WHERE theme_id IN ({ids}) OR recommendation_id IN "
        "(SELECT id FROM recommendations WHERE theme_id IN ({ids})) OR (item_kind = 'coding' "
        "AND item_id IN (SELECT id FROM codings WHERE theme_id IN ({ids})))"), ids)
    codings = _count(project, "SELECT count(*) FROM codings WHERE theme_id IN ({ids})", ids)
    dots = _count(project, "SELECT coalesce(sum(dots), 0) FROM dot_votes "
                           "WHERE theme_id IN ({ids})", ids)
    memos = _count(project, "SELECT count(*) FROM memos WHERE target_kind = 'theme' AND "
                            "target_id IN ({ids})", ids)
    out = [plural(n, one, many) for n, one, many in (
        (recs, "recommendation", None), (evidence, "piece of evidence", "pieces of evidence"),
        (codings, "coded passage", None), (dots, "dot", None), (memos, "memo", None)) if n > 0]
    own = "its" if len(ids) == 1 else "their"
    marks = ",".join("?" for _ in ids)
    texts = project.query(f"SELECT description, summary_shared, summary_want FROM themes "
                          f"WHERE id IN ({marks})", ids)
    if any((r[0] or "").strip() for r in texts):
        out.append(f"{own} description")
    if any((r[1] or "").strip() or (r[2] or "").strip() for r in texts):
        out.append(f"{own} summaries")
    return [w for w in out if w]


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
