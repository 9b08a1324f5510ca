"""Operations under fire: random sequences of board and coding operations, interleaved with undo,
redo, close and reopen (after which the steps still undo), with the project's invariants
checked after every step.

The model is the list of states the file went through: after each applied operation the whole
project (every row of every table) is remembered, so an undo must give back exactly the state
before it, a redo exactly the state after, and undoing everything exactly the state the project
was opened in. After every step the file on disk (read through a second connection) must equal
what the open project sees, and a close and reopen must change nothing.

CI runs a few thousand steps; ``SYNTH_SOAK=1`` runs many more.
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, invariant, precondition, rule)

from reliability_figures import SOAK, record
from synth import board
from synth.board import (Batch, CastDots, CreateTheme, DeleteTheme, MergeThemes, MoveCards,
                         NestTheme, SplitTheme, UpdateTheme)
from synth.project import Project

try:  # the coding engineer's operations, when they exist
    from coding.codebook import AddMemo, DeleteMemo, MergeCodes, MoveCode, UpdateMemo
    from coding.passages import ApplyCode, Recode, RemoveCodings, Uncode
    HAVE_CODING = True
except ImportError:  # pragma: no cover - depends on what has landed
    HAVE_CODING = False
try:
    from coding.evidence import LinkEvidence, MoveEvidence, UnlinkEvidence
    from coding.quotes import MarkQuote, RemoveQuote, UpdateQuote
    from coding.recommendations import (AddRecommendation, DeleteRecommendation,
                                        MoveRecommendation, SetThemeSummary,
                                        UpdateRecommendation)
    from coding.redaction import ConfirmRedaction
    HAVE_EVIDENCE = True
except ImportError:  # pragma: no cover
    HAVE_EVIDENCE = False

# Refusals an operation may raise on a bad request; anything else is a bug. A refused
# operation must leave the project and its history exactly as they were.
REFUSALS = (ValueError, KeyError, sqlite3.IntegrityError)

TRANSCRIPT = ("Facilitator: What would make hybrid working better?\n"
              "P1: Knowing which days my team is in. We waste commutes otherwise.\n"
              "P2: ليس لدي مكتب ثابت — a desk I can rely on 🙂\n"
              "Facilitator: And managers?\n"
              "P3: Training on managing people they rarely see.\n")


def _scratch(check):
    folder = Path(tempfile.mkdtemp(prefix="synth-known-"))
    try:
        with Project.open(_make_template(folder)) as p:
            return check(p)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _merged_recommendations_numbered_from_0(p) -> bool:
    a = p.history.apply(CreateTheme("Pay"))
    b = p.history.apply(CreateTheme("Reward"))
    p.history.apply(AddRecommendation(a, "Publish pay bands"))
    p.history.apply(MergeThemes([a], b))
    return [r[0] for r in p.query("SELECT position FROM recommendations")] == [0]


def _removed_coding_leaves_no_evidence(p) -> bool:
    a = p.history.apply(CreateTheme("Managers"))
    [c] = p.history.apply(ApplyCode(1, 0, 40, [a]))
    p.history.apply(LinkEvidence([("coding", c)], theme_id=a))
    p.history.apply(RemoveCodings([c]))
    return p.scalar("SELECT count(*) FROM evidence WHERE item_kind = 'coding' AND item_id = ?",
                    (c,)) == 0



COUNTS = {"steps": 0, "examples": 0, "checks": 0, "undos": 0, "redos": 0, "reopens": 0,
          "refused": 0, "applied": 0}


def dump(db: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table: two equal dumps are two equal projects (the undo history
    aside: an undo marks its step there)."""
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT IN ('history', 'sqlite_sequence') "
        "ORDER BY name")]
    return {t: sorted(tuple(r) for r in db.execute(f"SELECT * FROM {t}")) for t in tables}


