"""A small study for the theme tests: three topics of six sticky notes each, a project filled
with notes, and the theme tables' rows to compare before and after an operation or its undo."""
from __future__ import annotations

from typing import Any, Sequence

TOPICS = {
    "pay": ["Pay has not kept up with inflation for years", "Salaries fall behind the private sector",
            "Annual pay rises are too small", "Pay bands should be published openly",
            "My salary barely covers my rent", "Pay progression within a grade is frozen"],
    "office": ["The office has too few desks on Tuesdays", "Hybrid working lets me care for my kids",
               "Working from home saves two hours of commuting", "Office days should be agreed by teams",
               "Hot desking makes it hard to find colleagues", "Three office days a week is too many"],
    "it": ["The laptops take ten minutes to start", "IT systems crash during important meetings",
           "We need software that works on a phone", "Password resets take days to process",
           "Our case management system is from 2005", "Video calls drop because of the VPN"],
}

THEME_TABLES = ("themes", "card_places", "analysis_runs")


def topic_texts() -> list[str]:
    """The 18 notes of ``TOPICS``, topic by topic."""
    return [t for items in TOPICS.values() for t in items]


def fill(project: Any, texts: Sequence[str]) -> list[tuple[str, int]]:
    """One workshop source holding a note for each text; the notes' card refs, in order."""
    from synth.project import now_iso
    with project.transaction() as db:
        db.execute("INSERT INTO sources(id, kind, name, imported_at) VALUES (1, 'workshop', 'w', ?)",
                   (now_iso(),))
        for t in texts:
            db.execute("INSERT INTO notes(source_id, text) VALUES (1, ?)", (t,))
    return [("note", r[0]) for r in project.query("SELECT id FROM notes ORDER BY id")]


def dump(project: Any, tables: Sequence[str] = THEME_TABLES) -> dict[str, list[tuple]]:
    """The rows of the theme tables (themes, card places, analysis runs), sorted."""
    return {t: sorted(tuple(r) for r in project.query(f"SELECT * FROM {t}")) for t in tables}
