"""Votes view: the opinion map, per-group agreement for the selected statement, and a sortable
table of statements (agreement, consensus, divisiveness, per group). Drawn with QPainter from
the latest opinion-groups run in the project: no matplotlib at start-up.

What the panel shows is read by ``read`` (SQL and numpy, no Qt) and put on screen by ``show``;
over a big debate (2,000,000 votes) the window runs ``read`` on a worker with its own
connection (``background``), so the GUI thread only takes the finished arrays."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableView,
                               QVBoxLayout, QWidget)

from synth.votes.statement_figures import group_label

from ..board.style import GROUP_COLOURS
from .reading import ReadThenShow

SMALL_N = 10
_VOTE_COLOURS = {1: QColor("#2e9d4f"), -1: QColor("#d1443a"), 0: QColor("#9aa0a6")}


def group_name(i: int) -> str:
    return f"Group {group_label(i)}"


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


SORT_ROLE = Qt.UserRole + 1     # the number a column sorts by (-1 when there is none)


def _pct(value: float) -> str:
    return "—" if value != value else f"{round(100 * value)}"


class StatementsModel(QAbstractTableModel):
    """The statements table as plain arrays: one row per statement, cells formatted only when
    the view asks for them (a 100,000-row project paints a screenful, not 500,000 items)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.ids = np.zeros(0, dtype=np.int64)
        self.texts: list[str] = []
        self.keys = np.zeros((0, 0))       # per column sort key, NaN-free (-1 for none)
        self.values = np.zeros((0, 0))     # per column value, NaN for none (cols 1..)
        self.small = np.zeros((0, 0), dtype=bool)   # group cells with n < SMALL_N
        self.n_groups = 0
        self.order = np.zeros(0, dtype=np.int64)

    def set_rows(self, headers: list[str], ids, texts: list[str], values: np.ndarray,
                 small: np.ndarray, n_groups: int) -> None:
        self.beginResetModel()
        self.headers, self.texts, self.n_groups = headers, texts, n_groups
        self.ids = np.asarray(ids, dtype=np.int64)
        self.values = values
        self.keys = np.where(np.isnan(values), -1.0, values)
        self.small = small
        self.order = np.arange(len(texts), dtype=np.int64)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and \
                0 <= section < len(self.headers):
            return self.headers[section]
        return super().headerData(section, orientation, role)

    def statement_id(self, row: int) -> int:
        return int(self.ids[self.order[row]])

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        i, c = int(self.order[index.row()]), index.column()
        if c == 0:
            if role in (Qt.DisplayRole, Qt.ToolTipRole):
                return self.texts[i]
            if role == Qt.UserRole:
                return int(self.ids[i])
            return None
        if role == SORT_ROLE:
            return float(self.keys[i, c])
        if role != Qt.DisplayRole:
            return None
        v = self.values[i, c]
        if c == 1:
            return f"{int(v):,}"
        if 3 <= c < 3 + self.n_groups and v == v:
            return _pct(v) + (" (n<10)" if self.small[i, c] else "")
        return _pct(v)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not (0 <= column < len(self.headers)) or not len(self.order):
            return
        self.layoutAboutToBeChanged.emit()
        if column == 0:
            idx = sorted(self.order.tolist(), key=self.texts.__getitem__,
                         reverse=order == Qt.DescendingOrder)
            self.order = np.asarray(idx, dtype=np.int64)
        else:
            key = self.keys[self.order, column]     # stable over the current order, as Qt
            self.order = self.order[np.argsort(-key if order == Qt.DescendingOrder else key,
                                               kind="stable")]
        self.layoutChanged.emit()


