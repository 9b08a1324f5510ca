"""The project file: creation, refusal of foreign and newer files, locking, undo/redo."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from synth.board import (CreateTheme, DeleteTheme, MergeThemes, MoveCards, NestTheme,
                         UpdateTheme, theme_cards, themes)
from synth.project import Project, ProjectError, ProjectInUse, blob_to_array
from synth.schema import APPLICATION_ID, SCHEMA_V1, SCHEMA_VERSION


def dump(project: Project) -> dict[str, list[tuple]]:
    """Every row of every table, for comparing states of the file (not the undo history
    itself: an undo marks its step undone there)."""
    tables = [r[0] for r in project.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT IN ('history', 'sqlite_sequence') "
        "ORDER BY name")]
    return {t: sorted(tuple(r) for r in project.query(f"SELECT * FROM {t}")) for t in tables}


def _with_statements(project: Project, n: int = 5) -> list[tuple[str, int]]:
    with project.transaction() as db:
        db.execute("INSERT INTO sources(kind, name, imported_at) VALUES ('tallies','t','now')")
        db.executemany("INSERT INTO statements(source_id, external_id, text) VALUES (1, ?, ?)",
                       [(str(i), f"statement {i}") for i in range(n)])
    return [("statement", r[0]) for r in project.query("SELECT id FROM statements ORDER BY id")]


def test_new_project_has_schema_and_version(tmp_path):
    with Project.create(tmp_path / "a.synth") as p:
        assert p.meta("application") == "synth"
        assert p.meta("schema_version") == str(SCHEMA_VERSION)
        assert p.scalar("PRAGMA journal_mode") == "wal"
        assert p.scalar("PRAGMA foreign_keys") == 1


def test_not_a_synth_file_is_refused_clearly(tmp_path):
    junk = tmp_path / "junk.synth"
    junk.write_bytes(b"\x00\x01binary junk" * 100)
    with pytest.raises(ProjectError, match="not a Synth project"):
        Project.open(junk)
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE x(a)")
    db.commit()
    db.close()
    with pytest.raises(ProjectError, match="another application"):
        Project.open(other)
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "missing.synth")


def test_newer_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "new.synth"
    Project.create(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(ProjectError, match="newer Synth"):
        Project.open(path)


def test_second_writer_is_told_the_project_is_in_use(tmp_path):
    path = tmp_path / "a.synth"
    first = Project.create(path)
    with pytest.raises(ProjectInUse, match="open in another"):
        Project.open(path)
    ro = Project.open(path, read_only=True)
    assert ro.read_only and ro.summary().statements == 0
    with pytest.raises(ProjectError, match="read-only"):
        with ro.transaction():
            pass
    ro.close()
    first.close()
    Project.open(path).close()  # free again once the first one closed


def test_arrays_are_float32_blobs_with_shape(project):
    with project.transaction() as db:
        run = db.execute("INSERT INTO analysis_runs(kind, created) VALUES ('x','now')").lastrowid
    a = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
    project.put_array(run, "pca", a)
    b = project.get_array(run, "pca")
    assert b.shape == (3, 4) and b.dtype == np.float32
    np.testing.assert_allclose(b, a.astype(np.float32))
    raw = project.scalar("SELECT data FROM arrays")
    assert len(raw) == 48
    np.testing.assert_array_equal(blob_to_array(raw, [3, 4]), b)


def test_every_board_operation_undoes_and_redoes_exactly(project):
    cards = _with_statements(project, 6)
    start = dump(project)
    h = project.history
    a = h.apply(CreateTheme("Pay", cards[:2]))
    b = h.apply(CreateTheme("Workload", cards[2:4]))
    h.apply(MoveCards(cards[4:], a))
    h.apply(UpdateTheme(a, {"name": "Pay and reward", "colour": "#ff0000"}))
    h.apply(NestTheme(b, a))
    h.apply(MergeThemes([b], a))
    after_ops = dump(project)
    assert theme_cards(project, a) == sorted(cards)
    assert [t.name for t in themes(project)] == ["Pay and reward"]
    assert themes(project)[0].name_edited
    h.apply(DeleteTheme(a))
    assert project.scalar("SELECT count(*) FROM card_places") == 0
    h.undo()
    assert dump(project) == after_ops
    while h.can_undo():
        h.undo()
    assert dump(project) == start
    while h.can_redo():
        h.redo()
    assert project.scalar("SELECT count(*) FROM themes") == 0
    h.undo()
    assert dump(project) == after_ops


def test_undone_rename_keeps_the_theme_cards(project):
    """Undo writes rows back with UPDATE: a REPLACE would cascade-delete the theme's cards."""
    cards = _with_statements(project, 3)
    t = project.history.apply(CreateTheme("A", cards))
    project.history.apply(UpdateTheme(t, {"name": "B"}))
    project.history.undo()
    assert theme_cards(project, t) == cards


