"""Vote figures of a study with more than one debate, and the report's reading of them: the
statements listed, the opinion groups (each debate's own), the opinion map."""
from __future__ import annotations

import numpy as np
import pytest

from tests import debates_study


# --------------------------------------------------------------------------- statements listed
def test_the_report_lists_the_statements_the_engine_lists(debates):
    from exports import content
    from synth.votes.statement_figures import listed_statements
    with debates.transaction() as db:
        db.execute("UPDATE statements SET is_meta = 1 WHERE id = 2")
        db.execute("UPDATE statements SET is_seed = 1 WHERE id = 4")
    listed = content.statements(debates)
    assert list(listed) == [sid for sid, _text in listed_statements(debates)] == [1, 3, 4, 5]
    assert [(s.id, s.ref, s.text, s.is_seed, s.source_id) for s in listed.values()] == \
        [(r[0], str(r[2]), r[1], bool(r[3]), r[4])
         for r in listed_statements(debates, "external_id", "is_seed", "source_id")]
    assert listed[4].is_seed and listed[4].source_id == 2
    with pytest.raises(ValueError):
        listed_statements(debates, "text; DROP TABLE votes")


# --------------------------------------------------------------------------- the opinion map
def _dense_map(project, pids):
    """The map as Pol.is draws it, by a dense participants × statements table: everyone who
    voted (any debate), NaN where no vote, filled with each statement's mean, centred, a
    moderated-out or meta statement zero for everyone (and counted as voted by all, as Pol.is
    does), its SVD, each participant then scaled by √(statements / their votes) (Pol.is's
    sparsity-aware projection); the rows of ``pids``."""
    rows = project.query("SELECT participant_id, statement_id, value FROM votes")
    out = {r[0] for r in project.query("SELECT id FROM statements WHERE moderation = -1 "
                                       "OR is_meta = 1")}
    voters = sorted({r[0] for r in rows})
    index = {p: i for i, p in enumerate(voters)}
    sids = sorted({r[1] for r in rows})
    sindex = {s: j for j, s in enumerate(sids)}
    m = np.full((len(voters), len(sids)), np.nan)
    for p, s, v in rows:
        m[index[p], sindex[s]] = v
    mean = np.nanmean(m, axis=0)
    filled = np.where(np.isnan(m), mean, m) - mean
    gone = np.array([s in out for s in sids])
    filled[:, gone] = 0.0
    votes = (~np.isnan(m[:, ~gone])).sum(1) + gone.sum()
    u, s, _ = np.linalg.svd(filled, full_matrices=False)
    xy = u[:, :2] * s[:2] * np.sqrt(len(sids) / votes)[:, None]
    return xy[[index[p] for p in pids]]


def _same_map(a, b):
    """Equal up to each axis's sign (an SVD's axes have none of their own) and float32."""
    assert a.shape == b.shape
    for k in range(a.shape[1]):
        sign = 1.0 if np.dot(a[:, k], b[:, k]) >= 0 else -1.0
        np.testing.assert_allclose(a[:, k], sign * b[:, k], atol=1e-4 * max(1, abs(a).max()))


def test_the_opinion_map_of_two_debates_is_unchanged_by_the_sparse_pca(tmp_path, monkeypatch):
    from exports import content
    p = debates_study.build(tmp_path / "plain.synth", projections=False)
    with p.transaction() as db:       # some people voted little: the mean stands in for them
        db.execute("DELETE FROM votes WHERE participant_id IN (5, 6, 7, 120) AND "
                   "statement_id IN (1, 4)")
    try:
        groups = content.opinion_groups(p)
        assert groups.run_id is None           # two runs: no one stored map for both
        pids, xy = content.group_map(p, groups)
        assert pids == sorted(groups.members) and len(pids) == 80
        _same_map(np.asarray(xy), _dense_map(p, pids))
        assert np.abs(xy).max() > 0.5          # a real spread, not all at the origin
        # the dense table is never built: no array the size of participants × statements
        monkeypatch.setattr(np, "full", lambda *a, **k: pytest.fail("a dense vote table"))
        content.group_map(p, groups)
    finally:
        p.close()


# --------------------------------------------------------------------------- each debate's groups
NA, NB = "Group A (Debate North)", "Group B (Debate North)"
SA, SB = "Group A (Debate South)", "Group B (Debate South)"


def test_each_debates_groups_are_its_own_never_added_together(debates):
    from synth.votes.statement_figures import groups_in_use, statement_tallies
    g = groups_in_use(debates)
    assert [(x.name, x.size, x.source_id, x.run_id) for x in g.groups.values()] == \
        [(NA, 24, 1, 2), (NB, 16, 1, 2), (SA, 16, 2, 3), (SB, 24, 2, 3)]
    assert list(g.groups) == [0, 1, 2, 3]        # numbered debate by debate
    assert g.members[1] == 0 and g.members[101] == 2      # both in their debate's group 0
    f = statement_tallies(debates)
    assert {k: (t.agree, t.n) for k, t in f[1].groups.items()} == \
        {"A (Debate North)": (3, 24), "B (Debate North)": (10, 16)}
    assert {k: (t.agree, t.n) for k, t in f[4].groups.items()} == \
        {"A (Debate South)": (2, 16), "B (Debate South)": (15, 24)}


