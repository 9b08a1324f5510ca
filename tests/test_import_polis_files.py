"""Pol.is export folders as Pol.is serves them today: ``participant-votes.csv`` (singular) and
file names with the export's id in front (QA item 37)."""
from __future__ import annotations

import shutil

import pytest

from conftest import POLIS
from synth.errors import ImportProblem
from synth.importers import detect, import_path
from synth.importers.polis import read_polis_export

LONDON = POLIS / "london.youth.policing"


def _copy(tmp_path, names: dict[str, str]):
    folder = tmp_path / "export"
    folder.mkdir()
    for src, dst in names.items():
        shutil.copy(LONDON / src, folder / dst)
    return folder


def test_singular_participant_votes_gives_the_polis_groups(project, tmp_path):
    folder = _copy(tmp_path, {"comments.csv": "comments.csv", "votes.csv": "votes.csv",
                              "summary.csv": "summary.csv",
                              "participants-votes.csv": "participant-votes.csv"})
    [report] = import_path(project, folder)
    # london: 24 of its voters in 3 Pol.is groups (the old code found 0)
    assert report.counts["participants with a Pol.is group"] == 24
    groups = {g for (g,) in project.query("SELECT DISTINCT polis_group FROM participants "
                                          "WHERE polis_group IS NOT NULL")}
    assert groups == {0, 1, 2}


def test_singular_participant_votes_without_votes_csv(project, tmp_path):
    folder = _copy(tmp_path, {"comments.csv": "comments.csv", "summary.csv": "summary.csv",
                              "participants-votes.csv": "participant-votes.csv"})
    assert detect(folder) == "polis"
    [report] = import_path(project, folder)
    assert report.counts["statements"] == 39
    assert report.counts["votes"] == project.summary().votes > 500


def test_prefixed_names_are_one_export(project, tmp_path):
    prefix = "9xxwa9jpkm-2024-10-09-"
    folder = _copy(tmp_path, {n: prefix + n for n in ("comments.csv", "votes.csv",
                                                      "summary.csv")}
                   | {"participants-votes.csv": prefix + "participant-votes.csv"})
    (folder / (prefix + "comment-groups.csv")).write_text("comment-id,group-id\n", "utf-8")
    assert detect(folder) == "polis"
    ex = read_polis_export(folder)
    assert ex.topic.startswith("What is the best way to engage more young people")
    assert len(ex.comments) == 39
    assert sum(g is not None for g in ex.polis_groups.values()) == 24
    [report] = import_path(project, folder)
    assert report.counts["votes"] == len(ex.vote)


def test_two_candidates_for_one_file_are_named(tmp_path):
    folder = _copy(tmp_path, {"comments.csv": "comments.csv", "votes.csv": "votes.csv",
                              "participants-votes.csv": "participants-votes.csv"})
    shutil.copy(LONDON / "participants-votes.csv", folder / "old-participant-votes.csv")
    with pytest.raises(ImportProblem) as e:
        read_polis_export(folder)
    assert "old-participant-votes.csv" in str(e.value)
    assert "participants-votes.csv" in str(e.value)


def test_a_prefixed_export_is_fingerprinted_by_its_files(project, tmp_path):
    """Two different prefixed exports are two conversations, not one imported twice (the
    fingerprint read only the standard names: every prefixed folder had the same, empty one);
    the same export under its standard names has the same fingerprint as before prefixes."""
    from synth.importers.fingerprints import fingerprint
    prefix = "9xxwa9jpkm-2024-10-09-"
    ours = _copy(tmp_path, {n: prefix + n for n in ("comments.csv", "votes.csv",
                                                    "summary.csv", "participants-votes.csv")})
    plain = tmp_path / "plain"
    plain.mkdir()
    for n in ("comments.csv", "votes.csv", "summary.csv", "participants-votes.csv"):
        shutil.copy(LONDON / n, plain / n)
    other = tmp_path / "other"
    other.mkdir()
    for n in ("comments.csv", "votes.csv", "summary.csv", "participants-votes.csv"):
        shutil.copy(POLIS / "bg2050-volunteers" / n, other / ("abc-" + n))
    assert fingerprint(ours).sha256 == fingerprint(plain).sha256 == fingerprint(LONDON).sha256
    assert fingerprint(other).sha256 != fingerprint(ours).sha256
    import_path(project, ours)
    [report] = import_path(project, other)              # not refused as already imported
    assert report.counts["statements"] > 39
