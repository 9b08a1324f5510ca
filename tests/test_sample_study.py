"""The bundled sample study imports whole, with counts equal to its files."""
from __future__ import annotations

import csv
import json

from conftest import SAMPLE
from synth.importers.documents import split_passages


def test_sample_study_counts_match_its_files(sample_project):
    with open(SAMPLE / "debate" / "comments.csv", encoding="utf-8") as f:
        statements = sum(1 for _ in csv.DictReader(f))
    latest = {}
    with open(SAMPLE / "debate" / "votes.csv", encoding="utf-8") as f:
        for n, r in enumerate(csv.DictReader(f)):
            key = (r["voter-id"], r["comment-id"])
            stamp = (int(r["timestamp"]), n)
            if key not in latest or stamp > latest[key][0]:
                latest[key] = (stamp, int(r["vote"]))
    with open(SAMPLE / "workshop_notes.csv", encoding="utf-8") as f:
        notes = list(csv.DictReader(f))
    with open(SAMPLE / "participants.csv", encoding="utf-8") as f:
        people = list(csv.DictReader(f))
    s = sample_project.summary()
    assert s.statements == statements
    assert s.votes == len(latest)
    assert s.notes == len(notes)
    assert s.documents == 3
    agree = sum(v == 1 for _, v in latest.values())
    assert sample_project.scalar("SELECT count(*) FROM votes WHERE value = 1") == agree
    with_attrs = sample_project.scalar(
        "SELECT count(DISTINCT participant_id) FROM participant_attributes")
    assert with_attrs == len(people)
    sites = {r[0]: r[1] for r in sample_project.query(
        "SELECT site, count(*) FROM notes GROUP BY site")}
    expected_sites: dict[str, int] = {}
    for n in notes:
        expected_sites[n["site"]] = expected_sites.get(n["site"], 0) + 1
    assert sites == expected_sites


def test_transcript_turns_match_the_answer_key(sample_project):
    with open(SAMPLE / "answer_key" / "passages.csv", encoding="utf-8") as f:
        key = list(csv.DictReader(f))
    per_file: dict[str, int] = {}
    for row in key:
        per_file[row["file"]] = per_file.get(row["file"], 0) + 1
    got = {r[0]: r[1] for r in sample_project.query(
        "SELECT s.path, count(*) FROM passages p JOIN documents d ON d.id = p.document_id "
        "JOIN sources s ON s.id = d.source_id GROUP BY s.path")}
    for path, n in got.items():
        name = path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        expected = per_file.get(name, per_file.get(stem))
        assert expected is not None, (name, list(per_file)[:3])
        assert n == expected


def test_header_lines_are_not_speaker_turns():
    text = ("Workshop: Leeds\nDate: 1 May\nVenue: Hub\nTranscript\n"
            "Facilitator: Hello all.\nP1: Hi.\nP2: Morning.\nFacilitator: Let's start.\n")
    ps = split_passages(text)
    assert [p.speaker for p in ps] == ["Facilitator", "P1", "P2", "Facilitator"]
    assert text[ps[0].start:ps[0].end] == "Hello all."


def test_manifest_names_every_file_it_imports():
    manifest = json.loads((SAMPLE / "study.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert (SAMPLE / entry["path"]).exists()
        assert "answer_key" not in entry["path"]


def test_short_exchange_where_nobody_speaks_twice():
    text = "P1: We need better laptops.\nP2: And fewer logins.\nP3: Agreed.\n"
    ps = split_passages(text)
    assert [(p.speaker, text[p.start:p.end]) for p in ps] == [
        ("P1", "We need better laptops."), ("P2", "And fewer logins."), ("P3", "Agreed.")]
