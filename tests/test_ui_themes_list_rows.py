"""Every row of the Themes list is tall enough for its label as drawn (QA2 #3: the row
"Pay & savings (44) · …" was cut where every other row said "· candidate": at the Themes dock's
width its height was reckoned for one line, and the label needed two where it is drawn, beside
its colour swatch)."""
from __future__ import annotations

from types import SimpleNamespace

from tests.ui_fixtures import no_thread_left  # noqa: F401


def _theme(i: int, name: str):
    return SimpleNamespace(id=i, name=name, parent_id=None, status="candidate", pinned=False,
                           dots=0, colour="#4e79a7", position=i, depth=0)


def test_a_label_just_too_long_for_one_line_gets_two(qtbot, tmp_path):
    from ui.panels.themes_list import ThemesList
    tl = ThemesList()
    qtbot.addWidget(tl)
    tl.resize(230, 400)                  # the dock's width in QA2's window (1400 x 900)
    tl.show()
    qtbot.waitExposed(tl)
    themes = {i: _theme(i, n) for i, n in enumerate(
        ["Pay & savings", "AI & systems", "London & senior roles"], start=1)}
    counts = {i: [object()] * 44 for i in themes}
    counts[None] = []
    tl.refresh_from(themes, counts)
    lst = tl.list
    rows = {lst.item(i).text(): lst.visualItemRect(lst.item(i)).height()
            for i in range(lst.count())}
    assert lst.viewport().width() == 228
    one = rows["Unsorted  (0)"]
    # 1 px short of fitting on one line where the text is drawn: two lines, not "· …"
    assert rows["Pay & savings  (44)  · candidate"] > one + lst.fontMetrics().height() // 2
    assert rows["London & senior roles  (44)  · candidate"] == \
        rows["Pay & savings  (44)  · candidate"]
    assert rows["AI & systems  (44)  · candidate"] < rows["Pay & savings  (44)  · candidate"]
    tl.grab().save(str(tmp_path / "themes.png"))
