"""Hostile files, one attack at a time: zip bombs, billion laughs and external entities in Word
and Excel files and REFI-QDA archives (.qdpx), archive paths that climb out of their folder, a
50 MB cell, a 1 GB file, NUL bytes, mixed encodings — refused with a clear message, or imported
intact; never a crash, a hang or a memory blow-up. And the text researchers
bring (right-to-left scripts, emoji, combining accents) comes out exactly as it went in.

Attacks that could eat memory run in a child process whose peak memory and time are measured.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from reliability_figures import record
from synth.errors import ImportProblem
from synth.importers import import_path

INTACT = ["مرحبا، نريد مساحات هادئة في المكتب", "עבודה היברידית היא חובה",
          "Café — naïve “quotes” ‘here’", "👩🏽‍💻 remote days 🏳️‍🌈 🇬🇧", "e\u0301 vs é",
          "中文 and 日本語 and 한국어", "Zero\u200bwidth and RTL \u202bembedded\u202c mark"]
REFUSALS: dict[str, str] = {}


def run_child(code: str, *args: str) -> dict:
    """Run an import in a fresh process; returns what it printed as JSON plus its peak RSS."""
    wrapper = (
        "import json, re, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from synth.errors import ImportProblem\n"
        "t = time.perf_counter()\n"
        "out = {}\n"
        "try:\n"
        + "".join(f"    {line}\n" for line in code.strip().splitlines()) +
        "    out['result'] = 'imported'\n"
        "except ImportProblem as e:\n"
        "    out['result'] = 'refused'\n"
        "    out['message'] = str(e)\n"
        "out['seconds'] = time.perf_counter() - t\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking parent
        # (pytest, hundreds of MiB once torch is loaded), so it is not this child's own peak.
        "out['peak_mib'] = int(re.search(r'VmHWM:\\s+(\\d+)', "
        "open('/proc/self/status').read()).group(1)) / 1024\n"
        "print(json.dumps(out))\n")
    r = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


IMPORT_IN_CHILD = """
from synth.project import Project
from synth.importers import import_path
p = Project.create(sys.argv[1], overwrite=True)
try:
    import_path(p, sys.argv[2], kind=(sys.argv[3] if len(sys.argv) > 3 else None))
finally:
    p.close()
