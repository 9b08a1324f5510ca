"""An NVivo-like .qdpx whose coded span is a paragraph's words but for the speaker label: one
card, Kwame's, in the code's theme, not the span and the paragraph both (QA 33)."""
from __future__ import annotations

from qdpx_files import write_qdpx_file
from synth.board import cards
from synth.importers import import_path

TEXT = "Interviewer: What happened?\nKwame: They stopped me twice.\n"
QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="NVivo youth" origin="NVivo 14">
  <Users><User guid="11111111-0000-0000-0000-000000000001" name="Sam"/></Users>
  <CodeBook><Codes>
    <Code guid="22222222-0000-0000-0000-000000000001" name="Stop and search" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="aaaaaaaa-0000-0000-0000-000000000001" name="Interview Kwame"
        plainTextPath="internal://a.txt">
      <PlainTextSelection guid="55555555-0000-0000-0000-000000000001" name="sel"
          startPosition="{start}" endPosition="{end}">
        <Coding guid="66666666-0000-0000-0000-000000000001">
          <CodeRef targetGUID="22222222-0000-0000-0000-000000000001"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


def _qdpx(tmp_path, phrase: str):
    start = TEXT.index(phrase)
    qde = QDE.replace("{start}", str(start)).replace("{end}", str(start + len(phrase) + 1))
    return write_qdpx_file(tmp_path / "nvivo.qdpx", {"project.qde": qde.encode("utf-8"),
                                                     "sources/a.txt": TEXT.encode("utf-8")})


def test_a_paragraph_coded_but_for_its_label_is_one_card(project, tmp_path):
    import_path(project, _qdpx(tmp_path, "They stopped me twice."))
    theme = project.scalar("SELECT id FROM themes WHERE name = 'Stop and search'")
    got = sorted((c.text, c.theme_id) for c in cards(project))
    # before: three cards, "Kwame: They stopped me twice." unsorted beside the coded span
    assert got == [("Interviewer: What happened?", None), ("They stopped me twice.", theme)]
    assert project.query("SELECT speaker, speaker_role FROM passages WHERE start = ?",
                         (TEXT.index("They"),))[0][:] == ("Kwame", "participant")
    assert project.scalar("SELECT count(*) FROM codings") == 1


def test_a_part_of_a_paragraph_coded_keeps_the_paragraph(project, tmp_path):
    import_path(project, _qdpx(tmp_path, "stopped me"))
    texts = sorted(c.text for c in cards(project))
    assert texts == ["Interviewer: What happened?", "Kwame: They stopped me twice.",
                     "stopped me"]
