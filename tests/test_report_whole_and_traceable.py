"""What the report prints whole, and what it lets a reader trace, read back from the .docx (QA,
round 19): every quote the team chose for a theme (a cap of three dropped four of seven without
a word), each cited statement's first words and Pol.is comment id in the traceability annex
(it gave "S360" alone), a recommendation's statement whole (it was cut at 90 characters),
workshop names that hold commas listed so each reads whole, no word of candidate themes in a
report without themes, Pol.is's own groups said to be so with how a recomputation compares,
and no claim of what every group agrees with on a group's handful of votes."""
from __future__ import annotations

import json

import docx
import pytest

from export_study import build_study
from exports.content import item_text
from exports.report import ReportOptions, write_report
from test_export_report import annex_rows

NO_CHARTS = ReportOptions(charts=False)

LONG = ("Being able to work from home for part of the week has made a real difference to my "
        "work-life balance, because I no longer lose two hours a day on trains that are late, "
        "and I can collect my children from school and still finish the work that matters.")


@pytest.fixture
def study(tmp_path):
    from synth.project import Project
    project = Project.create(tmp_path / "s.synth")
    ids = build_study(project, tmp_path)
    yield project, ids
    project.close()


def _paragraphs(path) -> list:
    return docx.Document(str(path)).paragraphs


def _section(path, heading: str) -> list:
    """(style, text) of the paragraphs after the heading ``heading`` up to the next heading of
    its level or above."""
    out, inside, level = [], False, 9
    for p in _paragraphs(path):
        style = p.style.name
        if style.startswith("Heading "):
            lvl = int(style.split()[-1])
            if inside and lvl <= level:
                break
            if p.text == heading or p.text.startswith(heading):
                inside, level = True, lvl
                continue
        if inside:
            out.append((style, p.text))
    return out


def test_every_quote_the_team_chose_for_a_theme_is_printed(study, tmp_path):
    project, ids = study
    theme = ids["themes"]["hybrid"]
    with project.transaction() as db:
        db.execute("DELETE FROM evidence WHERE item_kind = 'quote'")
        db.execute("DELETE FROM quotes")
        passages = [r[0] for r in db.execute(
            "SELECT id FROM passages WHERE speaker_role != 'facilitator' ORDER BY id")]
        assert len(passages) >= 6
        notes = [n for n, _key in ids["notes"]][:1]
        chosen = [("passage", p) for p in passages] + [("note", n) for n in notes]
        for kind, item in chosen[:7]:        # each quote the item's whole text
            qid = db.execute("INSERT INTO quotes(item_kind, item_id, start, end) VALUES "
                             "(?, ?, 0, ?)", (kind, item, len(item_text(project, kind, item)))
                             ).lastrowid
            db.execute("INSERT INTO evidence(theme_id, item_kind, item_id, role) VALUES "
                       "(?, 'quote', ?, 'support')", (theme, qid))
    assert project.scalar("SELECT count(*) FROM quotes") == 7
    result = write_report(project, tmp_path / "r.docx", NO_CHARTS)
    words = _section(tmp_path / "r.docx", "In participants' words")
    said = [t for s, t in words if s == "Quote" and not t.startswith("— ")]
    who = [t for s, t in words if s == "Quote" and t.startswith("— ")]
    assert len(said) == 7 and len(who) == 7
    assert not any("left out" in w for w in result.warnings)


def test_the_annex_gives_each_statements_first_words_and_polis_id(study, tmp_path):
    project, ids = study
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    rows = annex_rows(docx.Document(str(tmp_path / "r.docx")))
    cited = {r[3] for r in rows.values() if r[3]}
    assert cited
    first = ids["statements"][0]
    ref = project.scalar("SELECT external_id FROM statements WHERE id = ?", (first,))
    text = project.scalar("SELECT text FROM statements WHERE id = ?", (first,))
    expected = (f"S{first}, Pol.is comment {ref}: “{' '.join(text.split()[:8])} …”")
    assert expected in cited, sorted(cited)[:3]
    # every statement cell names its Pol.is comment
    assert all(", Pol.is comment " in c for c in cited)


def test_a_recommendations_statement_is_printed_whole(study, tmp_path):
    project, ids = study
    first = ids["statements"][0]
    assert 40 <= len(LONG.split()) <= 60 and len(LONG) > 200
    with project.transaction() as db:
        db.execute("UPDATE statements SET text = ? WHERE id = ?", (LONG, first))
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    evidence = [p.text for p in _paragraphs(tmp_path / "r.docx")
                if p.text.startswith("Evidence: ") and LONG[:40] in p.text]
    assert evidence and all(f"“{LONG}”" in e for e in evidence)
    assert not any("…" in e.split("”")[0] for e in evidence)


def test_workshop_names_with_commas_are_listed_whole(study, tmp_path):
    project, _ids = study
    names = {"Manchester": "Manchester co-design workshop, 3 March 2025",
             "Cardiff": "Cardiff co-design workshop, 5 March 2025"}
    with project.transaction() as db:
        for city, name in names.items():
            for table in ("notes", "documents", "sources"):
                db.execute(f"UPDATE {table} SET workshop = ? WHERE workshop LIKE ?",
                           (name, f"{city}%"))
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    held = [t for _s, t in _section(tmp_path / "r.docx", "The workshops") if "held" in t]
    assert len(held) == 1
    assert ("co-design workshops were held (Cardiff co-design workshop, 5 March 2025; "
            "Manchester co-design workshop, 3 March 2025).") in held[0]