"""


def refused_in_child(tmp_path: Path, f: Path, kind: str | None, match: str, *,
                     max_mib: float = 400) -> dict:
    args = [str(tmp_path / "child.synth"), str(f)] + ([kind] if kind else [])
    out = run_child(IMPORT_IN_CHILD, *args)
    assert out["result"] == "refused", out
    assert match in out["message"], out["message"]
    assert str(f) in out["message"]
    assert out["peak_mib"] < max_mib, f"peak memory {out['peak_mib']:.0f} MiB"
    # No time limit here (timed assertions are flaky on shared machines): a hang is caught by
    # the child's timeout, and "refused before reading" is shown by its peak memory.
    REFUSALS[f.name] = out["message"].split(": ", 1)[1][:90]
    return out


# --------------------------------------------------------------------------- Office files
def _docx(tmp_path: Path, name: str, replace: dict[str, bytes] | None = None,
          extra: dict[str, bytes] | None = None) -> Path:
    import docx
    d = docx.Document()
    d.add_paragraph("P1: an ordinary transcript line")
    buf = io.BytesIO()
    d.save(buf)
    return _rezip(buf.getvalue(), tmp_path / name, replace or {}, extra or {})


def _xlsx(tmp_path: Path, name: str, replace: dict[str, bytes] | None = None) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["site", "text"])
    wb.active.append(["Leeds", "More quiet rooms"])
    buf = io.BytesIO()
    wb.save(buf)
    return _rezip(buf.getvalue(), tmp_path / name, replace or {}, {})


def _rezip(data: bytes, target: Path, replace: dict[str, bytes], extra: dict[str, bytes]
           ) -> Path:
    zin = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            content = zin.read(n)
            for member, new in replace.items():
                if n == member:
                    content = new(content) if callable(new) else new
            zout.writestr(n, content)
        for n, content in extra.items():
            zout.writestr(n, content)
    return target


LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          + b"<!-- " + b"padding " * 2000 + b"-->\n"     # past any look at the first few KB
          + b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                 * 10) for i in range(1, 10))
          + b"]>\n")
DOCX_BODY = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
             b'main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b"<w:body><w:p><w:r><w:t>P1: &secret;</w:t></w:r></w:p></w:body></w:document>")


def SHEET_XXE(sheet: bytes) -> bytes:
    """The sheet with a DTD naming /etc/passwd, and a note whose text is that entity."""
    return (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            + sheet.replace(b"More quiet rooms", b"&secret;"))


def test_docx_billion_laughs_is_refused(tmp_path):
    f = _docx(tmp_path, "laughs.docx", {"word/document.xml": LAUGHS + DOCX_BODY})
    refused_in_child(tmp_path, f, "document", "declares XML entities")


def test_docx_external_entity_is_refused(tmp_path):
    f = _docx(tmp_path, "xxe.docx", {"word/document.xml": XXE})
    refused_in_child(tmp_path, f, "document", "declares XML entities")


def test_utf16_doctype_is_refused(tmp_path):
    f = _docx(tmp_path, "utf16.docx",
              {"word/document.xml": XXE.replace(b'<?xml version="1.0"?>',
                                                 b'<?xml version="1.0" encoding="UTF-16"?>')
               .decode().encode("utf-16")})
    refused_in_child(tmp_path, f, "document", "declares XML entities")


def test_xlsx_external_entity_and_laughs_are_refused(tmp_path):
    import openpyxl  # noqa: F401  (the workbook writer needs it)
    f = _xlsx(tmp_path, "xxe.xlsx", {"xl/worksheets/sheet1.xml":
                                     lambda c: LAUGHS + c[c.index(b"<worksheet"):]})
    refused_in_child(tmp_path, f, "notes", "declares XML entities")
    g = _xlsx(tmp_path, "sheet-xxe.xlsx", {"xl/worksheets/sheet1.xml": SHEET_XXE})
    refused_in_child(tmp_path, g, "notes", "declares XML entities")


def test_parsers_expand_no_entities_even_unchecked(tmp_path, monkeypatch, project):
    """Defence in depth: with our zip check switched off, python-docx and openpyxl still
    neither read a file named by an external entity nor expand billion laughs."""
    from synth.importers import common
    monkeypatch.setattr(common, "_scan_member", lambda *a: 0)
    secret = Path("/etc/passwd").read_text(errors="replace")[:20]
    _nothing_read_or_expanded(project, secret, [
        (_docx(tmp_path, "x.docx", {"word/document.xml": XXE}), "document"),
        (_docx(tmp_path, "l.docx", {"word/document.xml": LAUGHS + DOCX_BODY}), "document"),
        (_xlsx(tmp_path, "s.xlsx", {"xl/worksheets/sheet1.xml": SHEET_XXE}), "notes")])


def _nothing_read_or_expanded(project, secret: str, files: list[tuple[Path, str]]) -> None:
    """Import each file (a refusal is fine); no text in the project holds the secret file's
    words or expanded laughs."""
    for f, kind in files:
        try:
            import_path(project, f, kind=kind)
        except ImportProblem:
            pass
    texts = " ".join(r[0] for r in project.query("SELECT text FROM documents UNION ALL "
                                                 "SELECT text FROM notes UNION ALL "
                                                 "SELECT name FROM themes"))
    assert secret not in texts
    assert "lollollol" not in texts


def _bomb(target: Path, members: dict[str, int], template: Path) -> Path:
    """Copy ``template`` and add members of zeros of the given sizes (streamed, not in memory)."""
    zin = zipfile.ZipFile(template)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for n in zin.namelist():
            zout.writestr(n, zin.read(n))
        chunk = b"\0" * (1 << 20)
        for name, mib in members.items():
            with zout.open(name, "w", force_zip64=True) as w:
                for _ in range(mib):
                    w.write(chunk)
    return target


def test_docx_zip_bomb_is_refused(tmp_path):
    base = _docx(tmp_path, "base.docx")
    one = _bomb(tmp_path / "bomb.docx", {"word/media/image1.png": 256}, base)
    assert one.stat().st_size < 8 * 2**20          # 256 MiB inflated from about 1 MB
    refused_in_child(tmp_path, one, "document", "zip bomb", max_mib=250)


def test_xlsx_spread_zip_bomb_is_refused(tmp_path):
    """Many parts each just under the ratio check, adding up past the total limit."""
    base = _xlsx(tmp_path, "base.xlsx")
    bomb = _bomb(tmp_path / "spread.xlsx", {f"xl/media/p{i}.bin": 2 for i in range(300)}, base)
    refused_in_child(tmp_path, bomb, "notes", "zip bomb", max_mib=250)


def test_xlsx_declaring_a_huge_sheet_is_not_padded(tmp_path):
    """A sheet whose <dimension> says A1:XFD1048576 with one far cell: not a billion cells."""
    f = _xlsx(tmp_path, "wide.xlsx", {"xl/worksheets/sheet1.xml": lambda c: c.replace(
        b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>').replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                         b"</c></row></sheetData>")})
    out = run_child(IMPORT_IN_CHILD, str(tmp_path / "c.synth"), str(f), "notes")
    assert out["result"] == "imported" and out["peak_mib"] < 400, out


# --------------------------------------------------------------------------- big and odd text
def test_csv_with_a_50_mb_cell_is_refused_clearly(tmp_path):
    f = tmp_path / "huge-cell.csv"
    with open(f, "w", encoding="utf-8") as w:
        w.write('site,text\nLeeds,"')
        w.write("a very long note " * (50 * 2**20 // 17))
        w.write('"\n')
    out = refused_in_child(tmp_path, f, "notes", "longer than 1,000,000 characters",
                           max_mib=600)
    record("hostile: 50 MB cell", seconds=round(out["seconds"], 2),
           peak_mib=round(out["peak_mib"]))


@pytest.mark.parametrize("name,kind", [("huge.csv", "notes"), ("huge.xlsx", "notes"),
                                       ("huge.docx", "document"), ("huge.txt", "document")])
def test_a_1_gb_file_is_refused_before_reading(tmp_path, name, kind):
    f = tmp_path / name
    with open(f, "wb") as w:          # sparse: costs no disk
        w.write(b"site,text\n")
        w.truncate(2**30)
    refused_in_child(tmp_path, f, kind, "MB", max_mib=300)


def test_a_1_gb_polis_summary_or_manifest_is_not_read_whole(tmp_path):
    polis = tmp_path / "polis"
    polis.mkdir()
    (polis / "comments.csv").write_text("comment-id,comment-body\n1,hello\n")
    (polis / "votes.csv").write_text("comment-id,voter-id,vote\n1,1,1\n")
    with open(polis / "summary.csv", "wb") as w:
        w.truncate(2**30)
    refused_in_child(tmp_path, polis, "polis", "MB", max_mib=300)
    study = tmp_path / "study"
    study.mkdir()
    with open(study / "study.json", "wb") as w:
        w.truncate(2**30)
    refused_in_child(tmp_path, study, "study", "MB", max_mib=300)


def test_nul_bytes_are_refused_with_the_line(project, tmp_path):
    f = tmp_path / "nul.csv"
    f.write_bytes(b"site,text\nLeeds,fine\nYork,bro\x00ken\n")
    with pytest.raises(ImportProblem, match=r"row 3, column “text”: the file holds binary data"):
        import_path(project, f, kind="notes")
    g = tmp_path / "nul.txt"
    g.write_bytes(b"P1: fine\nP2: bro\x00ken\n")
    with pytest.raises(ImportProblem, match="binary data"):
        import_path(project, g, kind="document")
    assert project.summary().sources == 0


def test_mixed_encodings_keep_both_kinds_of_line_intact(project, tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes("site,text\n".encode() + "Leeds,Café in UTF-8 👍\n".encode("utf-8")
                  + "York,Café in Windows-1252 — “quoted”\n".encode("cp1252"))
    import_path(project, f, kind="notes")
    assert [r[0] for r in project.query("SELECT text FROM notes ORDER BY id")] == [
        "Café in UTF-8 👍", "Café in Windows-1252 — “quoted”"]


def test_undecodable_text_is_refused_with_the_line(project, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_bytes(b"site,text\nLeeds,ok\nYork,\x81\x8d\x8f bad\n")
    with pytest.raises(ImportProblem, match="row 3, column “text”: the text is neither UTF-8 nor "
                                            "Windows-1252"):
        import_path(project, f, kind="notes")


def test_rtl_emoji_and_accents_survive_every_importer(project, tmp_path):
    import docx
    import openpyxl
    rows = "".join(f'Leeds,"{t}"\n' for t in INTACT)
    (tmp_path / "n.csv").write_text("site,text\n" + rows, encoding="utf-8")
    (tmp_path / "n16.csv").write_text("site,text\n" + rows, encoding="utf-16")
    wb = openpyxl.Workbook()
    wb.active.append(["site", "text"])
    for t in INTACT:
        wb.active.append(["Leeds", t])
    wb.save(tmp_path / "n.xlsx")
    d = docx.Document()
    for i, t in enumerate(INTACT):
        d.add_paragraph(f"P{i}: {t}")
    d.save(tmp_path / "t.docx")
    (tmp_path / "t.txt").write_text("\n".join(f"P{i}: {t}" for i, t in enumerate(INTACT)),
                                    encoding="utf-8")
    for name in ("n.csv", "n16.csv", "n.xlsx"):
        sid = import_path(project, tmp_path / name, kind="notes")[0].source_id
        got = [r[0] for r in project.query("SELECT text FROM notes WHERE source_id = ? "
                                           "ORDER BY id", (sid,))]
        assert got == INTACT, name
    for name in ("t.docx", "t.txt"):
        sid = import_path(project, tmp_path / name, kind="document")[0].source_id
        text = project.scalar("SELECT text FROM documents WHERE source_id = ?", (sid,))
        passages = project.query("SELECT start, end FROM passages p JOIN documents d "
                                 "ON d.id = p.document_id WHERE d.source_id = ? ORDER BY start",
                                 (sid,))
        assert [text[a:b] for a, b in passages] == INTACT, name


# --------------------------------------------------------------------------- .qdpx archives
def _qdpx_refused(project, tmp_path: Path, f: Path, match: str) -> None:
    """Refused with ``match`` and the file's name, and the project row for row as it was."""
    from qdpx_files import qualcoder_qdpx, refused_unchanged
    import_path(project, qualcoder_qdpx(tmp_path / "earlier.qdpx"), again=True)  # work there
    REFUSALS[f.name] = refused_unchanged(project, f, match).split(": ", 1)[1][:90]