def _make_template(folder: Path) -> Path:
    path = folder / "template.synth"
    with Project.create(path) as p:
        with p.transaction() as db:
            db.execute("INSERT INTO sources(kind, name, imported_at) VALUES "
                       "('debate', 'Debate', 'now')")
            db.executemany(
                "INSERT INTO statements(source_id, external_id, text, moderation, is_meta) "
                "VALUES (1, ?, ?, ?, ?)",
                [(str(i), f"Statement {i} about hybrid working", -1 if i == 11 else 0,
                  int(i == 10)) for i in range(12)])
            db.execute("INSERT INTO sources(kind, name, site, imported_at) VALUES "
                       "('workshop', 'Notes', 'Leeds', 'now')")
            db.executemany("INSERT INTO notes(source_id, text) VALUES (2, ?)",
                           [(f"Note {i}: more quiet rooms",) for i in range(8)])
            db.execute("INSERT INTO sources(kind, name, site, imported_at) VALUES "
                       "('workshop', 'Transcript', 'Cardiff', 'now')")
            db.execute("INSERT INTO documents(source_id, title, text) VALUES (3, 'T', ?)",
                       (TRANSCRIPT,))
            from synth.importers.documents import split_passages
            db.executemany("INSERT INTO passages(document_id, start, end, speaker, speaker_role) "
                           "VALUES (1, ?, ?, ?, ?)",
                           [(q.start, q.end, q.speaker, q.role)
                            for q in split_passages(TRANSCRIPT)])
    return path