def _read_table(p: Any, run_id: int | None, group_ids: list[int]) -> tuple:
    """The statements table: headers, ids, texts, values, small-n marks, number of groups."""
    per: list = []
    if run_id is not None:
        per = p.query(
            "SELECT v.statement_id, gm.group_id, sum(v.value = 1), count(*) FROM votes v "
            "JOIN group_members gm ON gm.participant_id = v.participant_id "
            "AND gm.run_id = ? GROUP BY 1, 2", (run_id,))
    rows = p.query(
        "SELECT s.id, s.text, coalesce(v.a, s.agree_tally, 0), coalesce(v.n, "
        "coalesce(s.agree_tally, 0) + coalesce(s.disagree_tally, 0) + "
        "coalesce(s.pass_tally, 0)) FROM statements s LEFT JOIN (SELECT statement_id, "
        "sum(value = 1) AS a, count(*) AS n FROM votes GROUP BY 1) v "
        "ON v.statement_id = s.id WHERE s.moderation >= 0 AND s.is_meta = 0")
    names = [group_name(i) for i in range(len(group_ids))]
    headers = ["Statement", "Votes", "% agree", *[f"{n} %" for n in names]]
    if names:
        headers += ["Consensus (lowest group %)", "Divisiveness (spread)"]
    k, nan, m = len(names), float("nan"), len(rows)
    # plain arrays in one pass, no Python loop per cell
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=m)
    texts = [r[1] for r in rows]
    agrees = np.fromiter((r[2] for r in rows), dtype=float, count=m)
    n_arr = np.fromiter((r[3] for r in rows), dtype=float, count=m)
    values = np.full((m, len(headers)), nan)
    small = np.zeros((m, len(headers)), dtype=bool)
    if m:
        values[:, 1] = n_arr
        with np.errstate(divide="ignore", invalid="ignore"):
            values[:, 2] = np.where(n_arr > 0, agrees / n_arr, nan)
            if k:
                ga_arr = np.zeros((m, k))
                gn_arr = np.zeros((m, k))
                if per:
                    # through a generator, not np.asarray(list of rows): that one C call
                    # held the interpreter's lock 0.4 s for 500,000 rows on a worker
                    t = np.fromiter((x for r in per for x in r), dtype=np.int64,
                                    count=4 * len(per)).reshape(-1, 4)
                    by_id = np.argsort(ids, kind="stable")
                    pos = np.searchsorted(ids, t[:, 0], sorter=by_id).clip(0, m - 1)
                    row = by_id[pos]
                    gcol = np.searchsorted(np.asarray(group_ids), t[:, 1])
                    ok = ids[row] == t[:, 0]            # statements shown in the table
                    ga_arr[row[ok], gcol[ok]] = t[ok, 2]
                    gn_arr[row[ok], gcol[ok]] = t[ok, 3]
                shares = np.where(gn_arr > 0, ga_arr / gn_arr, nan)
                values[:, 3:3 + k] = shares
                small[:, 3:3 + k] = gn_arr < SMALL_N
                known = ~np.isnan(shares)
                hi = np.where(known, shares, -np.inf).max(axis=1)
                lo = np.where(known, shares, np.inf).min(axis=1)
                values[:, 3 + k] = np.where(known.all(axis=1), lo, nan)
                values[:, 4 + k] = np.where(known.sum(axis=1) >= 2, hi - lo, nan)
    return headers, ids, texts, values, small, k


class VotesPanel(ReadThenShow, QWidget):
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
        self.model = StatementsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Statements: click a column to sort")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.activated.connect(self._on_row_activated)
        self.table.clicked.connect(self._on_row_activated)
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
        # the table's queries read every vote: a hidden panel (behind another tab) waits until
        # it is shown, so opening a big project does not spend that time at all
        if not self.isVisible() and self.project_provider() is not None:
            self._stale = True
            return
        self._stale = False
        self.read_and_show()

    @staticmethod
    def read(p: Any) -> dict:
        """Everything the panel shows of project ``p``: plain arrays (a worker may call it)."""
        run_id = p.scalar("SELECT max(run_id) FROM group_members")
        out: dict[str, Any] = {"run_id": run_id, "group_ids": [], "points": None}
        if run_id is not None:
            members = {r[0]: r[1] for r in p.query(
                "SELECT participant_id, group_id FROM group_members WHERE run_id = ?",
                (run_id,))}
            out["group_ids"] = group_ids = sorted(set(members.values()))
            proj = p.get_array(run_id, "projection")
            pids = p.get_array(run_id, "participant_ids")
            if proj is not None and pids is not None and len(proj) == len(pids):
                participants = pids.astype(np.int64)
                gi = {g: i for i, g in enumerate(group_ids)}
                groups = np.array([gi.get(members.get(int(x), -99), -1)
                                   for x in participants.tolist()], dtype=int)
                out["points"] = (participants, np.asarray(proj, dtype=float)[:, :2], groups)
        out["table"] = _read_table(p, run_id, out["group_ids"])
        return out

    def show(self, data: dict | None) -> None:
        """Put what ``read`` returned on screen (None: no project)."""
        self.participants = np.zeros(0)
        if data is None:
            self.run_id, self.group_ids = None, []
            self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int))
            self.model.set_rows([], [], [], np.zeros((0, 0)), np.zeros((0, 0), dtype=bool), 0)
            return
        self.run_id, self.group_ids = data["run_id"], data["group_ids"]
        if data["points"] is not None:
            self.participants, points, groups = data["points"]
            self.map.set_data(points, groups)
        else:
            self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int))
        headers, ids, texts, values, small, k = data["table"]
        self.model.set_rows(headers, ids, texts, values, small, k)
        header = self.table.horizontalHeader()
        if 0 <= header.sortIndicatorSection() < len(headers):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
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

    def _on_row_activated(self, index) -> None:
        if index is None or not index.isValid():
            return
        sid = self.model.statement_id(index.row())
        self.show_statement(sid)
        self.statement_chosen.emit(sid)
