"""The coding panels read the project again only when a change touched what they show (the
tables and columns their queries read), once per change, and never show stale data."""
from __future__ import annotations

import random

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from synth.board import CreateTheme, UpdateTheme  # noqa: E402
from synth.project import Project  # noqa: E402
from tests import coding_study  # noqa: E402
from tests.ui_fixtures import no_thread_left, settings, take_counts, window  # noqa: E402,F401
from ui.coding import CodebookPanel, DocumentPanel, QuotesPanel, RecommendationsPanel  # noqa: E402
from ui.coding.common import py_to_qt, qt_to_py  # noqa: E402
from ui.testing import bring_into_sight, coding_panel, file_rows, settle  # noqa: E402


def _py_to_qt_by_scan(text: str, i: int) -> int:
    return i + sum(1 for ch in text[:i] if ord(ch) > 0xFFFF)


def _qt_to_py_by_scan(text: str, q: int) -> int:
    units = 0
    for n, ch in enumerate(text):
        if units >= q:
            return n
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def test_offsets_between_code_points_and_utf16_units_match_a_scan_of_the_text():
    rng = random.Random(3)
    letters = ["a", " ", "é", "“", "😀", "𝔸", "\u0301"]
    for _ in range(400):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 40)))
        for i in range(len(text) + 2):
            assert py_to_qt(text, i) == _py_to_qt_by_scan(text, i)
        for q in range(2 * len(text) + 3):
            assert qt_to_py(text, q) == _qt_to_py_by_scan(text, q)
    assert py_to_qt("😀ab", 2) == 3 and qt_to_py("😀ab", 3) == 2


# --------------------------------------------------------------------------- the window's panels
PANELS = {"codebook": CodebookPanel, "document": DocumentPanel, "quotes": QuotesPanel,
          "recommendations": RecommendationsPanel}
EMAIL_NOTE = "Write to jo.bloggs@example.org about the kit allowance"


def _study(tmp_path):
    """coding_study's debate, notes and transcript; three themes (Commute with a statement and
    a note, Kit with a note, Office empty) and a quote of a note holding an e-mail address."""
    from coding.quotes import MarkQuote
    path = tmp_path / "study.synth"
    with Project.create(path) as p:
        ids = coding_study.build(p, tmp_path)
        with p.transaction() as db:
            source = db.execute("SELECT source_id FROM notes WHERE id = ?",
                                (ids["notes"]["g1"],)).fetchone()[0]
            ids["email_note"] = db.execute(
                "INSERT INTO notes(source_id, text, site) VALUES (?, ?, 'Glasgow')",
                (source, EMAIL_NOTE)).lastrowid
        s1, m1, g1 = ids["statements"][1], ids["notes"]["m1"], ids["notes"]["g1"]
        ids["themes"] = [p.history.apply(CreateTheme("Commute", cards=[("statement", s1),
                                                                         ("note", m1)])),
                         p.history.apply(CreateTheme("Kit", cards=[("note", g1)])),
                         p.history.apply(CreateTheme("Office"))]
        ids["quote"] = p.history.apply(MarkQuote("note", ids["email_note"]))
        p.history.done.clear()
    return path, ids


def _open(window, path, monkeypatch) -> dict[str, list]:
    """Open ``path``; then count every refresh of each of the window's coding panels."""
    assert window.open_project(path)
    assert window.scene.ready
    return _spy(window, monkeypatch)


def _spy(window, monkeypatch) -> dict[str, list]:
    """Count every refresh of each of the window's real coding panels, all four in sight."""
    bring_into_sight(window, "Codebook", "Document", "Recommendations", "Quotes")
    calls: dict[str, list] = {}
    for name, cls in PANELS.items():
        panel = next(p for p in window.coding_panels if isinstance(p, cls))
        calls[name] = []
        real = panel.refresh

        def counting(real=real, seen=calls[name]) -> None:
            seen.append(1)
            real()
        monkeypatch.setattr(panel, "refresh", counting)
    return calls


def _panel(window, name: str):
    return coding_panel(window, PANELS[name])


def _tree_row(panel, name: str) -> list[str]:
    item = next(i for i in panel.tree.all_items() if i.text(0) == name)
    return [item.text(c) for c in range(4)]