def test_polis_own_groups_of_two_debates_are_kept_apart_too(debates):
    from exports import content
    with debates.transaction() as db:
        db.execute("DELETE FROM group_members")
        db.execute("UPDATE participants SET polis_group = CASE WHEN id IN (SELECT participant_id "
                   "FROM votes WHERE statement_id IN (1, 4) AND value = 1) THEN 1 ELSE 0 END")
    g = content.opinion_groups(debates)
    assert g.origin == "Pol.is export"
    assert [g.labels[x] for x in g.group_ids] == [NA, NB, SA, SB]
    assert [g.size(x) for x in g.group_ids] == [27, 13, 23, 17]
    assert [name for name, _d in g.per_debate()] == ["Debate North", "Debate South"]


def test_one_debate_keeps_its_names_and_numbers(north):
    from exports import content
    from synth.votes.statement_figures import groups_in_use
    g = groups_in_use(north)
    assert [(n, x.name) for n, x in g.groups.items()] == [(0, "Group A"), (1, "Group B")]
    og = content.opinion_groups(north)
    assert og.labels == {0: "Group A", 1: "Group B"} and og.run_id == 2
    assert og.per_debate() == [("", og)]


def test_groups_are_compared_within_their_debate(debates):
    from exports import content
    g = content.opinion_groups(debates)
    differ, agree = content.compare_groups(g, min_n=10)
    # statement 1 among North's groups, statement 4 among South's: 13 % against 63 % in both;
    # (6, moderated out, is compared too: the report leaves it out when it prints them)
    assert [(c.statement_id, c.spread, c.lowest, c.groups) for c in differ] == \
        [(6, 83, 17, (2, 3)), (1, 50, 13, (0, 1)), (4, 50, 13, (2, 3))]
    assert agree == []


def test_a_statement_the_report_leaves_out_takes_no_place_among_the_compared(debates):
    """Moderated-out statement 6 has the widest spread; given the listed statements, the
    comparison ranks only those, so the report's "differ most" list is not cut short."""
    from exports import content
    from synth.votes.statement_figures import listed_statements
    g = content.opinion_groups(debates)
    listed = [sid for sid, _text in listed_statements(debates)]
    assert 6 not in listed
    differ, _agree = content.compare_groups(g, min_n=10, limit=2, listed=listed)
    assert [c.statement_id for c in differ] == [1, 4]
    everything, _ = content.compare_groups(g, min_n=10, limit=2)
    assert [c.statement_id for c in everything] == [6, 1]       # what the report used to get


def test_the_report_sizes_and_compares_each_debates_groups(debates, tmp_path):
    import docx

    from exports.report import ReportOptions, write_report
    result = write_report(debates, tmp_path / "r.docx", ReportOptions(charts=False))
    sizes = {f.population: f.text for f in result.figures
             if f.kind == "count" and f.label.startswith("participants in ")}
    assert sizes == {NA: "24", NB: "16", SA: "16", SB: "24"}
    shares = {f.population: f.text for f in result.figures if f.kind == "share"}
    assert shares == {NA: "60%", NB: "40%", SA: "40%", SB: "60%"}   # of their debate's 40
    text = "\n".join(p.text for p in docx.Document(str(result.path)).paragraphs)
    assert "Group A:" not in text and "Group A " not in text.replace(NA, "").replace(SA, "")
    assert (2, "Debate North") in result.headings and (2, "Debate South") in result.headings
    assert f"— {NA} 13%F" in text and f"— {SA} 13%F" in text
    groups_of = {}
    for f in result.figures:
        if f.kind == "agreement" and f.population != "all participants":
            groups_of.setdefault(f.statement_id, set()).add(f.population)
    assert groups_of == {1: {NA, NB}, 4: {SA, SB}}     # never another debate's group


def test_the_board_and_details_name_the_statements_own_debates_groups(qtbot, debates):
    from ui.board.data import load_cards
    from ui.panels.details import DetailsPanel
    cards = load_cards(debates)
    north, south = cards[("statement", 1)], cards[("statement", 4)]
    assert north.group_names == south.group_names == (NA, NB, SA, SB)
    assert [t and (t.agree, t.n) for t in north.group_tallies] == [(3, 24), (10, 16), None, None]
    assert [t and (t.agree, t.n) for t in south.group_tallies] == [None, None, (2, 16), (15, 24)]
    assert (north.opinion_group, north.opinion_group_name) == (1, NB)
    assert (south.opinion_group, south.opinion_group_name) == (3, SB)
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.show_card(south, {})
    text = panel.browser.toPlainText()
    assert f"{SA}: 13 % agree — of 16 who voted" in text
    assert f"{SB}: 63 % agree — of 24 who voted" in text
    assert "North" not in text


def test_the_statements_table_has_each_debates_group_columns(debates):
    from exports.tables import statements_sheet
    sheet = statements_sheet(debates)
    assert [h for h in sheet.header if h.endswith("% agree") and h.startswith("Group")] == \
        [f"{n} % agree" for n in (NA, NB, SA, SB)]
    row = {r[0]: dict(zip(sheet.header, r)) for r in sheet.rows}
    assert (row["S1"][f"{NA} % agree"], row["S1"][f"{SA} % agree"]) == (13, "")
    assert (row["S4"][f"{NA} % agree"], row["S4"][f"{SA} % agree"]) == ("", 13)
