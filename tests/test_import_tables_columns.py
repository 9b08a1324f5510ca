"""Columns of a researcher's own spreadsheet: recognised, summed, or named as not imported."""
from __future__ import annotations

from synth.importers import detect, import_path
from synth.importers.tables import NOTE_FIELDS, import_notes, import_tallies, suggest_mapping

# QA's notes_padded.csv: Excel's ";" with trailing padding, a "Keep / Ditch / Add" column
PADDED = ("\ufeffNote ID;City;Keep / Ditch / Add;Note;Dot votes;Written by;;;\n"
          "L-01;Lambeth;keep;Youth panels that meet the commander;3;participant;;;\n"
          "L-02;Lambeth;ditch;Stop and search quotas;5;participant;;;\n"
          "C-01;Croydon;Add;Detached youth workers;2;facilitator;;;\n")


def test_a_keep_ditch_add_column_is_the_activity_and_padding_is_no_column(project, tmp_path):
    f = tmp_path / "notes_padded.csv"
    f.write_text(PADDED, encoding="utf-8")
    report = import_path(project, f)[0]
    rows = project.query("SELECT external_id, activity, author_role FROM notes ORDER BY id")
    assert [tuple(r) for r in rows] == [("L-01", "keep", "participant"),
                                        ("L-02", "ditch", "participant"),
                                        ("C-01", "add", "facilitator")]
    assert report.options["mapping"]["activity"] == "Keep / Ditch / Add"
    assert not [w for w in report.warnings if "not imported" in w]


def test_activity_and_text_columns_are_recognised_by_how_they_read():
    m = suggest_mapping(["Ref", "Stop, start or continue?", "Sticky note text", "Town"],
                        NOTE_FIELDS)
    assert m["activity"] == "Stop, start or continue?"
    assert m["text"] == "Sticky note text" and m["site"] == "Town"
    assert suggest_mapping(["Text of the note", "Note no"], NOTE_FIELDS)["text"] \
        == "Text of the note"


def test_a_column_no_field_takes_is_named_in_a_warning(project, tmp_path):
    f = tmp_path / "workshop.csv"
    f.write_text("City,Mood,Note,,Keep / Ditch / Add\n"
                 "Lambeth,happy,More youth clubs,x,keep\n"
                 "Croydon,sad,Fewer stops,,ditch\n", encoding="utf-8")
    # a mapping that leaves the activity column out (study.json, a remembered mapping)
    report = import_notes(project, f, mapping={"text": "Note", "site": "City"})
    assert report.counts == {"notes": 2, "sites": 2}
    [w] = [w for w in report.warnings if "not imported" in w]
    assert w.startswith("workshop.csv: 3 columns not imported: “Mood”, column D (no header), "
                        "“Keep / Ditch / Add”")
    assert project.scalar("SELECT count(*) FROM notes WHERE activity != ''") == 0


def test_a_five_point_tally_table_counts_strongly_with_agree_and_disagree(project, tmp_path):
    f = tmp_path / "likert.csv"
    f.write_text("Statement,Strongly agree,Agree,Neutral,Disagree,Strongly disagree\n"
                 "Police should publish stop and search data monthly,30,11,4,2,1\n"
                 "Young people should be paid to sit on panels,12,23,8,5,4\n"
                 "Panels should meet in school hours,3,9,10,14,12\n", encoding="utf-8")
    assert detect(f) == "tallies"
    report = import_tallies(project, f)
    assert report.counts == {"statements": 3, "votes (tallied)": 148}
    first = project.query("SELECT agree_tally, disagree_tally, pass_tally FROM statements "
                          "ORDER BY id")[0]
    assert tuple(first) == (41, 3, 4)       # 85 % of 48 agree, not 65 % of 17
    [w] = [w for w in report.warnings if "five-point" in w]
    assert "likert.csv" in w and "“Strongly agree” and “Agree” counted together as agree" in w \
        and "“Strongly disagree” and “Disagree” counted together as disagree" in w
    assert not [w for w in report.warnings if "not imported" in w]


def test_a_tally_column_left_out_is_named(project, tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("Statement,Agree,Disagree,Pass,Weight\nA thing,3,2,1,0.5\n", encoding="utf-8")
    report = import_tallies(project, f)
    assert report.counts["votes (tallied)"] == 6
    assert [w for w in report.warnings if "not imported" in w] == [
        "t.csv: 1 column not imported: “Weight” (choose a field for it in the Import dialog, "
        "or in the “mapping” of study.json, to keep it)"]