def test_no_word_of_candidate_themes_without_themes(study, tmp_path):
    project, _ids = study
    with project.transaction() as db:
        for table in ("evidence", "recommendations", "card_places", "codings", "themes"):
            db.execute(f"DELETE FROM {table}")
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    limits = [t for s, t in _section(tmp_path / "r.docx", "Strengths and limitations")]
    assert limits and limits[0].startswith("Self-selection.")
    assert not any("candidates" in t or "Themes were refined" in t for t in limits)
    assert not any(t.startswith("Researcher judgement.") for t in limits)


def _polis_run(project, recomputed: dict | None) -> int:
    run = project.scalar("SELECT max(id) FROM analysis_runs")
    source = project.scalar("SELECT id FROM sources WHERE kind = 'debate'")
    result = {"k": 2, **({"recomputed": recomputed} if recomputed else {})}
    with project.transaction() as db:
        db.execute("UPDATE analysis_runs SET params = ?, result = ? WHERE id = ?",
                   (json.dumps({"source_id": source, "groups": "polis"}), json.dumps(result),
                    run))
    return run


def _method(path) -> str:
    said = [p.text for p in _paragraphs(path) if "Pol.is's own groups, as exported" in p.text]
    assert len(said) == 1, said
    return said[0]


def test_polis_groups_say_how_a_recomputation_compares(study, tmp_path):
    from synth.votes.project_analysis import recomputed_difference
    project, _ids = study
    cmp = {"groups": 2, "sizes": [50, 30], "adjusted_rand": 0.22,
           "participants_compared": 80, "k": 3}
    run = _polis_run(project, cmp)
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    said = _method(tmp_path / "r.docx")
    line = recomputed_difference(cmp, 2)      # what the command line printed of the run
    assert said.startswith(f"The opinion groups are {line}.")
    assert "they would be 3 groups, an adjusted Rand index of 0.22" in said
    assert said.endswith("Pol.is finds its groups with a principal component analysis of the "
                         "vote matrix and k-means clustering of participants who voted enough; "
                         f"the groups' figures here are read from analysis run {run}.")


def test_polis_groups_that_a_recomputation_repeats_say_so(study, tmp_path):
    project, _ids = study
    _polis_run(project, {"groups": 2, "sizes": [50, 30], "adjusted_rand": 1.0,
                         "participants_compared": 80, "k": 2})
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    assert _method(tmp_path / "r.docx").startswith(
        "The opinion groups are Pol.is's own groups, as exported (the groups seen on pol.is); "
        "recomputed from the final votes they come out the same.")


def test_no_claim_of_agreement_rests_on_a_small_group(study, tmp_path):
    """Group B cut to 5 people: fewer than 10 votes on every statement. Where the groups
    differ may compare it, marked; where they agree names no statement, and says why."""
    project, _ids = study
    run = project.scalar("SELECT max(run_id) FROM group_members")
    keep = [r[0] for r in project.query("SELECT participant_id FROM group_members WHERE "
                                        "run_id = ? AND group_id = 1 ORDER BY participant_id "
                                        "LIMIT 5", (run,))]
    with project.transaction() as db:
        db.execute(f"DELETE FROM group_members WHERE run_id = ? AND group_id = 1 AND "
                   f"participant_id NOT IN ({','.join('?' * len(keep))})", (run, *keep))
    assert project.scalar("SELECT count(*) FROM group_members WHERE group_id = 1") == 5
    write_report(project, tmp_path / "r.docx", NO_CHARTS)
    agree = _section(tmp_path / "r.docx", "Where the groups agree")
    assert agree and not any(s == "List Bullet" for s, _t in agree)
    assert any("Group B (5 people) has fewer than 10 votes on every statement" in t
               and "every group" in t for _s, t in agree)
    differ = _section(tmp_path / "r.docx", "Where the groups differ")
    assert any(s == "List Bullet" and "†" in t for s, t in differ)


def test_the_agreement_chart_stands_under_the_statements_it_draws(study, tmp_path):
    """Where the groups agree lists nothing (Group B cut to 5 people): the chart of the bars
    ends Where the groups differ, and its caption names that section; it stood after the empty
    section, "for the statements above"."""
    from exports.report import agreement_caption
    project, _ids = study
    run = project.scalar("SELECT max(run_id) FROM group_members")
    with project.transaction() as db:
        db.execute("DELETE FROM group_members WHERE run_id = ? AND group_id = 1 AND "
                   "participant_id NOT IN (SELECT participant_id FROM group_members WHERE "
                   "run_id = ? AND group_id = 1 ORDER BY participant_id LIMIT 5)", (run, run))
    write_report(project, tmp_path / "r.docx", ReportOptions(chart_dpi=40))
    differ = _section(tmp_path / "r.docx", "Where the groups differ")
    agree = _section(tmp_path / "r.docx", "Where the groups agree")
    captions = [t for s, t in differ if s == "Caption" and t.startswith("Chart")]
    assert len(captions) == 1 and captions[0].endswith(
        "% agree in each opinion group, of those in the group who voted, for the statements "
        "listed under “Where the groups differ” (the figures are those in the text).")
    assert agree and not [t for s, t in agree if t.startswith("Chart")]
    assert not any("statements above" in p.text for p in _paragraphs(tmp_path / "r.docx"))
    assert agreement_caption(["Where the groups differ", "Where the groups agree"]) == (
        "% agree in each opinion group, of those in the group who voted, for the statements "
        "listed under “Where the groups differ” and “Where the groups agree” (the figures are "
        "those in the text).")
