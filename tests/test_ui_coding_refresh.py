"""The coding panels read the project again only when a change touched what they show (the
tables and columns their queries read), once per change, and never show stale data."""
from __future__ import annotations

import random

from ui.coding.common import py_to_qt, qt_to_py


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
