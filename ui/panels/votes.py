"""Votes view: the opinion map, per-group agreement for the selected statement, and a sortable
table of statements (agreement, consensus, divisiveness, per group). Drawn with QPainter: no
matplotlib at start-up.

Every figure comes from ``synth.votes.statement_figures``, where the report reads its own: the
same statements, the same opinion groups (the latest run of each debate source, else Pol.is's
own groups), the same group names (from the group id: 0 is "Group A"; with several debates
grouped, each debate's groups named for it, ``groups_in_use``) and the same whole per cents,
rounded half up. A percentage read here is the one the report prints for that statement
and group; small n is the report's threshold (``FigureRegistry.for_project``).

What the panel shows is read by ``read`` (SQL through the engine, and numpy; no Qt) and put on
screen by ``show``; over a big debate (2,000,000 votes) the window runs ``read`` on a worker with
its own connection (``background``), so the GUI thread only takes the finished arrays. The
statement chosen in the table or on the board is drawn from those arrays too; while the panel is
hidden or its arrays are out of date it is only remembered, and drawn when they arrive."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPointF, QRect, QRectF, QSize,
                            Qt, Signal)
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHeaderView, QLabel, QScrollArea,
                               QSizePolicy, QSplitter, QTableView, QVBoxLayout, QWidget)

from exports.figures import FLAG
from synth.board import card_text
from synth.votes.group_names import GroupNames
from synth.votes.small_n import few_voted
from synth.votes.statement_figures import (GroupsInUse, Tally, groups_in_use,
                                           listed_statements, statement_tallies,
                                           statement_votes)
from synth.words import plural

from ..board.style import GROUP_COLOURS
from .details import small_n_note
from .reading import ReadThenShow, out_of_sight

SMALL_N = 10        # until a project is read: then the report's threshold, a project setting
_VOTE_COLOURS = {1: QColor("#2e9d4f"), -1: QColor("#d1443a"), 0: QColor("#9aa0a6")}


NO_GROUPS_YET = "No opinion groups yet: Analysis → Find opinion groups"
NO_STATEMENTS = ("No debate statements in this project: import a debate (File → Import data) "
                 "to see how people voted")


def tallies_only(statements: int) -> str:
    """What a project of vote totals alone has, instead of an invitation that cannot work."""
    return (f"Tallies only: the {plural(statements, 'statement')} "
            f"came with vote totals, not each participant's votes, so there are no opinion "
            f"groups to find. Agreement per statement is in the table below.")


def votes_held(p: Any) -> tuple[int, bool]:
    """(statements listed, whether any participant's own votes are held): opinion groups are
    found from the latter, never from totals (QA 31b)."""
    return (int(p.scalar("SELECT count(*) FROM statements WHERE moderation >= 0 AND "
                         "is_meta = 0")),     # as ``listed_statements`` lists them
            bool(p.scalar("SELECT EXISTS (SELECT 1 FROM votes)")))


def empty_map_text(statements: int, has_votes: bool) -> str:
    if not statements:
        return NO_STATEMENTS
    return NO_GROUPS_YET if has_votes else tallies_only(statements)


def agree_text(t: Tally, small_n: int = SMALL_N) -> str:
    """A bar's caption: the report's whole per cent (half up) of those who voted, with n."""
    if not t.n:
        return "no votes"
    # a figure on fewer votes than the threshold is marked as the report marks it (QA 10);
    # the bars say what the mark means under them
    return f"{t.whole_pct()} %{FLAG if few_voted(t.n, small_n) else ''} agree, n={t.n}"


class OpinionMap(QWidget):
    """Participants in the opinion space, coloured by group, or by their vote on a statement.
    One map per opinion-group run: the debates of two sources do not share a space."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Opinion map")
        # the map gives way first in a short dock (the statement's words and the table matter
        # more); below this it says nothing readable
        self.setMinimumHeight(110)
        self.points = np.zeros((0, 2))
        self.groups = np.zeros(0, dtype=int)        # group id, -1 for none
        self.maps = np.zeros(0, dtype=int)          # which run's map a point is on
        self.votes: np.ndarray | None = None
        self.caption = ""
        self.sizes_caption = ""                     # the groups and their sizes
        self.empty_text = NO_GROUPS_YET             # what the map says with nothing to draw

    def set_data(self, points: np.ndarray, groups: np.ndarray, maps: np.ndarray | None = None,
                 sizes_caption: str = "") -> None:
        self.points, self.groups, self.votes = points, groups, None
        self.maps = np.zeros(len(points), dtype=int) if maps is None else maps
        self.sizes_caption, self.caption = sizes_caption, ""
        self.update()

    def set_votes(self, votes: np.ndarray | None, caption: str = "") -> None:
        self.votes, self.caption = votes, caption
        self.update()

    def caption_rect(self) -> QRectF:
        """Where the caption is written: a strip at the bottom, as many lines high as its words
        need at this width (one line ran off the right edge of a 380-pixel dock)."""
        text = self.caption or self.sizes_caption
        if not text:
            return QRectF(10, self.height(), max(0, self.width() - 20), 0)
        lines = self.fontMetrics().boundingRect(QRect(0, 0, max(1, self.width() - 20), 10_000),
                                                Qt.TextWordWrap, text)
        h = lines.height() + 4
        return QRectF(10, self.height() - h - 2, max(0, self.width() - 20), h)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setRenderHint(QPainter.Antialiasing, True)
        if not len(self.points):
            p.setPen(QColor("#666666"))
            text = self.empty_text
            if self.sizes_caption:
                text = (f"{self.sizes_caption}\n(no map of these groups yet: Analysis → Find "
                        f"opinion groups)")
            p.drawText(self.rect(), Qt.AlignCenter | Qt.TextWordWrap, text)
            return
        caption = self.caption_rect()
        whole = QRectF(self.rect()).adjusted(10, 10, -10, -(self.height() - caption.top() + 4))
        n_maps = int(self.maps.max()) + 1
        gap = 12.0
        width = (whole.width() - gap * (n_maps - 1)) / n_maps
        p.setPen(Qt.NoPen)
        for m in range(n_maps):
            on = np.flatnonzero(self.maps == m)
            if not len(on):
                continue
            r = QRectF(whole.left() + m * (width + gap), whole.top(), width, whole.height())
            if m:
                p.setPen(QPen(QColor("#dddddd")))
                p.drawLine(QPointF(r.left() - gap / 2, r.top()),
                           QPointF(r.left() - gap / 2, r.bottom()))
                p.setPen(Qt.NoPen)
            pts = self.points[on]
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            span = np.where(hi - lo > 0, hi - lo, 1.0)
            xy = (pts - lo) / span
            # one QColor per vote or group, not one per point on every paint
            if self.votes is not None:
                keys, palette = self.votes, _VOTE_COLOURS
                unknown = QColor("#e4e6ea")
            else:
                keys, unknown = self.groups, QColor("#cccccc")
                palette = {g: QColor(GROUP_COLOURS[g % len(GROUP_COLOURS)])
                           for g in set(self.groups[on].tolist()) if g >= 0}
            for i, (x, y) in zip(on.tolist(), xy):
                p.setBrush(palette.get(int(keys[i]), unknown))
                p.drawEllipse(QPointF(r.left() + x * r.width(), r.top() + (1 - y) * r.height()),
                              2.6, 2.6)
        p.setPen(QColor("#333333"))
        p.drawText(caption, Qt.AlignLeft | Qt.AlignVCenter | Qt.TextWordWrap,
                   self.caption or self.sizes_caption)


