"""A codebook imported after the cards were embedded has its codes' names read at once on the
task runner, so the unsorted pile's offer names a code before anyone presses More like this
(the engineer's leftover, stop 18); a project never embedded reads nothing (its next run
embeds the names with the cards)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from tests.test_ui_named_theme_suggestions import PAY, embedded  # noqa: E402,F401
from tests.ui_fixtures import build_topic_study, no_thread_left, settings, window  # noqa: E402,F401

QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test">
  <Codes>
    <Code guid="0b6f5d1e-1c55-4f3b-9a35-2f0d6c0a0001" name="{0}" isCodable="true">
      <Description>{1}</Description>
    </Code>
  </Codes>
</CodeBook>
"""


def _panel(window):
    return next(p for p in window.coding_panels if type(p).__name__ == "CodebookPanel")


def test_an_imported_code_is_read_at_once_and_offered_to_unsorted_cards(
        window, qtbot, embedded, tmp_path):
    from synth.themes.embeddings import cached_count
    from ui.analysis import nearest_offer
    path, pay_cards = embedded
    qdc = tmp_path / "team.qdc"
    qdc.write_text(QDC.format(*PAY), encoding="utf-8")
    assert window.open_project(path)
    before = cached_count(window.project)
    ids = _panel(window).import_from(str(qdc))
    assert ids and len(ids) == 1
    assert window.runner.busy()                      # its name, read on the task runner
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=60000)
    assert cached_count(window.project) == before + 1
    loose = sorted(pay_cards)[0]
    _kept, offer = nearest_offer(window.project, loose)
    assert [t for t, _ in offer] == ids and 0.3 < offer[0][1] < 0.9


def test_a_project_never_embedded_reads_no_name(window, qtbot, tmp_path):
    from synth.themes.embeddings import cached_count
    path = build_topic_study(tmp_path)
    qdc = tmp_path / "team.qdc"
    qdc.write_text(QDC.format(*PAY), encoding="utf-8")
    assert window.open_project(path)
    assert _panel(window).import_from(str(qdc))
    assert not window.runner.busy() and cached_count(window.project) == 0
