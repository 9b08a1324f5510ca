"""Tests of the bundled sample study (sample_data/): determinism, sizes, consistency, design."""
from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
GENERATED = [
    "debate/comments.csv", "debate/votes.csv", "debate/participants-votes.csv", "debate/summary.csv",
    "participants.csv", "workshop_notes.csv", "workshop_notes.xlsx",
    "transcripts/manchester_table2.docx", "transcripts/glasgow_table1.docx",
    "transcripts/cardiff_table3.docx",
    "answer_key/statements.csv", "answer_key/notes.csv", "answer_key/passages.csv",
    "answer_key/themes.json", "answer_key/design.csv",
]


def read(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_generator(out: Path):
    subprocess.run([sys.executable, str(SAMPLE / "generate.py"), "--out", str(out)],
                   check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_a")
    run_generator(out)
    return out


# ---------------------------------------------------------------- determinism


def test_generator_is_deterministic(regenerated, tmp_path):
    run_generator(tmp_path)
    for rel in GENERATED:
        assert digest(regenerated / rel) == digest(tmp_path / rel), rel


def test_committed_files_match_the_generator(regenerated):
    for rel in GENERATED:
        assert (SAMPLE / rel).exists(), rel
        assert digest(SAMPLE / rel) == digest(regenerated / rel), f"{rel} is stale: rerun generate.py"


def test_no_unexpected_outputs(regenerated):
    produced = {str(p.relative_to(regenerated)) for p in regenerated.rglob("*") if p.is_file()}
    assert produced == set(GENERATED)


# ---------------------------------------------------------------- data loaded once


@pytest.fixture(scope="module")
def debate():
    d = SAMPLE / "debate"
    comments = read(d / "comments.csv")
    votes = read(d / "votes.csv")
    with open(d / "participants-votes.csv", newline="", encoding="utf-8") as fh:
        pv = list(csv.reader(fh))
    with open(d / "summary.csv", newline="", encoding="utf-8") as fh:
        summary = {row[0]: row[1] for row in csv.reader(fh)}
    return dict(comments=comments, votes=votes, pv_header=pv[0], pv_rows=pv[1:], summary=summary,
                participants=read(SAMPLE / "participants.csv"))


def latest_votes(votes):
    latest = {}
    for v in sorted(votes, key=lambda v: int(v["timestamp"])):
        latest[(int(v["comment-id"]), int(v["voter-id"]))] = int(v["vote"])
    return latest


# ---------------------------------------------------------------- sizes


def test_debate_sizes(debate):
    comments, votes = debate["comments"], debate["votes"]
    assert list(comments[0].keys()) == ["timestamp", "datetime", "comment-id", "author-id", "agrees",
                                        "disagrees", "moderated", "is-meta", "is-seed", "comment-body"]
    assert list(votes[0].keys()) == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    assert len(comments) >= 260
    seeds = sum(c["is-seed"] == "true" for c in comments)
    assert 20 <= seeds <= 30
    assert 2 <= sum(c["is-meta"] == "true" for c in comments) <= 5
    assert sum(c["moderated"] == "-1" for c in comments) >= 3
    assert {c["moderated"] for c in comments} <= {"-1", "0", "1"}
    latest = latest_votes(votes)
    assert len(votes) >= 65_000 and len(latest) >= 65_000
    assert len(votes) > len(latest), "there should be re-votes"
    pass_share = sum(v == 0 for v in latest.values()) / len(latest)
    assert 0.10 <= pass_share <= 0.20
    voters = {pid for _, pid in latest}
    assert len(voters) >= 650
    # one week of votes
    ts = [int(v["timestamp"]) for v in votes]
    assert (max(ts) - min(ts)) <= 7 * 86400 * 1000
    # sparse voting: many participants vote on 50-150 statements
    per_voter = Counter(pid for _, pid in latest)
    assert sum(50 <= n <= 150 for n in per_voter.values()) >= 0.4 * len(per_voter)
    assert int(debate["summary"]["voters"]) == len(voters)
    assert int(debate["summary"]["comments"]) == len(comments)
    for key in ("topic", "url", "views", "commenters", "groups", "conversation-id"):
        assert debate["summary"][key]


def test_participants(debate):
    people = debate["participants"]
    assert len(people) >= 650
    assert list(people[0].keys())[:9] == ["participant", "department", "grade", "profession", "region",
                                         "line_manager", "gender", "ethnicity", "disability"]
    assert len({p["department"] for p in people}) == 19
    assert {p["grade"] for p in people} == {"AA/AO", "EO", "HEO", "SEO", "G7", "G6", "SCS"}
    assert {p["line_manager"] for p in people} == {"yes", "no"}
    assert {p["disability"] for p in people} == {"Yes", "No", "Prefer not to say"}
    ids = {int(p["participant"]) for p in people}
    voters = {int(v["voter-id"]) for v in debate["votes"]}
    assert voters <= ids


def test_workshop_notes():
    notes = read(SAMPLE / "workshop_notes.csv")
    assert len(notes) >= 320
    assert list(notes[0].keys()) == ["note_id", "site", "workshop", "table", "activity", "scenario",
                                     "colour", "dot_votes", "author_role", "text"]
    assert len({n["note_id"] for n in notes}) == len(notes)
    assert len({n["site"] for n in notes}) == 3
    assert len({n["scenario"] for n in notes}) == 5
    assert {n["activity"] for n in notes} == {"keep", "ditch", "add"}
    assert {n["author_role"] for n in notes} == {"participant", "facilitator"}
    for n in notes:
        assert 3 <= len(n["text"].split()) <= 25, n["text"]
        assert int(n["dot_votes"]) >= 0
    import openpyxl
    ws = openpyxl.load_workbook(SAMPLE / "workshop_notes.xlsx", read_only=True).active
    xrows = [[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]
    assert xrows[1:] == [list(n.values()) for n in notes]


def test_transcripts():
    import docx
    passages = read(SAMPLE / "answer_key" / "passages.csv")
    by_file = defaultdict(list)
    for p in passages:
        by_file[p["file"]].append(p)
    files = sorted((SAMPLE / "transcripts").glob("*.docx"))
    assert len(files) == 3
    for f in files:
        paras = [p.text for p in docx.Document(f).paragraphs]
        turns = by_file[f.name]
        assert 40 <= len(turns) <= 70
        assert any("Workshop" in t or "workshop" in t for t in paras[:4])
        for p in turns:
            assert paras[int(p["paragraph_index"])].startswith(p["speaker"] + ": ")
    text = "\n".join(p.text for f in files for p in docx.Document(f).paragraphs)
    assert "@" in text  # an e-mail address to redact
    assert "0161 496" in text  # a phone number to redact


# ---------------------------------------------------------------- consistency


def test_participants_votes_matches_latest_votes(debate):
    latest = latest_votes(debate["votes"])
    header, rows = debate["pv_header"], debate["pv_rows"]
    assert header[:7] == ["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
    cids = [int(h) for h in header[7:]]
    assert cids == sorted(int(c["comment-id"]) for c in debate["comments"])
    authored = Counter(int(c["author-id"]) for c in debate["comments"])
    by_pid = defaultdict(dict)
    for (cid, pid), v in latest.items():
        by_pid[pid][cid] = v
    seen = set()
    for row in rows:
        pid = int(row[0])
        cells = {cid: int(v) for cid, v in zip(cids, row[7:]) if v != ""}
        mine = by_pid.get(pid, {})
        assert cells == mine, pid
        assert int(row[4]) == len(mine)
        assert int(row[5]) == sum(v == 1 for v in mine.values())
        assert int(row[6]) == sum(v == -1 for v in mine.values())
        assert int(row[3]) == authored.get(pid, 0)
        if len(mine) < 7:
            assert row[2] == ""
        elif pid != 0:
            assert row[2] in ("0", "1")
        seen.add(pid)
    assert {pid for _, pid in latest} <= seen


def test_comment_tallies_and_times(debate):
    comments = {int(c["comment-id"]): c for c in debate["comments"]}
    agrees, disagrees = Counter(), Counter()
    for v in debate["votes"]:
        cid = int(v["comment-id"])
        assert cid in comments
        assert int(v["timestamp"]) >= int(comments[cid]["timestamp"])
        assert int(v["vote"]) in (-1, 0, 1)
        agrees[cid] += v["vote"] == "1"
        disagrees[cid] += v["vote"] == "-1"
    for cid, c in comments.items():  # every vote event counts, as in Pol.is exports
        assert int(c["agrees"]) == agrees[cid]
        assert int(c["disagrees"]) == disagrees[cid]
    people = {p["participant"] for p in debate["participants"]}
    for c in comments.values():
        if c["is-seed"] == "true":
            assert c["author-id"] == "0"
        else:
            assert c["author-id"] in people


# ---------------------------------------------------------------- opinion groups


def test_groups_disagree_on_some_statements_and_agree_on_others(debate):
    header, rows = debate["pv_header"], debate["pv_rows"]
    cids = [int(h) for h in header[7:]]
    moderated = {int(c["comment-id"]): c["moderated"] for c in debate["comments"]}
    tally = defaultdict(lambda: [0, 0])  # (cid, group) -> [agree, voted]
    groups = set()
    for row in rows:
        if row[2] == "":
            continue
        groups.add(row[2])
        for cid, v in zip(cids, row[7:]):
            if v != "":
                t = tally[(cid, row[2])]
                t[0] += v == "1"
                t[1] += 1
    assert len(groups) >= 2
    divisive = consensus = 0
    for cid in cids:
        if moderated[cid] == "-1":
            continue
        cells = [tally[(cid, g)] for g in sorted(groups)]
        if min(n for _, n in cells) < 20:
            continue
        rates = [100 * a / n for a, n in cells]
        divisive += max(rates) - min(rates) >= 30
        consensus += min(rates) >= 75
    assert divisive >= 10
    assert consensus >= 8


# ---------------------------------------------------------------- answer key


def test_answer_key_covers_everything(debate):
    key = SAMPLE / "answer_key"
    themes = json.loads((key / "themes.json").read_text(encoding="utf-8"))
    theme_ids = {t["id"] for t in themes["themes"]}
    labels = theme_ids | {t["id"] for t in themes["non_substantive"]}
    assert len(theme_ids) >= 6
    st = {int(r["comment-id"]): r["theme"] for r in read(key / "statements.csv")}
    assert set(st) == {int(c["comment-id"]) for c in debate["comments"]}
    assert set(st.values()) <= labels
    assert theme_ids <= set(st.values())
    nk = {r["note_id"]: r["theme"] for r in read(key / "notes.csv")}
    assert set(nk) == {n["note_id"] for n in read(SAMPLE / "workshop_notes.csv")}
    assert set(nk.values()) <= theme_ids
    passages = read(key / "passages.csv")
    assert {p["theme"] for p in passages} <= theme_ids | {"none"}
    assert sum(p["theme"] != "none" for p in passages) >= 100