class GroupBars(QWidget):
    """Agree / disagree / pass per group for one statement, as % of those who voted, with n."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Agreement by opinion group")
        self.rows: list[tuple[str, int, int, int]] = []    # name, agree, disagree, pass
        self.small_n = SMALL_N
        self.setMinimumHeight(90)
        # as tall as its rows and the note under them need at its width (the note was cut to
        # "read with care (the report marks it t…" in a 380-pixel dock)
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_rows(self, rows: list[tuple[str, int, int, int]], small_n: int = SMALL_N) -> None:
        self.rows, self.small_n = rows, small_n
        note = self.note()
        self.setMinimumHeight(self._rows_height() + (22 if note else 0))
        self.updateGeometry()
        # the bars are painted: a screen reader gets their words
        self.setAccessibleDescription("; ".join([f"{n}: {t}" for n, t in self.texts()]
                                                + ([note] if note else [])))
        self.update()

    def _rows_height(self) -> int:
        return 26 * max(1, len(self.rows)) + 10

    def note_rect(self, width: int) -> QRect:
        """Where the note goes under the rows, wrapped at ``width`` (empty: no note)."""
        note = self.note()
        if not note:
            return QRect(6, self._rows_height() - 4, max(0, width - 12), 0)
        r = self.fontMetrics().boundingRect(QRect(0, 0, max(1, width - 12), 10_000),
                                            Qt.TextWordWrap, note)
        return QRect(6, self._rows_height() - 4, max(0, width - 12), r.height() + 4)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        note = self.note_rect(width)
        return max(self.minimumHeight(), note.bottom() + 6 if note.height() else
                   self._rows_height())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.heightForWidth(self.width() if self.width() > 50 else 320))

    def note(self) -> str:
        """Under the bars, what the small-n mark means, when a bar carries it."""
        flagged = any(few_voted(a + d + s, self.small_n) for _name, a, d, s in self.rows)
        return small_n_note(self.small_n) if flagged else ""

    def texts(self) -> list[tuple[str, str]]:
        """What each row says in words: (name, "N % agree, n=M")."""
        return [(name, agree_text(Tally(a, d, s), self.small_n)) for name, a, d, s in self.rows]

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if not self.rows:
            p.setPen(QColor("#666666"))
            p.drawText(self.rect(), Qt.AlignCenter, "Select a statement")
            return
        w = self.width()
        fm = p.fontMetrics()
        texts = self.texts()
        # the words beside the bars are never cut: the bars give way to the longest of them
        text_w = max(fm.horizontalAdvance(t) for _n, t in texts) + 8
        name_w = max(fm.horizontalAdvance(n) for n, _t in texts) + 10
        for i, (name, a, d, s) in enumerate(self.rows):
            y = 6 + i * 26
            n = a + d + s
            p.setPen(QColor("#222222"))
            p.drawText(QRectF(6, y, name_w, 20), Qt.AlignLeft | Qt.AlignVCenter, name)
            bar = QRectF(10 + name_w, y + 4, max(20.0, w - 22 - name_w - text_w), 12)
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
            p.drawText(QRectF(bar.right() + 6, y, text_w, 20), Qt.AlignLeft | Qt.AlignVCenter,
                       texts[i][1])
        note = self.note()
        if note:
            p.setPen(QColor("#8c5a00"))
            p.drawText(self.note_rect(w), Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, note)


SORT_ROLE = Qt.UserRole + 1     # the number a column sorts by (-1 when there is none)


def _pct(whole: int) -> str:
    """A cell's whole per cent as the report prints it (``Tally.whole_pct``: half up); -1 for
    none."""
    return "—" if whole < 0 else f"{whole}"


class StatementsModel(QAbstractTableModel):
    """The statements table as plain arrays: one row per statement, cells formatted only when
    the view asks for them (a 100,000-row project paints a screenful, not 500,000 items)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.ids = np.zeros(0, dtype=np.int64)
        self.texts: list[str] = []
        self.keys = np.zeros((0, 0))       # per column sort key, NaN-free (-1 for none)
        self.values = np.zeros((0, 0))     # per column value, NaN for none: votes, then shares
        self.whole = np.zeros((0, 0), dtype=np.int64)   # per cent columns as printed, -1 none
        self.small = np.zeros((0, 0), dtype=bool)       # figures on fewer than small_n votes
        self.n_groups = 0
        self.small_n = SMALL_N
        self.order = np.zeros(0, dtype=np.int64)
        self.tips: dict[int, str] = {}      # column -> its group's whole name (short headers)

    def set_rows(self, headers: list[str], ids, texts: list[str], values: np.ndarray,
                 whole: np.ndarray, small: np.ndarray, n_groups: int,
                 small_n: int = SMALL_N) -> None:
        self.beginResetModel()
        self.headers, self.texts, self.n_groups = headers, texts, n_groups
        self.ids = np.asarray(ids, dtype=np.int64)
        self.values, self.whole, self.small, self.small_n = values, whole, small, small_n
        self.keys = np.where(np.isnan(values), -1.0, values)
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
        if role == Qt.ToolTipRole and orientation == Qt.Horizontal and section in self.tips:
            return self.tips[section]
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
        if role == Qt.ToolTipRole and self.small[i, c]:
            return small_n_note(self.small_n)
        if role != Qt.DisplayRole:
            return None
        if c == 1:
            v = self.values[i, c]
            return "—" if v != v else f"{int(v):,}"
        return _pct(int(self.whole[i, c])) + \
            (f"{FLAG} (n<{self.small_n})" if self.small[i, c] else "")

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not (0 <= column < len(self.headers)) or not len(self.order):
            return
        self.layoutAboutToBeChanged.emit()
        if column == 0:         # as a reader alphabetises: Pol.is texts are often lower-case
            folded = [t.casefold() for t in self.texts]
            idx = sorted(self.order.tolist(), key=folded.__getitem__,
                         reverse=order == Qt.DescendingOrder)
            self.order = np.asarray(idx, dtype=np.int64)
        else:
            key = self.keys[self.order, column]     # stable over the current order, as Qt
            self.order = self.order[np.argsort(-key if order == Qt.DescendingOrder else key,
                                               kind="stable")]
        self.layoutChanged.emit()