def test_nesting_a_theme_in_itself_is_refused_and_changes_nothing(project):
    cards = _with_statements(project, 2)
    a = project.history.apply(CreateTheme("A", cards[:1]))
    b = project.history.apply(CreateTheme("B", cards[1:], parent_id=a))
    before = dump(project)
    with pytest.raises(ValueError):
        project.history.apply(NestTheme(a, b))
    assert dump(project) == before


def test_operations_survive_reopening(tmp_path):
    path = tmp_path / "s.synth"
    with Project.create(path) as p:
        cards = _with_statements(p, 4)
        t = p.history.apply(CreateTheme("Hybrid working", cards[:3]))
        before = dump(p)
    with Project.open(path) as p:
        assert dump(p) == before
        assert theme_cards(p, t) == cards[:3]


def test_save_as_copies_the_whole_study(project, tmp_path):
    cards = _with_statements(project, 3)
    project.history.apply(CreateTheme("A", cards))
    copy = project.save_as(tmp_path / "copy.synth")
    assert dump(copy) == dump(project)
    copy.close()


def test_import_save_close_open_gives_identical_objects(tmp_path):
    from conftest import POLIS
    from synth import model
    from synth.importers import import_path
    path = tmp_path / "rt.synth"
    notes = tmp_path / "notes.csv"
    notes.write_text("site,activity,text\nLeeds,keep,Ça va — “quiet rooms” 🙂\n",
                     encoding="utf-8")
    with Project.create(path) as p:
        import_path(p, POLIS / "bg2050-volunteers")
        import_path(p, notes)
        before = model.everything(p)
        saved = p.save_as(tmp_path / "copy.synth")
        saved.close()
    for f in (path, tmp_path / "copy.synth"):
        with Project.open(f) as p:
            after = model.everything(p)
        assert after == before
    assert len(before["votes"]) == 14_283
    assert before["notes"][0].text == "Ça va — “quiet rooms” 🙂"
    assert sum(s.is_seed for s in before["statements"]) > 0


def test_integer_arrays_keep_ids_exact(project):
    with project.transaction() as db:
        run = db.execute("INSERT INTO analysis_runs(kind, created) VALUES ('x','now')").lastrowid
    ids = np.array([1, 16_777_217, 2**40 + 3], dtype=np.int64)  # beyond float32's exact range
    project.put_array(run, "participant_ids", ids)
    back = project.get_array(run, "participant_ids")
    assert back.dtype == np.int64 and back.tolist() == ids.tolist()


def test_move_cards_refuses_cards_that_do_not_exist(project):
    cards = _with_statements(project, 2)
    t = project.history.apply(CreateTheme("A"))
    before = dump(project)
    with pytest.raises(ValueError, match="no statement 999"):
        project.history.apply(MoveCards([cards[0], ("statement", 999)], t))
    assert dump(project) == before


def _format_1_file(path):
    """A project as the first Synth wrote it: format 1, float32 arrays without a dtype."""
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V1)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                   [("application", "synth"), ("schema_version", "1")])
    db.execute("INSERT INTO analysis_runs(id, kind, created) VALUES (1, 'x', 'now')")
    db.execute("INSERT INTO arrays(run_id, name, shape, data) VALUES (1, 'xy', '[2]', ?)",
               (np.array([1.5, 2.5], dtype="<f4").tobytes(),))
    db.commit()
    db.close()


def test_an_older_file_is_migrated_forward_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.synth"
    _format_1_file(path)
    with Project.open(path, read_only=True) as ro:   # read-only: not migrated, still readable
        assert ro.meta("schema_version") == "1"
        assert ro.get_array(1, "xy").tolist() == [1.5, 2.5]
    with Project.open(path) as p:
        assert p.meta("schema_version") == str(SCHEMA_VERSION)
        assert p.get_array(1, "xy").tolist() == [1.5, 2.5]
        p.put_array(1, "ids", np.array([2**40 + 1]))
        assert p.get_array(1, "ids").tolist() == [2**40 + 1]
    fresh = tmp_path / "new.synth"
    Project.create(fresh).close()
    cols = lambda f: {t: [tuple(r) for r in sqlite3.connect(f).execute(  # noqa: E731
        f'PRAGMA table_info("{t}")')] for t in ("arrays",)}
    assert cols(path) == cols(fresh)   # migrated and new files have the same structure