@pytest.mark.parametrize("member,match", [
    ("../../evil.txt", "entry “../../evil.txt” in climb.qdpx climbs out of the archive"),
    ("sources/../../evil.txt", "climbs out of the archive"),
    ("/etc/evil.txt", "entry “/etc/evil.txt” in climb.qdpx is an absolute path"),
    ("C:/Windows/evil.txt", "is an absolute path"),
    ("sources\\..\\..\\evil.txt", "climbs out of the archive"),
    ("sources\\evil.txt", "has a backslash in its name"),
])
def test_qdpx_member_names_that_climb_out_are_refused(project, tmp_path, member, match):
    from qdpx_files import qualcoder_members, write_qdpx_file
    f = write_qdpx_file(tmp_path / "climb.qdpx", qualcoder_members() | {member: b"evil"})
    _qdpx_refused(project, tmp_path, f, match)


def test_qdpx_symlink_member_is_refused(project, tmp_path):
    from qdpx_files import qualcoder_members, write_qdpx_file
    f = write_qdpx_file(tmp_path / "link.qdpx", qualcoder_members()
                        | {"sources/passwd.txt": b"/etc/passwd"},
                        symlinks=("sources/passwd.txt",))
    _qdpx_refused(project, tmp_path, f, "“sources/passwd.txt” in link.qdpx is a symbolic link")


