"""Votes view: the opinion map, per-group agreement for the selected statement, and a sortable
table of statements (agreement, consensus, divisiveness, per group). Drawn with QPainter from
the latest opinion-groups run in the project: no matplotlib at start-up."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ..board.style import GROUP_COLOURS

SMALL_N = 10
_VOTE_COLOURS = {1: QColor("#2e9d4f"), -1: QColor("#d1443a"), 0: QColor("#9aa0a6")}


def group_name(i: int) -> str:
    return f"Group {chr(65 + i)}"


class OpinionMap(QWidget):
    """Participants in the opinion space, coloured by group, or by their vote on a statement."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Opinion map")
        self.setMinimumHeight(180)
        self.points = np.zeros((0, 2))
        self.groups = np.zeros(0, dtype=int)
        self.votes: np.ndarray | None = None
        self.caption = ""

    def set_data(self, points: np.ndarray, groups: np.ndarray) -> None:
        self.points, self.groups, self.votes = points, groups, None
        self.update()

    def set_votes(self, votes: np.ndarray | None, caption: str = "") -> None:
        self.votes, self.caption = votes, caption
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setRenderHint(QPainter.Antialiasing, True)
        if not len(self.points):
            p.setPen(QColor("#666666"))
            p.drawText(self.rect(), Qt.AlignCenter | Qt.TextWordWrap,
                       "No opinion groups yet: Analysis → Find opinion groups")
            return
        r = QRectF(self.rect()).adjusted(10, 10, -10, -24)
        lo, hi = self.points.min(axis=0), self.points.max(axis=0)
        span = np.where(hi - lo > 0, hi - lo, 1.0)
        xy = (self.points - lo) / span
        p.setPen(Qt.NoPen)
        for i, (x, y) in enumerate(xy):
            if self.votes is not None:
                v = self.votes[i]
                colour = _VOTE_COLOURS.get(int(v), QColor("#e4e6ea")) if v > -9 else \
                    QColor("#e4e6ea")
            else:
                g = self.groups[i]
                colour = QColor(GROUP_COLOURS[g % len(GROUP_COLOURS)]) if g >= 0 else \
                    QColor("#cccccc")
            p.setBrush(colour)
            p.drawEllipse(QPointF(r.left() + x * r.width(), r.top() + (1 - y) * r.height()),
                          2.6, 2.6)
        p.setPen(QColor("#333333"))
        caption = self.caption or " · ".join(
            f"{group_name(g)}: {int((self.groups == g).sum())}"
            for g in sorted(set(self.groups.tolist())) if g >= 0)
        p.drawText(QRectF(10, self.height() - 22, self.width() - 20, 20),
                   Qt.AlignLeft | Qt.AlignVCenter, caption)