def _read_counts(p: Any, labels: list[str], in_use: GroupsInUse
                 ) -> tuple[list[tuple[int, str]], np.ndarray, np.ndarray]:
    """The statements the report lists, their (agree, disagree, pass) counts for everyone and
    each group (rows × 1 + groups × 3), and those figures as whole per cents (-1: no votes),
    each from ``statement_tallies`` and ``Tally.whole_pct``, as the report takes them."""
    listed = listed_statements(p)
    figures = statement_tallies(p, in_use=in_use)   # the groups the panel names, read once
    none = Tally()
    k, m = len(labels), len(listed)

    def tallies() -> Any:
        for sid, _text in listed:
            # popped, so the 100,000 figures are freed one by one as they are used, not all
            # at once at the end (one long free would hold the interpreter's lock)
            f = figures.pop(sid, None)
            if f is None:
                yield none
                yield from (none for _ in labels)
            else:
                yield f.overall
                yield from (f.groups.get(lab, none) for lab in labels)
    ts = list(tallies())
    figures.clear()
    counts = np.fromiter((x for t in ts for x in (t.agree, t.disagree, t.passed)),
                         dtype=np.int64, count=3 * len(ts)).reshape(m, 1 + k, 3)
    whole = np.fromiter((t.whole_pct() if t.n else -1 for t in ts), dtype=np.int64,
                        count=len(ts)).reshape(m, 1 + k)
    return listed, counts, whole