@pytest.mark.parametrize("target", ["../../../etc/passwd", "../project.qde", "/etc/passwd",
                                    "..\\..\\secret.txt", "sub/../../project.qde"])
def test_qdpx_plain_text_path_climbing_out_is_refused(project, tmp_path, target):
    from qdpx_files import S_FILE, qualcoder_members, qualcoder_qde, write_qdpx_file
    qde = qualcoder_qde().replace(f"internal://{S_FILE}.txt", f"internal://{target}")
    f = write_qdpx_file(tmp_path / "path.qdpx", qualcoder_members(qde))
    _qdpx_refused(project, tmp_path, f, "climbs out of the archive's sources folder")


def _qdpx_with_qde(tmp_path: Path, name: str, qde: bytes) -> Path:
    from qdpx_files import qualcoder_members, write_qdpx_file
    return write_qdpx_file(tmp_path / name, qualcoder_members() | {"project.qde": qde})


def _qde_body() -> bytes:
    from qdpx_files import qualcoder_qde
    return qualcoder_qde().split("?>", 1)[1].encode()


def _qde_xxe() -> bytes:
    """project.qde whose text source's content is an external entity reading /etc/passwd."""
    return (b'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY secret SYSTEM '
            b'"file:///etc/passwd">]>'
            + _qde_body().replace(b"<PlainTextContent>", b"<PlainTextContent>&secret;"))


def test_qdpx_billion_laughs_is_refused(tmp_path):
    body = _qde_body().replace(b'name="Hybrid interviews"', b'name="&lol9;"')
    f = _qdpx_with_qde(tmp_path, "laughs.qdpx", LAUGHS + body)
    refused_in_child(tmp_path, f, "qdpx", "declares XML entities")


def test_qdpx_external_entity_is_refused(project, tmp_path):
    xxe = _qde_xxe()
    _qdpx_refused(project, tmp_path, _qdpx_with_qde(tmp_path, "xxe.qdpx", xxe),
                  "declares XML entities")
    utf16 = xxe.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>'
                        ).decode().encode("utf-16")
    _qdpx_refused(project, tmp_path, _qdpx_with_qde(tmp_path, "xxe16.qdpx", utf16),
                  "declares XML entities")


