"""Pol.is export folders: exact counts against the files, latest votes, sign, atomicity."""
from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest

from conftest import POLIS
from synth.errors import ImportProblem
from synth.importers import detect, import_path
from synth.importers.polis import import_polis

CONVERSATIONS = ["london.youth.policing", "bg2050-volunteers", "american-assembly.bowling-green"]


def _latest_votes_from_files(folder):
    """Counted independently of the importer: votes.csv latest per voter and comment by time,
    else the participants-votes.csv matrix."""
    latest: dict[tuple[str, str], tuple[float, int, int]] = {}
    if (folder / "votes.csv").exists():
        with open(folder / "votes.csv", newline="", encoding="utf-8") as f:
            for n, row in enumerate(csv.DictReader(f)):
                key = (row["voter-id"], row["comment-id"])
                stamp = (float(row["timestamp"]), n)
                if key not in latest or stamp > latest[key][:2]:
                    latest[key] = (*stamp, int(row["vote"]))
        return {k: v[2] for k, v in latest.items()}
    out = {}
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        first_vote_col = header.index("n-disagree") + 1
        for row in reader:
            for h, cell in zip(header[first_vote_col:], row[first_vote_col:]):
                if cell != "":
                    out[(row[0], h)] = int(cell)
    return out


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_polis_import_counts_match_the_files(project, name):
    folder = POLIS / name
    votes = _latest_votes_from_files(folder)
    with open(folder / "comments.csv", newline="", encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as f:
        pv_participants = {r["participant"] for r in csv.DictReader(f)}
    people = pv_participants | {p for p, _ in votes} | {c["author-id"] for c in comments}

    report = import_polis(project, folder)
    assert detect(folder) == "polis"
    s = project.summary()
    assert s.statements == len(comments) == report.counts["statements"]
    assert s.votes == len(votes)
    assert s.participants == len(people)
    assert not report.options["flipped"]

    expected = Counter()
    for (_, tid), v in votes.items():
        expected[(tid, v)] += 1
    got = Counter()
    for tid, value, n in project.query(
            "SELECT s.external_id, v.value, count(*) FROM votes v "
            "JOIN statements s ON s.id = v.statement_id GROUP BY 1, 2"):
        got[(tid, value)] = n
    assert got == expected


def test_votes_csv_and_participants_votes_agree_on_latest_votes():
    """The two files of one export hold the same final votes: our latest-vote rule is right."""
    folder = POLIS / "bg2050-volunteers"
    from_votes = _latest_votes_from_files(folder)
    tmp_matrix = {}
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        first = header.index("n-disagree") + 1
        for row in reader:
            for h, cell in zip(header[first:], row[first:]):
                if cell != "":
                    tmp_matrix[(row[0], h)] = int(cell)
    assert from_votes == tmp_matrix


def test_polis_groups_are_kept(project):
    import_polis(project, POLIS / "american-assembly.bowling-green")
    groups = dict(project.query("SELECT polis_group, count(*) FROM participants "
                                "WHERE polis_group IS NOT NULL GROUP BY 1"))
    with open(POLIS / "american-assembly.bowling-green" / "participants-votes.csv",
              encoding="utf-8") as f:
        expected = Counter(int(r["group-id"]) for r in csv.DictReader(f) if r["group-id"])
    assert groups == dict(expected)


def test_moderation_meta_and_seed_flags(project):
    import_polis(project, POLIS / "bg2050-volunteers")
    with open(POLIS / "bg2050-volunteers" / "comments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    expect_seed = sum(r["is-seed"] == "true" for r in rows)
    expect_rejected = sum(r["moderated"] == "-1" for r in rows)
    assert project.scalar("SELECT count(*) FROM statements WHERE is_seed = 1") == expect_seed
    assert project.scalar("SELECT count(*) FROM statements WHERE moderation = -1") \
        == expect_rejected


def _rewritten_votes(src, folder, column, change):
    """A copy of an export whose votes.csv has ``change`` applied to one column."""
    folder.mkdir()
    shutil.copy(src / "comments.csv", folder)
    with open(src / "votes.csv", encoding="utf-8") as f, \
            open(folder / "votes.csv", "w", encoding="utf-8", newline="") as g:
        reader = csv.DictReader(f)
        writer = csv.DictWriter(g, reader.fieldnames)
        writer.writeheader()
        for row in reader:
            row[column] = change(row[column])
            writer.writerow(row)
    return folder


def test_inverted_export_is_detected_and_flipped(project, tmp_path):
    src = POLIS / "bg2050-volunteers"
    folder = _rewritten_votes(src, tmp_path / "inverted", "vote", lambda v: str(-int(v)))
    report = import_polis(project, folder)
    assert report.options["flipped"] and "inverted" in report.warnings[0]
    straight = _latest_votes_from_files(src)
    agrees = sum(v == 1 for v in straight.values())
    assert project.scalar("SELECT count(*) FROM votes WHERE value = 1") == agrees


def test_seconds_timestamps_give_the_same_latest_votes(project, tmp_path):
    src = POLIS / "london.youth.policing"
    folder = _rewritten_votes(src, tmp_path / "seconds", "timestamp",
                              lambda v: str(int(v) / 1000))
    import_polis(project, folder)
    assert project.summary().votes == len(_latest_votes_from_files(src))
    first = project.scalar("SELECT min(cast_at) FROM votes")
    assert 1.6e9 < first < 1.7e9


def test_a_bad_votes_file_changes_nothing_and_names_row_and_column(project, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(POLIS / "london.youth.policing", folder)
    lines = (folder / "votes.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[10].split(",")
    cells[-1] = "maybe"
    lines[10] = ",".join(cells)
    (folder / "votes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as e:
        import_path(project, folder)
    assert "votes.csv, row 11, column “vote”" in str(e.value)
    assert project.summary().statements == 0 and project.summary().sources == 0


def test_folder_with_participants_votes_only(project, tmp_path):
    folder = tmp_path / "pv"
    folder.mkdir()
    for f in ("comments.csv", "participants-votes.csv"):
        shutil.copy(POLIS / "london.youth.policing" / f, folder)
    import_polis(project, folder)
    assert project.summary().votes == len(_latest_votes_from_files(POLIS / "london.youth.policing"))