def _read_table(p: Any, labels: list[str], names: list[str], debate: list[int],
                small_n: int, in_use: GroupsInUse) -> tuple:
    """The statements table: headers, ids, texts, values, whole per cents, small-n marks,
    number of groups, and the counts behind them (for the bars of a chosen statement).
    ``labels``/``names``: the groups' (``OpinionGroup``); ``debate``: each group's debate."""
    headers = ["Statement", "Votes", "% agree", *[f"{n} %" for n in names]]
    if names:
        headers += ["Consensus (lowest group %)", "Divisiveness (spread)"]
    k, nan = len(names), float("nan")
    listed, counts, pct = _read_counts(p, labels, in_use)
    m = len(listed)
    ids = np.fromiter((r[0] for r in listed), dtype=np.int64, count=m)
    texts = [r[1] for r in listed]
    values = np.full((m, len(headers)), nan)
    whole = np.full((m, len(headers)), -1, dtype=np.int64)
    small = np.zeros((m, len(headers)), dtype=bool)
    if m:
        n = counts.sum(axis=2)                      # rows × (everyone, groups …)
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(n > 0, counts[:, :, 0] / n, nan)
        values[:, 1] = n[:, 0]
        values[:, 2:3 + k] = shares                 # sorted by the share, shown as printed
        whole[:, 2:3 + k] = pct
        small[:, 2:3 + k] = few_voted(n, small_n)
        if k:
            # from the whole per cents shown beside them, as the report compares groups
            # (exports.content.compare_groups): the spread a reader works out from the columns,
            # among the groups of the statement's own debate (another debate's groups are
            # other people, who never saw it)
            g = pct[:, 1:]
            known = g >= 0
            of = np.asarray(debate, dtype=np.int64)
            first = np.where(known.any(axis=1), of[known.argmax(axis=1)], -1)
            mine = of[None, :] == first[:, None]
            known_mine = known & mine
            lo = np.where(known_mine, g, 101).min(axis=1)
            hi = np.where(known_mine, g, -1).max(axis=1)
            every = (known_mine == mine).all(axis=1) & known_mine.any(axis=1)
            some = known_mine.sum(axis=1) >= 2
            whole[:, 3 + k] = np.where(every, lo, -1)
            whole[:, 4 + k] = np.where(some, hi - lo, -1)
            values[:, 3 + k] = np.where(every, lo / 100, nan)
            values[:, 4 + k] = np.where(some, (hi - lo) / 100, nan)
    return headers, ids, texts, values, whole, small, k, counts