def test_qdpx_parser_expands_no_entities_even_unchecked(tmp_path, monkeypatch, project):
    """Defence in depth: with the zip check's scan switched off, an external entity in
    project.qde is not read and billion laughs are not expanded."""
    from synth.importers import common
    monkeypatch.setattr(common, "_scan_member", lambda *a: 0)
    secret = Path("/etc/passwd").read_text(errors="replace")[:20]
    xxe = _qde_xxe()
    laughs = LAUGHS + _qde_body().replace(b"<PlainTextContent>", b"<PlainTextContent>&lol9;")
    _nothing_read_or_expanded(project, secret, [
        (_qdpx_with_qde(tmp_path, "x.qdpx", xxe), "qdpx"),
        (_qdpx_with_qde(tmp_path, "l.qdpx", laughs), "qdpx")])


def test_one_xml_parser_for_files_expands_no_entity_and_loads_nothing(tmp_path):
    """Every XML read from a file (.qdpx, .qdc, the check of our own export) goes through
    common.xml_parser: no other parser is set up in the app, and that one reads no file named
    by an entity or a DTD, expands nothing, and drops comments."""
    from lxml import etree
    from reliability_figures import source_files
    from synth.importers.common import xml_parser
    elsewhere = [str(f.relative_to(ROOT)) for f in source_files()
                 if "XMLParser(" in f.read_text(encoding="utf-8")]
    assert elsewhere == ["synth/importers/common.py"]
    dtd = tmp_path / "x.dtd"
    dtd.write_text('<!ENTITY fromdtd "LOADED">')
    xml = (f'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "{dtd.as_uri()}" [\n'
           '<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY lol "lollollol">]>\n'
           '<r><!-- note --><a>&secret;</a><b>&lol;</b><c>&fromdtd;</c></r>').encode()
    try:
        root = etree.fromstring(xml, xml_parser())
    except etree.XMLSyntaxError:
        return                              # refusing is as good as not expanding
    # what the readers take (.text, itertext) and the tree as XML: entities stay references
    text = "".join(root.itertext()) + etree.tostring(root, encoding="unicode")
    assert "root:" not in text and "lollollol" not in text and "LOADED" not in text
    assert not any(isinstance(n, etree._Comment) for n in root.iter())


def test_qdpx_zip_bombs_are_refused(tmp_path):
    from qdpx_files import qualcoder_qdpx
    base = qualcoder_qdpx(tmp_path / "base.qdpx")
    one = _bomb(tmp_path / "bomb.qdpx", {"sources/bomb.txt": 256}, base)
    assert one.stat().st_size < 8 * 2**20
    refused_in_child(tmp_path, one, "qdpx", "zip bomb", max_mib=250)
    spread = _bomb(tmp_path / "spread.qdpx", {f"sources/p{i}.txt": 2 for i in range(300)}, base)
    refused_in_child(tmp_path, spread, "qdpx", "zip bomb", max_mib=250)


def test_qdpx_media_are_never_inflated(tmp_path):
    """A 256 MiB video inside the archive is listed, not read: the import goes through in
    little memory."""
    from qdpx_files import qualcoder_qdpx
    base = qualcoder_qdpx(tmp_path / "base.qdpx")
    f = _bomb(tmp_path / "video.qdpx", {"sources/interview.mp4": 256}, base)
    out = run_child(IMPORT_IN_CHILD, str(tmp_path / "c.synth"), str(f), "qdpx")
    assert out["result"] == "imported", out
    assert out["peak_mib"] < 250, out


def test_qdpx_truncated_damaged_or_not_a_zip_is_refused(project, tmp_path):
    from qdpx_files import qualcoder_qdpx
    data = qualcoder_qdpx(tmp_path / "whole.qdpx").read_bytes()
    cut = tmp_path / "truncated.qdpx"
    cut.write_bytes(data[:len(data) // 2])
    _qdpx_refused(project, tmp_path, cut, "it is not a zip archive")
    damaged = tmp_path / "damaged.qdpx"
    start = data.index(b"PK\x03\x04") + 60           # inside the first member's data
    damaged.write_bytes(data[:start] + bytes(b ^ 0xFF for b in data[start:start + 40])
                        + data[start + 40:])
    _qdpx_refused(project, tmp_path, damaged, "damaged REFI-QDA project (.qdpx) file")
    text = tmp_path / "text.qdpx"
    text.write_text("<Project>not a zip at all</Project>")
    _qdpx_refused(project, tmp_path, text, "it is not a zip archive")


def test_zz_record_refusals():
    record("hostile files refused", **REFUSALS)
