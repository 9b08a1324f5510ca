"""One reader for a REFI-QDA <Code>, whether it comes in a .qdc codebook or a .qdpx project:
the same element gives the same code tree by either path (GUID without braces, spaces or capitals;
name and colour trimmed; a missing colour left for the board to choose), and two codes with one
GUID are refused by both."""
from __future__ import annotations

import pytest

from synth.codes import QdcCode
from synth.errors import ImportProblem, UserError
from synth.importers.qdpx import read_qdpx

from coding.codebook import import_qdc, read_qdc
from tests.qdpx_files import write_qdpx_file

PLACE = "5B2C7E10-2222-4F3A-9B1C-000000000001"
TRAVEL = "5b2c7e10-2222-4f3a-9b1c-000000000002"
HOME = "5B2C7E10-2222-4f3a-9b1c-000000000003"

CODES = f"""<Codes>
  <Code guid=" {{{PLACE}}} " name="  Place of work " isCodable="false">
   <Description> Where people want to work </Description>
   <Code guid="{{{TRAVEL}}}" name="Travel" isCodable=" true " color=" #FF7F0E ">
    <Code guid="{HOME}" name="Home	" isCodable="1" color="#2ca02c"/>
   </Code>
  </Code>
 </Codes>"""

EXPECTED = [QdcCode(PLACE.lower(), "Place of work", " Where people want to work ", "", False, [
    QdcCode(TRAVEL, "Travel", "", "#FF7F0E", True, [
        QdcCode(HOME.lower(), "Home", "", "#2ca02c", True)])])]


def _qdc(codes: str = CODES) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook origin="test" '
            f'xmlns="urn:QDA-XML:codebook:1.0">{codes}</CodeBook>').encode()


def _qdpx(tmp_path, codes: str = CODES):
    qde = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           f'name="Codes only"><CodeBook>{codes}</CodeBook></Project>')
    return write_qdpx_file(tmp_path / "codes.qdpx", {"project.qde": qde.encode()})


def test_a_code_reads_the_same_from_a_qdc_and_a_qdpx(tmp_path):
    assert read_qdc(_qdc()) == EXPECTED
    assert read_qdpx(_qdpx(tmp_path)).codes == EXPECTED


def test_the_trimmed_codes_become_themes_and_match_a_plain_guid_again(project, tmp_path):
    f = tmp_path / "codes.qdc"
    f.write_bytes(_qdc())
    made = import_qdc(project, f)
    rows = project.query("SELECT name, colour FROM themes ORDER BY id")
    assert [r[0] for r in rows] == ["Place of work", "Travel", "Home"]
    assert rows[1][1] == "#ff7f0e" and rows[2][1] == "#2ca02c"
    assert rows[0][1].startswith("#") and len(rows[0][1]) == 7    # no colour: the board's next
    # the same codes with the GUIDs plainly written are the same codes: nothing new
    plain = CODES.replace(f" {{{PLACE}}} ", PLACE.lower()).replace(f"{{{TRAVEL}}}", TRAVEL)
    f.write_bytes(_qdc(plain))
    assert import_qdc(project, f) == []
    assert len(made) == 3


def test_two_codes_with_one_guid_are_refused_by_both_paths(tmp_path):
    twice = CODES.replace(f'guid="{HOME}"', f'guid="{{{TRAVEL.upper()}}}"')
    with pytest.raises(UserError, match=f"two codes have the same GUID {TRAVEL}"):
        read_qdc(_qdc(twice))
    with pytest.raises(ImportProblem, match=f"two codes have the same GUID {TRAVEL}"):
        read_qdpx(_qdpx(tmp_path, twice))