def test_a_new_project_over_one_open_elsewhere_is_refused_and_the_file_kept(tmp_path):
    """Replacing a project that a window holds used to delete its file first; now the lock is
    taken first and the file stays as it was."""
    path = tmp_path / "a.synth"
    with Project.create(path) as held:
        _with_statements(held, 3)
        before = dump(held)
        with pytest.raises(ProjectInUse):
            Project.create(path, overwrite=True)
        assert dump(held) == before
        # the held project's own files only: no build file (.building) left beside it
        assert sorted(f.name for f in tmp_path.iterdir()) == [
            "a.synth", "a.synth-shm", "a.synth-wal", "a.synth.lock"]
    with Project.open(path) as again:
        assert again.scalar("SELECT count(*) FROM statements") == 3
    with Project.create(path, overwrite=True) as fresh:     # closed: replaced, empty
        assert fresh.scalar("SELECT count(*) FROM statements") == 0
    with pytest.raises(ProjectError, match="is a folder"):
        Project.create(tmp_path, overwrite=True)


def test_a_replacement_failing_at_the_rename_keeps_the_old_projects_committed_work(
        tmp_path, monkeypatch):
    """Work committed to a project but still in its -wal (a crash kept it there) is written into
    the project before its journals are cleared for the new file; they were only deleted, so a
    failure between that and the rename lost it. The new file leaves nothing behind."""
    import os
    import shutil
    path = tmp_path / "a.synth"
    p = Project.create(path)
    _with_statements(p, 3)                               # committed, still in the -wal
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in (path, tmp_path / "a.synth-wal"):
        shutil.copy(f, copy / f.name)
    p.close()
    target = copy / "a.synth"
    assert (copy / "a.synth-wal").stat().st_size > 0

    def failing(src, dst):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="Input/output error"):
        Project.create(target, overwrite=True)
    monkeypatch.undo()
    assert sorted(f.name for f in copy.iterdir()) == ["a.synth", "a.synth.lock"]
    with Project.open(target) as again:
        assert again.scalar("SELECT count(*) FROM statements") == 3


def test_a_project_filled_before_it_takes_its_place(tmp_path):
    """create(fill=): the work is done in the new file, which replaces the old only when the
    work succeeded; interrupted, the old project and the folder are as they were."""
    path = tmp_path / "study" / "a.synth"

    def interrupted(project):
        _with_statements(project, 2)
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        Project.create(path, fill=interrupted)
    assert list(tmp_path.iterdir()) == []                # no file, lock nor folder of ours
    with Project.create(path, fill=lambda p: _with_statements(p, 4)) as made:
        assert made.path == path and made.scalar("SELECT count(*) FROM statements") == 4
    with pytest.raises(KeyboardInterrupt):
        Project.create(path, overwrite=True, fill=interrupted)
    assert sorted(f.name for f in path.parent.iterdir()) == ["a.synth", "a.synth.lock"]
    with Project.open(path) as kept:
        assert kept.scalar("SELECT count(*) FROM statements") == 4


@pytest.mark.parametrize("name", ["study #2.synth", "what?.synth", "100% sure.synth"])
def test_a_project_whose_name_has_uri_characters_opens_read_only(tmp_path, name):
    """The read-only open names the file in a URI: a "#" there cut the name short (an empty
    file "study " was made beside the project and the open failed)."""
    path = tmp_path / name
    with Project.create(path) as p:
        _with_statements(p, 2)
    with Project.open(path, read_only=True) as ro:
        assert ro.scalar("SELECT count(*) FROM statements") == 2
    assert all(f.name.startswith(name) for f in tmp_path.iterdir())   # no other file made


def test_a_look_leaves_the_folder_as_it_found_it(tmp_path):
    """Project.look (info, evidence): a read-only view of a WAL project left -wal and -shm
    files beside it; a look while no one writes holds the lock (shared among looks, refusing a
    writer) and reads the file as it is. A lock file it had to make goes with it, and one it
    found keeps its content."""
    path = tmp_path / "a.synth"
    with Project.create(path) as p:
        _with_statements(p, 3)
    lock = tmp_path / "a.synth.lock"
    before = {f.name: f.read_bytes() for f in tmp_path.iterdir()}
    with Project.look(path) as first, Project.look(path) as second:
        assert first.read_only and first.scalar("SELECT count(*) FROM statements") == 3
        assert second.scalar("SELECT count(*) FROM statements") == 3
        with pytest.raises(ProjectInUse):
            Project.open(path)
    assert {f.name: f.read_bytes() for f in tmp_path.iterdir()} == before
    lock.unlink()
    with Project.look(path) as p:
        assert p.summary().statements == 3
    assert sorted(f.name for f in tmp_path.iterdir()) == ["a.synth"]
    with Project.open(path) as writer:                   # a window writes: a look reads its
        writer.set_setting("probe", "committed")         # committed work, through its -wal
        with Project.look(path) as p:
            assert p.setting("probe") == "committed"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["a.synth", "a.synth.lock"]