def test_a_new_code_shows_where_codes_are_shown_and_nowhere_else_is_read(window, tmp_path,
                                                                        qtbot, monkeypatch):
    path, _ids = _study(tmp_path)
    calls = _open(window, path, monkeypatch)
    tid = window.run_operation(CreateTheme("Childcare"))
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 0, "recommendations": 1}
    assert _tree_row(_panel(window, "codebook"), "Childcare") == ["Childcare", "0", "0", "0"]
    doc = _panel(window, "document")
    assert tid in [doc.codes.item(i).data(Qt.UserRole + 1) for i in range(doc.codes.count())]
    rec = _panel(window, "recommendations")
    assert rec.theme_box.findData(tid) >= 0

    window.undo_stack.undo()                       # and undo takes it out of all three
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 0, "recommendations": 1}
    assert all(i.text(0) != "Childcare" for i in _panel(window, "codebook").tree.all_items())
    assert rec.theme_box.findData(tid) < 0


def test_moving_cards_between_themes_reads_only_the_panels_that_count_places(
        window, tmp_path, qtbot, monkeypatch):
    path, ids = _study(tmp_path)
    commute, kit, office = ids["themes"]
    calls = _open(window, path, monkeypatch)
    rec = _panel(window, "recommendations")
    rec.show_theme(office)                         # a theme the move does not involve
    take_counts(calls)
    window.scene.move_cards([("note", ids["notes"]["m1"])], kit)
    settle(qtbot, window)
    # the codebook counts each code's cards; the document and quotes panels show no places,
    # and the recommendations panel counts the cards of the theme it shows only
    assert take_counts(calls) == {"codebook": 1, "document": 0, "quotes": 0, "recommendations": 0}
    book = _panel(window, "codebook")
    placed = dict(file_rows(path, "SELECT theme_id, count(*) FROM card_places GROUP BY theme_id"))
    assert placed == {commute: 1, kit: 2}
    assert _tree_row(book, "Commute")[2] == "1" and _tree_row(book, "Kit")[2] == "2"

    from coding.strength import strength
    from ui.coding.recommendations_panel import strength_text
    rec.show_theme(kit)                            # now it shows one of them: read again
    take_counts(calls)
    window.scene.move_cards([("note", ids["notes"]["g1"])], office)
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 0, "quotes": 0, "recommendations": 1}
    assert rec.theme_strength.text() == strength_text(strength(window.project, theme_id=kit))
    assert strength(window.project, theme_id=kit).items == 1

    window.controller.cast_dot(kit, "Ana")         # a dot vote: no coding panel shows those
    settle(qtbot, window)
    assert file_rows(path, "SELECT theme_id, voter FROM dot_votes") == [(kit, "Ana")]
    assert take_counts(calls) == {"codebook": 0, "document": 0, "quotes": 0, "recommendations": 0}


def test_a_theme_renamed_on_the_board_is_renamed_where_it_is_shown(window, tmp_path, qtbot,
                                                                   monkeypatch):
    path, ids = _study(tmp_path)
    kit = ids["themes"][1]
    calls = _open(window, path, monkeypatch)
    window.run_operation(UpdateTheme(kit, {"name": "Kit and desks"}))
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 0, "recommendations": 1}
    assert _tree_row(_panel(window, "codebook"), "Kit and desks")[0] == "Kit and desks"
    doc, rec = _panel(window, "document"), _panel(window, "recommendations")
    assert any(doc.codes.item(i).text().endswith("Kit and desks")
               for i in range(doc.codes.count()))
    assert rec.theme_box.itemText(rec.theme_box.findData(kit)).endswith("Kit and desks")
    # moving a theme's frame on the board changes none of what the panels show
    window.run_operation(UpdateTheme(kit, {"x": 500.0, "y": 80.0}))
    settle(qtbot, window)
    assert file_rows(path, "SELECT x, y FROM themes WHERE id = ?", (kit,)) == [(500.0, 80.0)]
    assert take_counts(calls) == {"codebook": 0, "document": 0, "quotes": 0, "recommendations": 0}


def test_an_edit_in_a_panel_reads_it_once_and_undo_brings_back_the_quotes_words(
        window, tmp_path, qtbot, monkeypatch):
    path, ids = _study(tmp_path)
    calls = _open(window, path, monkeypatch)
    quotes = _panel(window, "quotes")
    assert quotes.quote_id() == ids["quote"]
    assert quotes.preview.text() == EMAIL_NOTE
    assert quotes.findings.count() == 1 and "jo.bloggs@example.org" in \
        quotes.findings.item(0).text()
    quotes.confirm_current_finding()              # applied and shown at once …
    redacted = quotes.preview.text()
    assert "jo.bloggs@example.org" not in redacted and redacted.startswith("Write to ")
    assert take_counts(calls)["quotes"] == 1
    settle(qtbot, window)                        # … and not read again by the window
    assert take_counts(calls) == {"codebook": 0, "document": 0, "quotes": 0, "recommendations": 0}
    assert redacted in quotes.list.item(0).text()

    window.undo_stack.undo()
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 0, "document": 0, "quotes": 1, "recommendations": 0}
    assert quotes.preview.text() == EMAIL_NOTE
    assert quotes.list.item(0).text().startswith(f"“{EMAIL_NOTE}”")
    assert file_rows(path, "SELECT redactions FROM quotes") == [("[]",)]

    book = _panel(window, "codebook")             # a code made in the codebook: read once
    tid = book.new_code()
    assert _tree_row(book, "New code")[0] == "New code" and book.item_for(tid) is not None
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 0, "recommendations": 1}


