"""Every text that leaves through the REFI-QDA project is masked as the report masks it, read
back from the .qdpx: the transcript, the notes and the statements (sources), and what is not
an item's words — memos, a theme's description, a document's title, participants'
characteristics. Phone numbers (a US one: QA found "270-555-0199" in the stripped export's
sources) and e-mail addresses always; names too when stripping is asked, a name column's
values whole."""
from __future__ import annotations

import zipfile

import pytest

from export_study import add_turn, build_study
from exports.refi_qda import read_codings, write_qdpx

TURN = "Call me at 270-555-0199 if you want to talk more."
NOTE = "Señora García said the bus is 20 min late, ring (270) 555-0199"
MEMO = "Kwame Mensah asked us to call back on +1 270 555 0199 or kwame@example.org"
DESCRIPTION = "Raised first by Sarah Jones (07700 900123)"
TITLE = "Interview with Sarah Jones"


@pytest.fixture
def study(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "m.synth")
    ids = build_study(project, tmp_path, participants=30)
    theme = ids["themes"]["hybrid"]
    with project.transaction() as db:
        add_turn(db, TURN, theme)
        db.execute("UPDATE documents SET title = ? WHERE id = (SELECT min(id) FROM documents)",
                   (TITLE,))
        note = ids["notes"][0][0]            # (note id, theme key): placed in its theme
        db.execute("UPDATE notes SET text = ? WHERE id = ?", (NOTE, note))
        db.execute("INSERT INTO memos(target_kind, target_id, text, author) VALUES "
                   "('theme', ?, ?, 'RA')", (theme, MEMO))
        db.execute("UPDATE themes SET description = ? WHERE id = ?", (DESCRIPTION, theme))
        pid = db.execute("SELECT participant_id FROM participant_attributes LIMIT 1"
                         ).fetchone()[0]
        db.execute("INSERT INTO participant_attributes(participant_id, name, value) VALUES "
                   "(?, 'Name', 'Kwame Mensah'), (?, 'phone', '270-555-0199')", (pid, pid))
    yield project, tmp_path
    project.close()


def _everything(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist())


def test_phones_and_e_mails_leave_masked_without_stripping(study):
    project, tmp = study
    text = _everything(write_qdpx(project, tmp / "plain.qdpx", strip_personal_data=False).path)
    for phone in ("270-555-0199", "(270) 555-0199", "+1 270 555 0199", "07700 900123",
                  "kwame@example.org"):
        assert phone not in text
    assert "Call me at [phone number] if you want to talk more." in text       # transcript
    assert "Señora García said the bus is 20 min late, ring [phone number]" in text  # note
    assert "Kwame Mensah asked us to call back on [phone number] or [e-mail address]" in text
    assert "Raised first by Sarah Jones ([phone number])" in text          # description
    assert f'name="{TITLE}' in text                 # names are kept when not stripping
    assert "<TextValue>Kwame Mensah</TextValue>" in text
    assert text.count("<TextValue>[phone number]</TextValue>") == 1


def test_stripping_masks_names_in_every_text_that_leaves(study):
    project, tmp = study
    before = read_codings(write_qdpx(project, tmp / "plain.qdpx", strip_personal_data=False
                                     ).path)
    path = write_qdpx(project, tmp / "strip.qdpx", strip_personal_data=True).path
    text = _everything(path)
    for said in ("270-555-0199", "García", "Kwame", "Mensah", "Sarah Jones", "kwame@"):
        assert said not in text, said
    assert "Call me at [phone number] if you want to talk more." in text
    assert "[name] said the bus is 20 min late, ring [phone number]" in text
    # the memo: a name the project holds (a participant's name column) and the phone
    assert "[name] asked us to call back on [phone number] or [e-mail address]" in text
    assert "Raised first by [name] ([phone number])" in text
    assert 'name="Interview with [name]' in text
    assert text.count("<TextValue>[name]</TextValue>") == 1
    # the codings keep their number and their codes
    after = read_codings(path)
    assert sorted((s.replace(TITLE, "Interview with [name]"), c) for s, c, _ in before) == \
        sorted((s, c) for s, c, _ in after)
    assert any(t == "[name] said the bus is 20 min late, ring [phone number]"
               for _s, _c, t in after)


def test_a_code_name_the_analysis_made_leaves_as_the_report_prints_it(study):
    """A theme name the analysis made of a person's name ("Hybrid & Mensah") is exported as the
    report prints it, stripping or not; the team's own names are theirs."""
    import re
    project, tmp = study
    hybrid = project.scalar("SELECT theme_id FROM card_places WHERE card_kind = 'passage' "
                            "ORDER BY card_id DESC LIMIT 1")
    other = project.scalar("SELECT id FROM themes WHERE id != ? ORDER BY id LIMIT 1", (hybrid,))
    with project.transaction() as db:
        add_turn(db, "I asked John Mensah about the trains.", hybrid)
        db.execute("UPDATE themes SET name = 'Hybrid & Mensah', name_edited = 0 WHERE id = ?",
                   (hybrid,))
        db.execute("UPDATE themes SET name = 'Mensah panel', name_edited = 1 WHERE id = ?",
                   (other,))
    for strip in (False, True):
        with zipfile.ZipFile(write_qdpx(project, tmp / f"c{strip}.qdpx",
                                        strip_personal_data=strip).path) as z:
            names = re.findall(r'<Code [^>]*name="([^"]*)"', z.read("project.qde").decode())
        assert "Hybrid &amp; [name]" in names and "Mensah panel" in names, names
        assert "Hybrid &amp; Mensah" not in names