class GroupBars(QWidget):
    """Agree / disagree / pass per group for one statement, as % of those who voted, with n."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Agreement by opinion group")
        self.rows: list[tuple[str, int, int, int]] = []
        self.setMinimumHeight(90)

    def set_rows(self, rows: list[tuple[str, int, int, int]]) -> None:
        self.rows = rows
        self.setMinimumHeight(26 * max(1, len(rows)) + 10)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if not self.rows:
            p.setPen(QColor("#666666"))
            p.drawText(self.rect(), Qt.AlignCenter, "Select a statement")
            return
        w = self.width()
        for i, (name, a, d, s) in enumerate(self.rows):
            y = 6 + i * 26
            n = a + d + s
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(6, y, 90, 20), Qt.AlignLeft | Qt.AlignVCenter, name)
            bar = QRectF(100, y + 4, w - 230, 12)
            x = bar.left()
            for count, colour in ((a, _VOTE_COLOURS[1]), (d, _VOTE_COLOURS[-1]),
                                  (s, _VOTE_COLOURS[0])):
                if n and count:
                    seg = bar.width() * count / n
                    p.fillRect(QRectF(x, bar.top(), seg, bar.height()), colour)
                    x += seg
            p.setPen(QPen(QColor("#bbbbbb")))
            p.drawRect(bar)
            p.setPen(QColor("#222222"))
            text = f"{round(100 * a / n)} % agree, n={n}" if n else "no votes"
            if 0 < n < SMALL_N:
                text += " (small n)"
            p.drawText(QRectF(bar.right() + 6, y, 124, 20), Qt.AlignLeft | Qt.AlignVCenter, text)


class _Num(QTableWidgetItem):
    def __init__(self, value: float | None, text: str) -> None:
        super().__init__(text)
        self.value = -1.0 if value is None else float(value)

    def __lt__(self, other) -> bool:
        return self.value < getattr(other, "value", -1.0)


class VotesPanel(QWidget):
    statement_chosen = Signal(int)

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.project_provider = project_provider
        self.setAccessibleName("Votes")
        self.map = OpinionMap()
        self.bars = GroupBars()
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Selected statement")
        self.table = QTableWidget()
        self.table.setAccessibleName("Statements: click a column to sort")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.itemActivated.connect(self._on_row_activated)
        self.table.cellClicked.connect(lambda r, _c: self._on_row_activated(self.table.item(r, 0)))
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.map, 3)
        tl.addWidget(self.title)
        tl.addWidget(self.bars)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(self.table)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.run_id: int | None = None
        self.participants = np.zeros(0)
        self.group_ids: list[int] = []
        self._stale = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        # 100,000 statements take seconds to put in the table: a hidden panel (behind another
        # tab) waits until it is shown, so opening a big project does not freeze the window
        if not self.isVisible() and self.project_provider() is not None:
            self._stale = True
            return
        self._stale = False
        p = self.project_provider()
        self.run_id = None
        if p is None:
            self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int))
            self.table.setRowCount(0)
            return
        self.run_id = p.scalar("SELECT max(run_id) FROM group_members")
        members: dict[int, int] = {}
        if self.run_id is not None:
            members = {r[0]: r[1] for r in p.query(
                "SELECT participant_id, group_id FROM group_members WHERE run_id = ?",
                (self.run_id,))}
            self.group_ids = sorted(set(members.values()))
            proj = p.get_array(self.run_id, "projection")
            pids = p.get_array(self.run_id, "participant_ids")
            if proj is not None and pids is not None and len(proj) == len(pids):
                self.participants = pids.astype(np.int64)
                gi = {g: i for i, g in enumerate(self.group_ids)}
                groups = np.array([gi.get(members.get(int(x), -99), -1)
                                   for x in self.participants])
                self.map.set_data(np.asarray(proj, dtype=float)[:, :2], groups)
            else:
                self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int))
        else:
            self.group_ids = []
            self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int))
        self._fill_table(p)

    def _fill_table(self, p: Any) -> None:
        gi = {g: i for i, g in enumerate(self.group_ids)}
        per: dict[int, list[tuple[int, int]]] = {}
        if self.run_id is not None:
            for sid, g, a, n in p.query(
                    "SELECT v.statement_id, gm.group_id, sum(v.value = 1), count(*) FROM votes v "
                    "JOIN group_members gm ON gm.participant_id = v.participant_id "
                    "AND gm.run_id = ? GROUP BY 1, 2", (self.run_id,)):
                per.setdefault(sid, [(0, 0)] * len(self.group_ids))[gi[g]] = (int(a), int(n))
        rows = p.query(
            "SELECT s.id, s.text, coalesce(v.a, s.agree_tally, 0), coalesce(v.n, "
            "coalesce(s.agree_tally, 0) + coalesce(s.disagree_tally, 0) + "
            "coalesce(s.pass_tally, 0)) FROM statements s LEFT JOIN (SELECT statement_id, "
            "sum(value = 1) AS a, count(*) AS n FROM votes GROUP BY 1) v "
            "ON v.statement_id = s.id WHERE s.moderation >= 0 AND s.is_meta = 0")
        names = [group_name(i) for i in range(len(self.group_ids))]
        headers = ["Statement", "Votes", "% agree", *[f"{n} %" for n in names]]
        if names:
            headers += ["Consensus (lowest group %)", "Divisiveness (spread)"]
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for i, (sid, text, a, n) in enumerate(rows):
            item = QTableWidgetItem(text)
            item.setData(Qt.UserRole, sid)
            item.setToolTip(text)
            self.table.setItem(i, 0, item)
            self.table.setItem(i, 1, _Num(n, f"{n:,}"))
            share = a / n if n else None
            self.table.setItem(i, 2, _Num(share, f"{round(100 * share)}" if share is not None
                                          else "—"))
            shares = []
            for j, (ga, gn) in enumerate(per.get(sid, [(0, 0)] * len(names))):
                s = ga / gn if gn else None
                shares.append(s)
                label = "—" if s is None else f"{round(100 * s)}" + \
                    (" (n<10)" if gn < SMALL_N else "")
                self.table.setItem(i, 3 + j, _Num(s, label))
            if names:
                known = [s for s in shares if s is not None]
                lo = min(known) if len(known) == len(shares) and known else None
                spread = (max(known) - min(known)) if len(known) >= 2 else None
                self.table.setItem(i, 3 + len(names), _Num(lo, "—" if lo is None
                                                            else f"{round(100 * lo)}"))
                self.table.setItem(i, 4 + len(names), _Num(spread, "—" if spread is None
                                                            else f"{round(100 * spread)}"))
        self.table.setSortingEnabled(True)
        self.table.setColumnWidth(0, 320)

    def show_statement(self, statement_id: int) -> None:
        p = self.project_provider()
        if p is None:
            return
        text = p.scalar("SELECT text FROM statements WHERE id = ?", (statement_id,)) or ""
        self.title.setText(text)
        votes = {r[0]: r[1] for r in p.query(
            "SELECT participant_id, value FROM votes WHERE statement_id = ?", (statement_id,))}
        if len(self.participants):
            self.map.set_votes(np.array([votes.get(int(x), -99) for x in self.participants]),
                               "Coloured by their vote: agree green, disagree red, pass grey")
        rows = []
        if self.run_id is not None:
            counts = {g: [0, 0, 0] for g in self.group_ids}
            for g, v, n in p.query(
                    "SELECT gm.group_id, v.value, count(*) FROM votes v JOIN group_members gm "
                    "ON gm.participant_id = v.participant_id AND gm.run_id = ? "
                    "WHERE v.statement_id = ? GROUP BY 1, 2", (self.run_id, statement_id)):
                counts[g][{1: 0, -1: 1, 0: 2}[v]] = n
            rows = [(group_name(i), *counts[g]) for i, g in enumerate(self.group_ids)]
        a = sum(1 for v in votes.values() if v == 1)
        d = sum(1 for v in votes.values() if v == -1)
        s = sum(1 for v in votes.values() if v == 0)
        if not votes:
            t = p.query("SELECT agree_tally, disagree_tally, pass_tally FROM statements "
                        "WHERE id = ?", (statement_id,))
            if t and t[0][0] is not None:
                a, d, s = (int(x or 0) for x in t[0])
        self.bars.set_rows([("Everyone", a, d, s), *rows])

    def _on_row_activated(self, item) -> None:
        if item is None:
            return
        row = item.row()
        first = self.table.item(row, 0)
        if first is not None:
            sid = int(first.data(Qt.UserRole))
            self.show_statement(sid)
            self.statement_chosen.emit(sid)
