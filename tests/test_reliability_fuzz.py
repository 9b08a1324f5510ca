"""Hostile and broken files: every importer is fed random and mutated CSV, XLSX, DOCX, TXT,
Pol.is folders, study manifests and REFI-QDA archives (.qdc, .qdpx). The only thing allowed to come out is the project's own
``ImportProblem`` (a clear message, nothing written) — never another exception, a hang or a
memory blow-up. The counts of inputs tried go to RELIABILITY.md.

The specific attacks (zip bombs, billion laughs, external entities, a 50 MB cell, a 1 GB file)
are in test_reliability_hostile.py.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability_figures import SOAK, record
from synth.errors import ImportProblem
from synth.importers import import_path
from synth.importers.tables import CHARACTERISTIC_ID, NOTE_FIELDS, TALLY_FIELDS
from synth.project import Project

TRIED: Counter = Counter()
SLOWEST = {"seconds": 0.0}
SCALE = 10 if SOAK else 2


def fuzz_settings(n: int):
    return settings(max_examples=n * SCALE, deadline=None, derandomize=not SOAK,
                    suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture(scope="module")
def work():
    folder = Path(tempfile.mkdtemp(prefix="synth-fuzz-"))
    project = Project.create(folder / "fuzz.synth")
    yield folder, project
    project.close()
    shutil.rmtree(folder, ignore_errors=True)
    record("fuzzed imports", inputs=sum(TRIED.values()), **dict(TRIED),
           slowest_input_seconds=round(SLOWEST["seconds"], 2))


def attempt(project: Project, path: Path, what: str, kind: str | None = None) -> None:
    """Import; only ImportProblem may come out, and a refused import writes nothing."""
    TRIED[what] += 1
    before = project.summary()
    t = time.perf_counter()
    try:
        import_path(project, path, kind=kind)
    except ImportProblem as e:
        assert str(e), "an ImportProblem without a message"
        assert project.summary() == before, "a refused import wrote something"
    seconds = time.perf_counter() - t
    SLOWEST["seconds"] = max(SLOWEST["seconds"], seconds)
    # The slowest input is recorded, not asserted: a hang is caught by pytest-timeout.


# --------------------------------------------------------------------------- strategies
SPECIAL = ["", " ", ",", ";", "\t", '"', '""', "\n", "\r\n", "\r", "\x00", "\ufeff",
           "مرحبا بالعالم", "שלום", "👩🏽‍💻🏳️‍🌈", "e\u0301", "\u202eevil", "=cmd|' /C calc'!A0",
           "-1", "0", "1", "1.0", "1e308", "-1e400", "nan", "inf", "9" * 30, "١٢", "0x10",
           "2025-03-03", "1741000000000"]
cell = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=30), st.integers().map(str),
                 st.floats(allow_nan=True).map(str))
HEADERS = sorted({s for f in (*NOTE_FIELDS, *TALLY_FIELDS, CHARACTERISTIC_ID)
                  for s in (f.name, *f.synonyms)} | {"comment-id", "comment-body", "voter-id",
                                                     "vote", "timestamp", "participant",
                                                     "group-id", "moderated", "author-id"})
header = st.one_of(st.sampled_from(HEADERS), cell)
table = st.tuples(st.lists(header, min_size=1, max_size=6),
                  st.lists(st.lists(cell, max_size=7), max_size=12))


def to_csv(data, delimiter: str, encoding: str) -> bytes:
    headers, rows = data
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(headers)
    w.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """A few random edits of the bytes: flips, cuts, insertions, truncation, repetition."""
    b = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "repeat"]))
        if not b:
            break
        i = draw(st.integers(0, len(b) - 1))
        if op == "flip":
            b[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del b[i:i + draw(st.integers(1, 64))]
        elif op == "insert":
            b[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "truncate":
            del b[i:]
        else:
            b[i:i] = bytes(b[i:i + draw(st.integers(1, 64))]) * draw(st.integers(2, 20))
    return bytes(b)


csv_bytes = st.one_of(
    st.binary(max_size=400),
    st.builds(to_csv, table, st.sampled_from([",", ";", "\t"]),
              st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])),
).flatmap(lambda b: st.one_of(st.just(b), mutated(b)))


# --------------------------------------------------------------------------- tables
@given(data=csv_bytes, suffix=st.sampled_from([".csv", ".tsv"]),
       kind=st.sampled_from([None, "notes", "tallies", "characteristics"]))
@fuzz_settings(400)
def test_fuzz_csv_tables(work, data, suffix, kind):
    folder, project = work
    f = folder / f"t{suffix}"
    f.write_bytes(data)
    attempt(project, f, "CSV tables", kind)


def _same_every_time(data: bytes) -> bytes:
    """An Office file with its clock readings fixed (the zip members' times, the created and
    modified stamps openpyxl and python-docx write): Hypothesis requires the same example
    bytes each time it builds one, and a save that straddled a second made them differ
    (once, in CI: "FlakyStrategyDefinition ... max_value=5100 / 5103")."""
    import re
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?",
                                 b"2025-01-01T00:00:00Z", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, content)
    return out.getvalue()


def _xlsx_bytes(data) -> bytes:
    import openpyxl
    headers, rows = data
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sticky notes")
    for r in [headers, *rows]:
        ws.append([_xlsx_value(c) for c in r])
    out = io.BytesIO()
    wb.save(out)
    return _same_every_time(out.getvalue())


def _xlsx_value(c: str):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    c = ILLEGAL_CHARACTERS_RE.sub("", c)
    try:
        return int(c) if len(c) < 15 else c
    except ValueError:
        return c


@st.composite
def office_mutation(draw, data: bytes) -> bytes:
    """Either raw byte edits of the zip, or edits of one XML part, re-zipped."""
    if draw(st.booleans()):
        return draw(mutated(data))
    zin = zipfile.ZipFile(io.BytesIO(data))
    names = zin.namelist()
    victim = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names:
            content = zin.read(n)
            if n == victim:
                action = draw(st.sampled_from(["mutate", "drop", "empty", "text"]))
                if action == "drop":
                    continue
                content = {"mutate": lambda: draw(mutated(content)), "empty": lambda: b"",
                           "text": lambda: content.replace(
                               b"</", draw(st.sampled_from(SPECIAL)).encode() + b"</", 3),
                           }[action]()
            zout.writestr(n, content)
    return out.getvalue()


@given(data=st.builds(_xlsx_bytes, table).flatmap(
    lambda b: st.one_of(st.just(b), office_mutation(b))),
    kind=st.sampled_from([None, "notes", "tallies", "characteristics"]))
@fuzz_settings(120)
def test_fuzz_xlsx(work, data, kind):
    folder, project = work
    f = folder / "t.xlsx"
    f.write_bytes(data)
    attempt(project, f, "XLSX tables", kind)


# --------------------------------------------------------------------------- documents
def _docx_bytes(paragraphs: list[str], with_table: bool) -> bytes:
    import docx
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(ILLEGAL_CHARACTERS_RE.sub("", p))
    if with_table:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text = "P1"
        t.cell(1, 1).text = "a cell"
    out = io.BytesIO()
    d.save(out)
    return _same_every_time(out.getvalue())


turns = st.lists(st.one_of(
    st.builds(lambda s, t: f"{s}: {t}", st.sampled_from(["Facilitator", "P3", "Sam (host)",
                                                         "مشارك"]), cell), cell), max_size=8)


@given(data=st.builds(_docx_bytes, turns, st.booleans()).flatmap(
    lambda b: st.one_of(st.just(b), office_mutation(b))))
@fuzz_settings(100)
def test_fuzz_docx(work, data):
    folder, project = work
    f = folder / "t.docx"
    f.write_bytes(data)
    attempt(project, f, "DOCX documents", "document")


@given(data=st.one_of(st.binary(max_size=300),
                      st.builds(lambda ls, enc: "\n".join(ls).encode(enc, errors="replace"),
                                turns, st.sampled_from(["utf-8", "cp1252", "utf-16"]))
                      ).flatmap(lambda b: st.one_of(st.just(b), mutated(b))))
@fuzz_settings(300)
def test_fuzz_txt(work, data):
    folder, project = work
    f = folder / "t.txt"
    f.write_bytes(data)
    attempt(project, f, "TXT documents", "document")


# --------------------------------------------------------------------------- Pol.is folders
ids = st.one_of(st.integers(0, 20), st.integers(), st.sampled_from(["", "x", "1.0", "9" * 25]))
votes = st.one_of(st.sampled_from([-1, 0, 1]), st.sampled_from(["", "2", "agree", "-1.0"]))


@st.composite
def polis_folder(draw):
    comments = [["comment-id", "comment-body", "author-id", "moderated", "agrees", "disagrees",
                 "timestamp", "is-seed"]]
    for _ in range(draw(st.integers(0, 6))):
        comments.append([draw(ids), draw(cell), draw(ids), draw(st.sampled_from([-1, 0, 1, 2,
                                                                                  ""])),
                         draw(ids), draw(ids), draw(st.sampled_from(["", "1741000000000", "x",
                                                                     "1e400"])),
                         draw(st.sampled_from(["true", "false", "1", ""]))])
    files = {"comments.csv": comments}
    if draw(st.booleans()):
        files["votes.csv"] = [["timestamp", "comment-id", "voter-id", "vote"]] + [
            [draw(st.sampled_from(["", "1741000000", "1741000000000", "soon"])), draw(ids),
             draw(ids), draw(votes)] for _ in range(draw(st.integers(0, 12)))]
    if draw(st.booleans()) or "votes.csv" not in files:
        cols = draw(st.lists(ids, max_size=4))
        files["participants-votes.csv"] = [["participant", "group-id", *cols]] + [
            [draw(ids), draw(st.sampled_from(["", "0", "1", "x"])),
             *[draw(votes) for _ in cols]] for _ in range(draw(st.integers(0, 6)))]
    if draw(st.booleans()):
        files["summary.csv"] = [["topic", draw(cell)], ["voters", draw(cell)]]
    out = {}
    for name, rows in files.items():
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        data = buf.getvalue().encode("utf-8", errors="replace")
        if draw(st.integers(0, 4)) == 0:
            data = draw(mutated(data))
        out[name] = data
    return out


@given(files=polis_folder())
@fuzz_settings(250)
def test_fuzz_polis_folders(work, files):
    folder, project = work
    target = folder / "polis"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for name, data in files.items():
        (target / name).write_bytes(data)
    attempt(project, target, "Pol.is folders", "polis")


# --------------------------------------------------------------------------- study manifests
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3), max_leaves=8)
entry = st.fixed_dictionaries(
    {"path": st.one_of(st.sampled_from(["notes.csv", "../notes.csv", "/etc/passwd", ".",
                                        "sub/../notes.csv", "missing.csv", "notes.csv\x00"]),
                       json_values)},
    optional={"kind": st.one_of(st.sampled_from(["notes", "study", "polis", "document",
                                                 "tallies", "nonsense"]), json_values),
              "site": json_values, "mapping": json_values, "name": json_values,
              "unexpected": json_values})
manifest = st.one_of(json_values, st.fixed_dictionaries({"files": st.lists(entry, max_size=3)}))


@given(data=st.one_of(manifest.map(lambda m: json.dumps(m).encode()),
                      st.binary(max_size=100)))
@fuzz_settings(250)
def test_fuzz_study_manifests(work, data):
    folder, project = work
    target = folder / "study"
    if not target.exists():
        target.mkdir()
        (target / "notes.csv").write_text("site,text\nLeeds,More quiet rooms\n")
    (target / "study.json").write_bytes(data)
    attempt(project, target, "study manifests", "study")


# --------------------------------------------------------------------------- REFI-QDA codebooks
@pytest.fixture(scope="module")
def qdc_bytes(work):
    pytest.importorskip("coding.codebook")
    from coding.codebook import export_qdc
    from synth.board import CreateTheme
    folder, _ = work
    with Project.create(folder / "codes.synth") as p:
        a = p.history.apply(CreateTheme("Managers", description="line managers"))
        p.history.apply(CreateTheme("Trust", parent_id=a))
        return export_qdc(p, folder / "codes.qdc").read_bytes()


@given(data=st.data())
@fuzz_settings(150)
def test_fuzz_qdc_codebooks(work, qdc_bytes, data):
    """A codebook from another tool (.qdc): only UserError (ImportProblem's parent) may come
    out, and a refused one writes nothing."""
    from coding.codebook import import_qdc
    from synth.errors import UserError
    folder, project = work
    raw = data.draw(st.one_of(mutated(qdc_bytes), st.just(qdc_bytes.replace(
        b"?>", b"?>" + b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
        .replace(b'name="Trust"', b'name="&e;"'))))
    f = folder / "c.qdc"
    f.write_bytes(raw)
    TRIED["REFI-QDA codebooks (.qdc)"] += 1
    before = project.scalar("SELECT count(*) FROM themes")
    try:
        import_qdc(project, f)
    except UserError:
        assert project.scalar("SELECT count(*) FROM themes") == before
    names = " ".join(r[0] for r in project.query("SELECT name FROM themes"))
    assert "root:" not in names, "an external entity was read"


# --------------------------------------------------------------------------- REFI-QDA projects
@pytest.fixture(scope="module")
def qdpx_bases(work):
    """Two archives to mutate: a QualCoder-style one (inline text, a text in sources/ with
    Windows line ends, audio) and one exported by Synth (nested codes, several coders)."""
    from coding.passages import ApplyCode
    from exports.refi_qda import write_qdpx
    from qdpx_files import qualcoder_members, write_qdpx_file
    from synth.board import CreateTheme
    folder, _ = work
    qualcoder = write_qdpx_file(folder / "qc.qdpx", qualcoder_members()).read_bytes()
    with Project.create(folder / "ours.synth") as p:
        f = folder / "t.txt"
        f.write_text("Facilitator: What would you keep?\nP1: Home days 👩🏽‍💻\nP2: مرحبا\n",
                     encoding="utf-8")
        import_path(p, f, kind="document")
        a = p.history.apply(CreateTheme("Home", description="days at home"))
        b = p.history.apply(CreateTheme("Kit", parent_id=a))
        doc = p.scalar("SELECT id FROM documents")
        p.history.apply(ApplyCode(doc, 37, 52, [a, b], coder="RA"))
        p.history.apply(ApplyCode(doc, 55, 60, [b], coder="Sam"))
        ours = write_qdpx(p, folder / "ours.qdpx").path.read_bytes()
    return [qualcoder, ours]


def _qde_edits(draw, qde: bytes) -> bytes:
    """Edits where they hurt: attribute values replaced, elements dropped or repeated."""
    import re
    for _ in range(draw(st.integers(1, 4))):
        attrs = list(re.finditer(rb'(\w+)="([^"]*)"', qde))
        tags = list(re.finditer(rb"<(\w+)[ >/]", qde))
        action = draw(st.sampled_from(["value", "drop", "repeat"]))
        if action == "value" and attrs:
            m = draw(st.sampled_from(attrs))
            value = draw(st.one_of(st.sampled_from(
                ["", "-1", "0", "999999999", "1e3", "internal://../x", "internal://",
                 "internal://nothere.txt", "absolute:///etc/passwd", "{" + "0" * 8 + "}",
                 "#12345G", "true", "x" * 300]), cell))
            value = value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            qde = qde[:m.start(2)] + value.encode("utf-8", "replace") + qde[m.end(2):]
        elif tags:
            m = draw(st.sampled_from(tags))
            end = qde.find(b">", m.end() - 1) + 1
            chunk = qde[m.start():end]
            qde = qde[:m.start()] + (b"" if action == "drop" else chunk * 2) + qde[end:]
    return qde


@st.composite
def qdpx_mutation(draw, bases: list[bytes]) -> bytes:
    base = draw(st.sampled_from(bases))
    way = draw(st.sampled_from(["bytes", "member", "qde"]))
    if way == "bytes":
        return draw(mutated(base))
    if way == "member":
        return draw(office_mutation(base))
    zin = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            content = zin.read(n)
            if n == "project.qde":
                content = _qde_edits(draw, content)
            zout.writestr(n, content)
        if draw(st.integers(0, 5)) == 0:
            zout.writestr(draw(st.sampled_from(["../x.txt", "/abs.txt", "a\\b.txt",
                                                "sources/ok.txt"])), b"x")
    return out.getvalue()


@given(data=st.data())
@fuzz_settings(150)
def test_fuzz_qdpx_projects(work, qdpx_bases, data):
    folder, project = work
    raw = data.draw(qdpx_mutation(qdpx_bases))
    f = folder / "p.qdpx"
    f.write_bytes(raw)
    attempt(project, f, "REFI-QDA projects (.qdpx)", data.draw(st.sampled_from([None, "qdpx"])))