class BoardMachine(RuleBasedStateMachine):
    template: Path | None = None

    def __init__(self) -> None:
        super().__init__()
        COUNTS["examples"] += 1
        self.folder = Path(tempfile.mkdtemp(prefix="synth-stateful-"))
        self.path = self.folder / "s.synth"
        shutil.copy(self.template, self.path)  # type: ignore[arg-type]
        self.project = Project.open(self.path)
        self.states = [dump(self.project.db)]   # states[i]: after i applied operations
        self.index = 0

    def teardown(self) -> None:
        try:
            self.project.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ helpers
    def _theme_ids(self) -> list[int]:
        return [r[0] for r in self.project.query("SELECT id FROM themes ORDER BY id")]

    def _cards(self) -> list[tuple[str, int]]:
        return [c.ref for c in board.cards(self.project)]

    def _pick_theme(self, data, *, allow_missing: bool = False) -> int:
        ids = self._theme_ids()
        if allow_missing:
            ids = ids + [max(ids, default=0) + 7]
        return data.draw(st.sampled_from(ids))

    def _pick_cards(self, data, max_size: int = 6) -> list[tuple[str, int]]:
        cards = self._cards()
        return data.draw(st.lists(st.sampled_from(cards), max_size=max_size, unique=True))

    def _apply(self, op) -> None:
        COUNTS["steps"] += 1
        before_done = len(self.project.history.done)
        try:
            self.project.history.apply(op)
        except REFUSALS:
            COUNTS["refused"] += 1
            assert len(self.project.history.done) == before_done
            assert dump(self.project.db) == self.states[self.index], \
                f"a refused {op!r} changed the project"
            return
        if len(self.project.history.done) == before_done:
            # nothing changed: no undo step, and truly no change
            assert dump(self.project.db) == self.states[self.index]
            return
        COUNTS["applied"] += 1
        del self.states[self.index + 1:]
        self.states.append(dump(self.project.db))
        self.index += 1

    # ------------------------------------------------------------------ board operations
    @rule(data=st.data(), name=st.text(max_size=12), nested=st.booleans())
    def create_theme(self, data, name, nested):
        parent = self._pick_theme(data) if nested and self._theme_ids() else None
        self._apply(CreateTheme(name, self._pick_cards(data), parent_id=parent))

    @precondition(lambda self: self._theme_ids())
    @rule(data=st.data(), to_pile=st.booleans())
    def move_cards(self, data, to_pile):
        target = None if to_pile else self._pick_theme(data, allow_missing=True)
        cards = self._pick_cards(data, 10)
        positions = data.draw(st.none() | st.just([(1.5 * i, 2.0) for i in range(len(cards))]))
        self._apply(MoveCards(cards, target, positions))

    @precondition(lambda self: self._theme_ids())
    @rule(data=st.data(), values=st.fixed_dictionaries({}, optional={
        "name": st.text(max_size=20), "colour": st.sampled_from(["#112233", "#abcdef"]),
        "pinned": st.integers(0, 1), "status": st.sampled_from(["candidate", "accepted"]),
        "x": st.floats(-1e6, 1e6), "keywords": st.lists(st.text(max_size=5), max_size=3),
        "summary_shared": st.text(max_size=20)}))
    def update_theme(self, data, values):
        self._apply(UpdateTheme(self._pick_theme(data), values))

    @precondition(lambda self: self._theme_ids())
    @rule(data=st.data(), top=st.booleans())
    def nest_theme(self, data, top):
        parent = None if top else self._pick_theme(data, allow_missing=True)
        self._apply(NestTheme(self._pick_theme(data), parent))

    @precondition(lambda self: len(self._theme_ids()) >= 2)
    @rule(data=st.data())
    def merge_themes(self, data):
        ids = self._theme_ids()
        sources = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        target = data.draw(st.sampled_from(ids))
        self._apply(MergeThemes(sources, target))

    @precondition(lambda self: self._theme_ids())
    @rule(data=st.data())
    def delete_theme(self, data):
        self._apply(DeleteTheme(self._pick_theme(data, allow_missing=True)))

    @precondition(lambda self: self._theme_ids())
    @rule(data=st.data(), sub=st.booleans(), n=st.integers(1, 3))
    def split_theme(self, data, sub, n):
        tid = self._pick_theme(data)
        mine = board.theme_cards(self.project, tid)
        parts = []
        for k in range(n):
            chosen = data.draw(st.lists(st.sampled_from(mine), max_size=3, unique=True)) \
                if mine else []
            parts.append((f"part {k}", chosen))
        self._apply(SplitTheme(tid, parts, as_subthemes=sub))

    @precondition(lambda self: self._theme_ids())
    @rule(data=st.data(), voter=st.sampled_from(["Ana", "Bo", "كريم"]), dots=st.integers(1, 3))
    def cast_dots(self, data, voter, dots):
        self._apply(CastDots(self._pick_theme(data, allow_missing=True), voter, dots))

    @rule(data=st.data())
    def batch(self, data):
        ops = [CreateTheme("batch A", self._pick_cards(data, 3)),
               CreateTheme("batch B", self._pick_cards(data, 3))]
        self._apply(Batch(ops, "Accept candidates"))

    # ------------------------------------------------------------------ coding operations
    def _document_span(self, data) -> tuple[int, int]:
        start = data.draw(st.integers(0, len(TRANSCRIPT)))
        end = data.draw(st.integers(0, len(TRANSCRIPT)))
        return start, end

    @precondition(lambda self: HAVE_CODING and self._theme_ids())
    @rule(data=st.data(), coder=st.sampled_from(["", "Ana", "Bo"]))
    def apply_code(self, data, coder):
        start, end = self._document_span(data)
        ids = data.draw(st.lists(st.sampled_from(self._theme_ids()), min_size=1, max_size=2))
        self._apply(ApplyCode(1, start, end, ids, coder))

    def _coding_ids(self) -> list[int]:
        return [r[0] for r in self.project.query("SELECT id FROM codings ORDER BY id")]

    @precondition(lambda self: HAVE_CODING and self._coding_ids())
    @rule(data=st.data())
    def remove_codings(self, data):
        ids = data.draw(st.lists(st.sampled_from(self._coding_ids()), min_size=1, max_size=3))
        self._apply(RemoveCodings(ids))

    @precondition(lambda self: HAVE_CODING and self._coding_ids())
    @rule(data=st.data(), any_code=st.booleans())
    def uncode(self, data, any_code):
        start, end = self._document_span(data)
        themes = None if any_code else [self._pick_theme(data)]
        self._apply(Uncode(1, start, end, themes))

    @precondition(lambda self: HAVE_CODING and self._coding_ids())
    @rule(data=st.data(), respan=st.booleans())
    def recode(self, data, respan):
        cid = data.draw(st.sampled_from(self._coding_ids()))
        if respan:
            start, end = self._document_span(data)
            self._apply(Recode(cid, start=start, end=end))
        else:
            self._apply(Recode(cid, theme_id=self._pick_theme(data)))

    @precondition(lambda self: HAVE_CODING and self._theme_ids())
    @rule(data=st.data(), top=st.booleans(), position=st.none() | st.integers(-1, 5))
    def move_code(self, data, top, position):
        parent = None if top else self._pick_theme(data)
        self._apply(MoveCode(self._pick_theme(data), parent, position))

    @precondition(lambda self: HAVE_CODING and len(self._theme_ids()) >= 2)
    @rule(data=st.data())
    def merge_codes(self, data):
        ids = self._theme_ids()
        sources = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        target = data.draw(st.sampled_from(ids))
        self._apply(MergeCodes(sources, target))

    @precondition(lambda self: HAVE_CODING and self._theme_ids())
    @rule(data=st.data(), text=st.text(max_size=30))
    def memo(self, data, text):
        memo_ids = [r[0] for r in self.project.query("SELECT id FROM memos")]
        what = data.draw(st.sampled_from(["add", "edit", "delete"] if memo_ids else ["add"]))
        if what == "add":
            self._apply(AddMemo("theme", self._pick_theme(data), text, "Ana"))
        elif what == "edit":
            self._apply(UpdateMemo(data.draw(st.sampled_from(memo_ids)), text))
        else:
            self._apply(DeleteMemo(data.draw(st.sampled_from(memo_ids))))

    # ------------------------------------------------------------------ recommendations, evidence
    def _ids(self, table: str) -> list[int]:
        return [r[0] for r in self.project.query(f"SELECT id FROM {table} ORDER BY id")]

    @precondition(lambda self: HAVE_EVIDENCE and self._theme_ids())
    @rule(data=st.data(), title=st.text(max_size=15), position=st.none() | st.integers(-1, 4))
    def add_recommendation(self, data, title, position):
        self._apply(AddRecommendation(self._pick_theme(data, allow_missing=True), title,
                                      "text", position))

    @precondition(lambda self: HAVE_EVIDENCE and self._ids("recommendations"))
    @rule(data=st.data(), what=st.sampled_from(["edit", "move", "delete"]),
          position=st.integers(-1, 4))
    def change_recommendation(self, data, what, position):
        rid = data.draw(st.sampled_from(self._ids("recommendations")))
        if what == "edit":
            self._apply(UpdateRecommendation(rid, title=data.draw(st.text(max_size=10))))
        elif what == "move":
            other = data.draw(st.none() | st.sampled_from(self._theme_ids()))
            self._apply(MoveRecommendation(rid, position, other))
        else:
            self._apply(DeleteRecommendation(rid))

    def _items(self, data) -> list[tuple[str, int]]:
        pool = [("statement", i) for i in self._ids("statements")[:6]]
        pool += [("note", i) for i in self._ids("notes")[:4]]
        pool += [("passage", i) for i in self._ids("passages")[-4:]]
        pool += [("quote", i) for i in self._ids("quotes")[-3:]]
        pool += [("coding", i) for i in self._ids("codings")[-3:]]
        pool += [("statement", 999)]       # no such item: must be refused
        return data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))

    @precondition(lambda self: HAVE_EVIDENCE and self._theme_ids())
    @rule(data=st.data(), to_rec=st.booleans(),
          role=st.sampled_from(["support", "shared", "want", "nonsense"]),
          position=st.none() | st.integers(-1, 5))
    def link_evidence(self, data, to_rec, role, position):
        recs = self._ids("recommendations")
        if to_rec and recs:
            target = {"recommendation_id": data.draw(st.sampled_from(recs))}
        else:
            target = {"theme_id": self._pick_theme(data)}
        self._apply(LinkEvidence(self._items(data), role=role, position=position, **target))

    @precondition(lambda self: HAVE_EVIDENCE and self._ids("evidence"))
    @rule(data=st.data(), unlink=st.booleans(), position=st.integers(-1, 5))
    def change_evidence(self, data, unlink, position):
        ids = self._ids("evidence")
        if unlink:
            self._apply(UnlinkEvidence(data.draw(st.lists(st.sampled_from(ids), min_size=1,
                                                          max_size=2))))
        else:
            self._apply(MoveEvidence(data.draw(st.sampled_from(ids)), position))

    @precondition(lambda self: HAVE_EVIDENCE)
    @rule(data=st.data(), span=st.booleans())
    def mark_quote(self, data, span):
        kind, item = data.draw(st.sampled_from(
            [("statement", i) for i in self._ids("statements")[:4]]
            + [("passage", i) for i in self._ids("passages")[-3:]] + [("note", 1)]))
        start, end = (0, 5) if span else (None, None)
        self._apply(MarkQuote(kind, item, start, end))

    @precondition(lambda self: HAVE_EVIDENCE and self._ids("quotes"))
    @rule(data=st.data(), what=st.sampled_from(["consent", "attribution", "redact", "remove"]))
    def change_quote(self, data, what):
        qid = data.draw(st.sampled_from(self._ids("quotes")))
        if what == "consent":
            self._apply(UpdateQuote(qid, {"consent": data.draw(st.booleans())}))
        elif what == "attribution":
            self._apply(UpdateQuote(qid, {"attribution": data.draw(st.text(max_size=10))}))
        elif what == "redact":
            a = data.draw(st.integers(0, 8))
            self._apply(ConfirmRedaction(qid, a, a + data.draw(st.integers(-1, 5))))
        else:
            self._apply(RemoveQuote(qid))

    @precondition(lambda self: HAVE_EVIDENCE and self._theme_ids())
    @rule(data=st.data(), shared=st.none() | st.text(max_size=10))
    def theme_summary(self, data, shared):
        self._apply(SetThemeSummary(self._pick_theme(data), shared=shared, want="more"))

    # ------------------------------------------------------------------ undo, redo, reopen
    @rule()
    def undo(self):
        COUNTS["steps"] += 1
        if self.project.history.undo() is None:
            assert self.index == 0
            return
        COUNTS["undos"] += 1
        self.index -= 1
        assert dump(self.project.db) == self.states[self.index], "undo did not restore the state"

    @rule()
    def redo(self):
        COUNTS["steps"] += 1
        if self.project.history.redo() is None:
            assert self.index == len(self.states) - 1
            return
        COUNTS["redos"] += 1
        self.index += 1
        assert dump(self.project.db) == self.states[self.index], "redo did not restore the state"

    @rule()
    def undo_everything_then_redo_everything(self):
        COUNTS["steps"] += 1
        h = self.project.history
        while h.can_undo():
            h.undo()
            COUNTS["undos"] += 1
        assert dump(self.project.db) == self.states[0], "undoing everything is not the start"
        while h.can_redo():
            h.redo()
            COUNTS["redos"] += 1
        self.index = len(self.states) - 1
        assert dump(self.project.db) == self.states[-1]

    @rule()
    def close_and_reopen(self):
        COUNTS["steps"] += 1
        COUNTS["reopens"] += 1
        before = dump(self.project.db)
        self.project.close()
        self.project = Project.open(self.path)
        assert self.project.scalar("PRAGMA integrity_check") == "ok"
        after = dump(self.project.db)
        assert after == before, "reopening changed the project"
        # the undo history is kept in the file: what was done still undoes; what was undone
        # can no longer be redone
        self.states = self.states[:self.index + 1]
        assert [len(self.project.history.done)] == [self.index]

    # ------------------------------------------------------------------ invariants
    @invariant()
    def project_is_consistent(self):
        COUNTS["checks"] += 1
        p = self.project
        # the state is the one the model expects
        now = dump(p.db)
        assert now == self.states[self.index]
        # the file holds what the open project sees (every change committed)
        disk = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            assert dump(disk) == now, "the file differs from the open project"
        finally:
            disk.close()
        # every reference valid
        assert p.query("PRAGMA foreign_key_check") == []
        dangling = p.scalar(
            "SELECT count(*) FROM card_places cp WHERE NOT EXISTS ("
            " SELECT 1 FROM statements s WHERE cp.card_kind = 'statement' AND s.id = cp.card_id"
            " UNION ALL SELECT 1 FROM notes n WHERE cp.card_kind = 'note' AND n.id = cp.card_id"
            " UNION ALL SELECT 1 FROM passages q WHERE cp.card_kind = 'passage'"
            "   AND q.id = cp.card_id)")
        assert dangling == 0, "a card place names a card that does not exist"
        # the theme tree has no cycle
        parents = dict(p.query("SELECT id, parent_id FROM themes"))
        for tid in parents:
            seen = set()
            node = tid
            while node is not None:
                assert node not in seen, f"theme {tid} is nested inside itself"
                seen.add(node)
                node = parents.get(node)
        # counts: every card in one place (the PK), the places add up
        cards = board.cards(p)
        refs = [c.ref for c in cards]
        assert len(refs) == len(set(refs))
        placed = sum(len(board.theme_cards(p, t)) for t in parents)
        assert placed == p.scalar("SELECT count(*) FROM card_places")
        on_board = sum(c.theme_id is not None for c in cards)
        assert on_board + len(board.cards(p, theme_id=None)) == len(cards)
        assert p.summary().themes == len(parents)
        # lists the researcher orders stay numbered 0, 1, 2 … (what the report prints as 1.1, 1.2)
        for (tid,) in p.query("SELECT DISTINCT theme_id FROM recommendations"):
            pos = [r[0] for r in p.query("SELECT position FROM recommendations WHERE "
                                         "theme_id = ? ORDER BY position", (tid,))]
            assert pos == list(range(len(pos))), f"recommendations of theme {tid}: {pos}"
        # evidence and quotes point at items that exist
        for kind, table in (("statement", "statements"), ("note", "notes"),
                            ("passage", "passages"), ("quote", "quotes"),
                            ("coding", "codings")):
            for src in ("evidence", "quotes"):
                if src == "quotes" and kind == "quote":
                    continue
                missing = p.scalar(f"SELECT count(*) FROM {src} e WHERE e.item_kind = ? AND "
                                   f"NOT EXISTS (SELECT 1 FROM {table} x WHERE x.id = e.item_id)",
                                   (kind,))
                assert missing == 0, f"{src} cites a {kind} that does not exist"


