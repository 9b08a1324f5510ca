"""Hand-written .qdpx files for the import tests: one in QualCoder's style (text inline in
PlainTextContent, codes nested under a category that is not codable, two coders), with a second
source stored in sources/ with Windows line ends, an audio source and cases Synth does not import.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from coding_study import span as at

U_ANA, U_BEN = "0d8e1a6c-1111-4a2b-8c3d-000000000001", "0d8e1a6c-1111-4a2b-8c3d-000000000002"
C_PLACE, C_TRAVEL, C_HOME, C_KIT = (f"5b2c7e10-2222-4f3a-9b1c-00000000000{i}" for i in range(1, 5))
S_INLINE, S_FILE, S_AUDIO = (f"9e4d2a30-3333-4c5d-8e7f-00000000000{i}" for i in range(1, 4))

INLINE_TEXT = ("Interviewer: What would you keep from the remote scenario?\n"
               "Ana: Not coming in. The commute costs me two hours and £14 a day.\n"
               "Interviewer: And what would you add?\n"
               "Ana: A proper chair — naïve of me to buy my own 😀.\n")
FILE_TEXT = ("Interviewer: Tell me about the office.\r\n"
             "Ben: The booking system never has a desk.\r\n"
             "Ben: Hot desks with no monitors are useless.\r\n")


def _selection(n: int, text: str, phrase: str, code: str, user: str) -> str:
    s, e = at(text, phrase)
    return (f'<PlainTextSelection guid="7a7a7a7a-4444-4d4d-8e8e-{n:012d}" name="{phrase[:20]}" '
            f'startPosition="{s}" endPosition="{e}" creatingUser="{user}" '
            f'creationDateTime="2024-05-01T10:00:00Z">'
            f'<Coding guid="6b6b6b6b-5555-4e4e-8f8f-{n:012d}" creatingUser="{user}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def qualcoder_qde() -> str:
    inline = INLINE_TEXT.replace("&", "&amp;").replace("<", "&lt;")
    sels_inline = (
        _selection(1, INLINE_TEXT, "Not coming in. The commute costs me two hours and £14 a day.",
                   C_TRAVEL, U_ANA)
        + _selection(2, INLINE_TEXT, "Not coming in.", C_HOME, U_BEN)
        + _selection(3, INLINE_TEXT, "A proper chair — naïve of me to buy my own 😀.", C_KIT,
                     U_ANA))
    # positions in the file's text as stored, \r\n counted as two characters
    sels_file = (_selection(4, FILE_TEXT, "The booking system never has a desk.", C_KIT, U_BEN)
                 + _selection(5, FILE_TEXT, "Hot desks with no monitors are useless.", C_KIT,
                              U_BEN))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Hybrid interviews" origin="QualCoder 3.5"
 creatingUserGUID="{U_ANA}" creationDateTime="2024-05-01T09:00:00Z">
 <Users><User guid="{U_ANA}" name="ana"/><User guid="{U_BEN}" name="ben"/></Users>
 <CodeBook><Codes>
  <Code guid="{C_PLACE}" name="Place of work" isCodable="false" color="#1F77B4">
   <Description>Where people want to work</Description>
   <Code guid="{C_TRAVEL}" name="Travel" isCodable="true" color="#FF7F0E">
    <Description>Commute time and cost</Description>
    <Code guid="{C_HOME}" name="Home" isCodable="true" color="#2CA02C"/>
   </Code>
  </Code>
  <Code guid="{C_KIT}" name="Kit and desks" isCodable="true" color="#D62728"/>
 </Codes></CodeBook>
 <Cases><Case guid="4c4c4c4c-6666-4a4a-8b8b-000000000001" name="Ana"/></Cases>
 <Sources>
  <TextSource guid="{S_INLINE}" name="Interview Ana" creatingUser="{U_ANA}"
   creationDateTime="2024-05-01T09:00:00Z">
   <PlainTextContent>{inline}</PlainTextContent>{sels_inline}
  </TextSource>
  <TextSource guid="{S_FILE}" name="Interview Ben" plainTextPath="internal://{S_FILE}.txt"
   richTextPath="internal://{S_FILE}.docx">{sels_file}</TextSource>
  <AudioSource guid="{S_AUDIO}" name="Interview Ben (audio)" path="internal://{S_AUDIO}.m4a"/>
 </Sources>
</Project>
"""


def qualcoder_members(qde: str | None = None) -> dict[str, bytes]:
    return {"project.qde": (qde or qualcoder_qde()).encode("utf-8"),
            f"sources/{S_FILE}.txt": FILE_TEXT.encode("utf-8"),
            f"sources/{S_FILE}.docx": b"PK not really a Word file",
            f"sources/{S_AUDIO}.m4a": b"\0" * 1000}


def write_qdpx_file(target: Path, members: dict[str, bytes], *,
                    symlinks: tuple[str, ...] = ()) -> Path:
    """A zip with exactly these member names (hostile ones too: zipfile writes them as given)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 1, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.create_system = 3
                info.external_attr = (0o120777 << 16)
            z.writestr(info, data)
    target.write_bytes(buf.getvalue())
    return target


def qualcoder_qdpx(target: Path) -> Path:
    return write_qdpx_file(target, qualcoder_members())


def refused_unchanged(project, f: Path, match: str) -> str:
    """Import ``f``: refused with ``match`` and the file's name, the project row for row as it
    was and no undo step added. Returns the message."""
    import pytest
    from coding_study import dump
    from synth.errors import ImportProblem
    from synth.importers import import_path
    before, steps = dump(project), project.history.names()
    with pytest.raises(ImportProblem) as e:
        import_path(project, f)
    assert match in str(e.value), str(e.value)
    assert str(f) in str(e.value)
    assert dump(project) == before
    assert project.history.names() == steps
    return str(e.value)