def _read_maps(p: Any, in_use: GroupsInUse) -> tuple | None:
    """(participants, 2-D positions, group number or -1, which map): one map per debate with
    groups, in the debates' order. A debate's run draws its stored projection (everyone it
    placed); a debate with the groups Pol.is exported is drawn as Pol.is draws it (everyone who
    voted in it, ``synth.votes.vote_map``). A point is
    coloured by the group the figures count the participant in. None: nothing to draw."""
    from synth.votes.vote_map import debate_map
    members = in_use.members
    debates: dict[int, Any] = {}            # clustering -> (its groups' run, its source)
    for g in in_use.groups.values():
        debates.setdefault(g.clustering, (g.run_id, g.source_id))
    parts, xys, groups, maps = [], [], [], []
    for run, source in debates.values():
        if run is None:
            ids, xy = debate_map(p, source)
        else:
            proj, pids = p.get_array(run, "projection"), p.get_array(run, "participant_ids")
            if proj is None or pids is None or len(proj) != len(pids) or not len(pids):
                continue
            ids = np.rint(np.asarray(pids, dtype=float).ravel()).astype(np.int64)
            xy = np.asarray(proj, dtype=float)[:, :2]
        if not len(ids):
            continue
        parts.append(ids)
        xys.append(xy)
        groups.append(np.fromiter((members.get(x, -1) for x in ids.tolist()), dtype=int,
                                  count=len(ids)))
        maps.append(np.full(len(ids), len(maps), dtype=int))
    if not parts:
        return None
    return (np.concatenate(parts), np.concatenate(xys), np.concatenate(groups),
            np.concatenate(maps))


def _votes_of(votes: dict[int, int], participants: np.ndarray) -> np.ndarray:
    """Each participant's vote on one statement, -99 for none (no loop over 20,000 people)."""
    if not votes:
        return np.full(len(participants), -99, dtype=np.int64)
    who = np.fromiter(votes.keys(), dtype=np.int64, count=len(votes))
    value = np.fromiter(votes.values(), dtype=np.int64, count=len(votes))
    order = np.argsort(who)
    who, value = who[order], value[order]
    pos = np.searchsorted(who, participants).clip(0, len(who) - 1)
    return np.where(who[pos] == participants, value[pos], -99)