def test_merge_into_own_subtheme_keeps_a_tree(project):
    """Found by the state machine: merging a theme into its own sub-theme made the sub-theme
    its own parent."""
    a = project.history.apply(CreateTheme("Workload"))
    b = project.history.apply(CreateTheme("Too many meetings", parent_id=a))
    project.history.apply(MergeThemes([a], b))
    assert project.scalar("SELECT parent_id FROM themes WHERE id = ?", (b,)) != b


def test_merged_recommendations_are_numbered_from_0():
    assert _scratch(_merged_recommendations_numbered_from_0)


def test_removing_a_coding_leaves_no_evidence_citing_it():
    assert _scratch(_removed_coding_leaves_no_evidence)


def _run(max_examples: int, steps: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="synth-template-"))
    try:
        BoardMachine.template = _make_template(folder)
        BoardMachine.TestCase.settings = settings(
            max_examples=max_examples, stateful_step_count=steps, deadline=None,
            suppress_health_check=list(HealthCheck), derandomize=not SOAK, database=None)
        BoardMachine.TestCase().runTest()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_operations_under_fire():
    for k in COUNTS:
        COUNTS[k] = 0
    t = time.perf_counter()
    if SOAK:
        _run(max_examples=250, steps=100)
    else:
        _run(max_examples=60, steps=60)
    seconds = time.perf_counter() - t
    record("stateful operations", **COUNTS, seconds=round(seconds, 1),
           coding_operations=HAVE_CODING)
    print(f"\nstateful: {COUNTS} in {seconds:.0f} s")
    assert COUNTS["steps"] >= (15_000 if SOAK else 2_000)