def test_typing_in_a_field_reads_no_panel_again(window, tmp_path, qtbot, monkeypatch):
    path, ids = _study(tmp_path)
    commute = ids["themes"][0]
    calls = _open(window, path, monkeypatch)
    rec, book = _panel(window, "recommendations"), _panel(window, "codebook")
    rec.show_theme(commute)
    book.tree.setCurrentItem(book.item_for(commute))
    take_counts(calls)
    rec.shared_edit.setPlainText("Two hours a day on the road")
    rec.shared_field.flush()
    book.description_edit.setPlainText("Travel to the office")
    book.description_field.flush()
    settle(qtbot, window)
    assert file_rows(path, "SELECT summary_shared, description FROM themes WHERE id = ?",
                     (commute,)) == [("Two hours a day on the road", "Travel to the office")]
    assert take_counts(calls) == {"codebook": 0, "document": 0, "quotes": 0, "recommendations": 0}
    assert book.item_for(commute).toolTip(0) == "Travel to the office"   # shown where it shows
    assert file_rows(path, "SELECT name FROM themes WHERE id = ?", (commute,)) == [("Commute",)]

    window.undo_stack.undo()                       # undone: the field shows the old words
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 0, "quotes": 0, "recommendations": 0}
    assert book.description_edit.toPlainText() == ""
    window.undo_stack.undo()
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 0, "document": 0, "quotes": 0, "recommendations": 1}
    assert rec.shared_edit.toPlainText() == ""


def test_opening_a_project_again_reads_every_panel(window, tmp_path, qtbot, monkeypatch):
    path, ids = _study(tmp_path)
    calls = _open(window, path, monkeypatch)
    window.close_project()
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 1, "recommendations": 1}
    assert _panel(window, "codebook").tree.topLevelItemCount() == 0
    assert _panel(window, "quotes").list.count() == 0
    with Project.open(path) as p:                  # changed elsewhere while it was closed
        p.history.apply(CreateTheme("Added while closed"))
    assert window.open_project(path)
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 1, "recommendations": 1}
    assert _tree_row(_panel(window, "codebook"), "Added while closed")[0] == "Added while closed"
    assert _panel(window, "quotes").list.count() == 1
    assert _panel(window, "document").document_id() == ids["document"]


def test_on_a_12000_card_board_a_drop_and_a_rename_read_only_the_panels_they_touch(
        window, tmp_path, qtbot, monkeypatch):
    from tests.test_ui_big_board import _mid_project, _open_big
    path = _mid_project(tmp_path)
    _open_big(window, path, qtbot)
    sc = window.scene
    assert len(sc.card_items) == 12_000
    tids = sorted(sc.themes)
    calls = _spy(window, monkeypatch)
    _panel(window, "recommendations").show_theme(tids[5])
    qtbot.waitUntil(lambda: not window.reader.busy(), timeout=60_000)
    take_counts(calls)

    refs = [c.ref for c in sc.members()[tids[3]][:100]]
    sc.move_cards(refs, tids[0])
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 0, "quotes": 0, "recommendations": 0}
    placed = dict(file_rows(path, "SELECT theme_id, count(*) FROM card_places GROUP BY theme_id"))
    book = _panel(window, "codebook")
    for tid in (tids[0], tids[3]):
        name = sc.themes[tid].name
        assert _tree_row(book, name)[2] == str(placed[tid])

    window.run_operation(UpdateTheme(tids[1], {"name": "Renamed theme"}))
    settle(qtbot, window)
    assert take_counts(calls) == {"codebook": 1, "document": 1, "quotes": 0, "recommendations": 1}
    assert _tree_row(book, "Renamed theme")[0] == "Renamed theme"
    qtbot.waitUntil(lambda: not window.reader.busy(), timeout=60_000)