class VotesPanel(ReadThenShow, QWidget):
    statement_chosen = Signal(int)
    # the statements' votes counted by opinion group (a run's, or Pol.is's own), the map of
    # the participants, and the small-n threshold
    shows = {t: None for t in ("votes", "statements", "participants", "group_members",
                               "analysis_runs", "arrays", "settings")}

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
        # three panes: the map, the chosen statement (its words and bars) and the table. In one
        # box the map kept its height in a short dock and the statement's words were drawn over
        # its caption, the table squeezed to one row (QA, 1600 × 1000). Now the statement gets
        # the height its words need (it scrolls when the dock is shorter still), the table keeps
        # three rows, and the map takes what is left.
        self.statement = QWidget()
        sl = QVBoxLayout(self.statement)
        sl.setContentsMargins(4, 2, 4, 2)
        sl.addWidget(self.title)
        sl.addWidget(self.bars)
        sl.addStretch(1)
        self.statement_scroll = QScrollArea()
        self.statement_scroll.setWidgetResizable(True)
        self.statement_scroll.setFrameShape(QFrame.NoFrame)
        self.statement_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.statement_scroll.setWidget(self.statement)
        self.statement_scroll.setMinimumHeight(60)
        self.statement_scroll.setAccessibleName("The selected statement's agreement")
        # three rows between the header (its hint is short until it has columns) and the
        # scroll bar under them (the columns are wider than a dock)
        head = max(self.table.horizontalHeader().sizeHint().height(),
                   self.table.fontMetrics().height() + 10)
        self.table.setMinimumHeight(head + 3 * self.table.verticalHeader().defaultSectionSize()
                                    + self.table.horizontalScrollBar().sizeHint().height()
                                    + 2 * self.table.frameWidth() + 2)
        self.split = QSplitter(Qt.Vertical)
        self.split.addWidget(self.map)
        self.split.addWidget(self.statement_scroll)
        self.split.addWidget(self.table)
        self.split.setChildrenCollapsible(False)
        for pane, stretch in enumerate((3, 0, 2)):
            self.split.setStretchFactor(pane, stretch)
        self.split.setSizes([300, 150, 220])     # in proportion, until the panel has a size
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.split)
        self.run_id: int | None = None          # the latest of the runs whose groups are shown
        self.runs: list[int] = []
        self.participants = np.zeros(0)
        self.group_ids: list[int] = []
        self.group_labels: list[str] = []       # as statement_tallies keys them
        self.group_names: list[str] = []        # "Group A" ("Group A (Debate North)")
        self.group_debates: list[int] = []      # each group's debate (its clustering)
        self.small_n = SMALL_N
        self.counts = np.zeros((0, 1, 3), dtype=np.int64)   # per table row, as ``model.ids``
        self._chosen: int | None = None     # the statement the bars are for
        self._drawn: int | None = None      # … and the one they show now

    def on_seen(self) -> None:
        # the table's queries read every vote: a panel out of sight (behind another tab) reads
        # when it is seen (see ReadThenShow), so opening a big project does not spend that time
        stale = self.stale
        super().on_seen()
        if not stale and self._chosen != self._drawn and not self.waiting():
            self._show_chosen()

    @staticmethod
    def read(p: Any) -> dict:
        """Everything the panel shows of project ``p``: plain arrays (a worker may call it)."""
        from exports.figures import FigureRegistry
        small_n = FigureRegistry.for_project(p).flag_below
        in_use = groups_in_use(p)
        runs, gids = in_use.runs, in_use.numbers
        labels = [in_use.groups[g].label for g in gids]
        full = [in_use.groups[g].name for g in gids]
        short = GroupNames.of(in_use)   # a Pol.is debate's name is its whole question
        names = [short.short(n) for n in full]
        debate = [in_use.groups[g].clustering for g in gids]
        statements, has_votes = votes_held(p)
        return {"runs": runs, "group_ids": gids, "sizes": [in_use.groups[g].size for g in gids],
                "empty": empty_map_text(statements, has_votes),
                "labels": labels, "names": names, "debates": debate,
                "full_names": [short.full(n) for n in full], "legend": short.legend(),
                "small_n": small_n, "points": _read_maps(p, in_use),
                "polis_debates": list(dict.fromkeys(short.short_debate(g.debate)
                                                    for g in in_use.groups.values()
                                                    if g.run_id is None)),
                "table": _read_table(p, labels, names, debate, small_n, in_use)}

    def show(self, data: dict | None) -> None:
        """Put what ``read`` returned on screen (None: no project)."""
        self.participants = np.zeros(0)
        if data is None:
            self.map.empty_text = NO_GROUPS_YET
            self.model.tips = {}
            self.map.setToolTip("")
            self.bars.setToolTip("")
            self.run_id, self.runs, self.group_ids = None, [], []
            self.group_labels, self.group_names, self.group_debates = [], [], []
            self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int))
            self.model.set_rows([], [], [], np.zeros((0, 0)), np.zeros((0, 0), dtype=np.int64),
                                np.zeros((0, 0), dtype=bool), 0)
            self.counts = np.zeros((0, 1, 3), dtype=np.int64)
            self._chosen = self._drawn = None
            self.title.setText("")
            self.bars.set_rows([])
            return
        self.map.empty_text = data["empty"]
        self.runs, self.group_ids = data["runs"], data["group_ids"]
        self.group_labels, self.group_names = data["labels"], data["names"]
        self.group_debates = data["debates"]
        self.run_id = max(self.runs) if self.runs else None
        self.small_n = data["small_n"]
        caption = " · ".join(f"{name}: {n:,}"
                             for name, n in zip(self.group_names, data["sizes"]))
        if caption and not self.runs:
            caption = f"Pol.is's own groups: {caption}"
        elif data["polis_debates"]:     # some debates' groups are a run's, others Pol.is's
            caption += " · Pol.is's own groups in " + ", ".join(data["polis_debates"])
        if data["points"] is not None:
            self.participants, points, groups, maps = data["points"]
            if maps.max() > 0:
                caption += f" · one map per debate ({int(maps.max()) + 1})"
            self.map.set_data(points, groups, maps, caption)
        else:
            self.map.set_data(np.zeros((0, 2)), np.zeros(0, dtype=int), None, caption)
        headers, ids, texts, values, whole, small, k, self.counts = data["table"]
        self.model.set_rows(headers, ids, texts, values, whole, small, k, self.small_n)
        self.model.tips = {3 + i: tip for i, tip in enumerate(data["full_names"]) if tip}
        legend = "\n".join(data["legend"])     # the debates' whole names
        self.map.setToolTip(legend)
        self.bars.setToolTip(legend)
        header = self.table.horizontalHeader()
        if 0 <= header.sortIndicatorSection() < len(headers):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.setColumnWidth(0, 320)
        # each figure's column as wide as its header ("Group A (Debate 1) %" was cut to
        # "oup A (Debate 1"); measured from the header alone, never from 100,000 rows
        fm = header.fontMetrics()
        for c in range(1, len(headers)):
            self.table.setColumnWidth(c, max(header.defaultSectionSize(),
                                             fm.horizontalAdvance(headers[c]) + 24))
        if self._chosen is not None:
            self._show_chosen()

    def show_statement(self, statement_id: int) -> None:
        """Show one statement's agreement by group. Drawn from the figures on screen; while the
        panel is hidden or a newer read is on its way, only remembered until they arrive."""
        sid = int(statement_id)
        if sid == self._chosen == self._drawn:  # drawn already (show() draws it again anew)
            return
        self._chosen = sid
        if not out_of_sight(self) and not self.stale and not self.waiting():
            self._show_chosen()

    def _show_chosen(self) -> None:
        p, sid = self.project_provider(), self._chosen
        if p is None or sid is None:
            return
        self._drawn = sid
        ids = self.model.ids
        row = int(np.searchsorted(ids, sid)) if len(ids) else 0
        labels = self.group_labels
        if row < len(ids) and ids[row] == sid:           # ids are in id order, as read
            text = self.model.texts[row]
            tallies = [Tally(*map(int, c)) for c in self.counts[row]]
        else:                       # not in the table (moderated out): the engine, for one
            text = card_text(p, ("statement", sid))
            f = statement_tallies(p, [sid]).get(sid)
            tallies = [Tally()] * (1 + len(labels)) if f is None else \
                [f.overall, *(f.groups.get(lab, Tally()) for lab in labels)]
        self.title.setText(text)
        if len(self.participants):
            self.map.set_votes(_votes_of(statement_votes(p, sid), self.participants),
                               "Coloured by their vote: agree green, disagree red, pass grey")
        rows = list(zip(["Everyone", *self.group_names], tallies))
        if len(set(self.group_debates)) > 1:
            # several debates grouped: the bars of the statement's own debate's groups only
            # (the others are other people, who never saw it)
            mine = next((d for d, (_n, t) in zip(self.group_debates, rows[1:]) if t.n), None)
            rows = rows[:1] + [r for d, r in zip(self.group_debates, rows[1:]) if d == mine]
        self.bars.set_rows([(name, t.agree, t.disagree, t.passed) for name, t in rows],
                           self.small_n)
        self.fit_statement()

    def fit_statement(self) -> None:
        """Give the chosen statement's pane the height its words and bars need at its width (at
        most 60 % of the panel); the map and the table share the rest as they were split."""
        sizes = self.split.sizes()
        total = sum(sizes)
        width = self.statement_scroll.viewport().width()
        if total <= 0 or width <= 0:
            return
        lay = self.statement.layout()
        lay.activate()
        need = max(self.statement_scroll.minimumHeight(),
                   min(lay.totalHeightForWidth(width), int(total * 0.6)))
        if abs(need - sizes[1]) <= 1:
            return
        rest = total - need
        share = sizes[0] / (sizes[0] + sizes[2]) if sizes[0] + sizes[2] else 0.6
        table = max(self.table.minimumHeight(), rest - round(rest * share))
        self.split.setSizes([rest - table, need, table])

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.bars.rows:      # a new width wraps the words anew
            self.fit_statement()

    def _on_row_activated(self, index) -> None:
        if index is None or not index.isValid():
            return
        sid = self.model.statement_id(index.row())
        self.show_statement(sid)
        self.statement_chosen.emit(sid)
