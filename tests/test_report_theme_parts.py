"""How the Word report prints a theme's parts, read back from the .docx (QA on real data):
a candidate sub-theme the clustering put under an accepted code is not evidence of the code;
codes with no cards yet are named in one line, not given a chapter each, and the count of what
the themes hold stays true; the table of themes has a column of the team's one-line
descriptions only when some theme has one, and never puts keywords under it."""
from __future__ import annotations

import docx

from export_study import build_study
from exports.report import write_report
from synth.board import CreateTheme, MoveCards, UpdateTheme

ISOLATED = "I feel isolated when I work from home for several days."
WIFI = "The office wifi and booking system often stop me working."


def _doc(path) -> docx.Document:
    return docx.Document(str(path))


def _paragraphs(path) -> list[str]:
    return [p.text for p in _doc(path).paragraphs]


def _chapter(path, heading: str) -> str:
    """The text of the chapter whose level-1 heading is ``heading``, up to the next one."""
    out, inside = [], False
    for p in _doc(path).paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading
            continue
        if inside:
            out.append(p.text)
    assert out, f"no chapter {heading!r}"
    return "\n".join(out)


def _themes_table(path) -> list[list[str]] | None:
    for t in _doc(path).tables:
        if t.rows[0].cells[0].text == "Theme":
            return [[c.text for c in row.cells] for row in t.rows]
    return None


def _statement(project, text: str) -> int:
    return project.scalar("SELECT id FROM statements WHERE text = ?", (text,))


def _code_with_candidate_under_it(project, tmp_path) -> tuple[int, int]:
    """A codebook's code holding the wifi statement, and under it a candidate sub-theme the
    clustering made, holding the statement about isolation (a card of another topic)."""
    build_study(project, tmp_path)
    code = project.history.apply(CreateTheme("Kit, IT and AI"))
    project.history.apply(MoveCards([("statement", _statement(project, WIFI))], code))
    sub = project.history.apply(CreateTheme("Home & isolation", status="candidate",
                                            parent_id=code, keywords=["home", "isolated"]))
    project.history.apply(MoveCards([("statement", _statement(project, ISOLATED))], sub))
    return code, sub


def test_a_candidate_sub_theme_is_no_evidence_of_its_accepted_theme(project, tmp_path):
    code, sub = _code_with_candidate_under_it(project, tmp_path)
    path = write_report(project, tmp_path / "r.docx").path
    names = [p for p in _paragraphs(path)]
    number = next(p.split(".")[0] for p in names if p.endswith(". Kit, IT and AI"))
    chapter = _chapter(path, f"{number}. Kit, IT and AI")
    assert "office wifi and booking system" in chapter
    assert "feel isolated" not in chapter          # neither as a statement nor as a quote
    assert ("Not included: the candidate sub-theme “Home & isolation”, which the clustering "
            "placed under this theme and the research team has not reviewed yet (1 card)."
            in chapter)
    # the count of what the themes hold leaves the unreviewed card out
    total = project.scalar("SELECT count(*) FROM statements WHERE moderation >= 0 AND "
                           "is_meta = 0 AND text != ''") + \
        project.scalar("SELECT count(*) FROM notes") + \
        project.scalar("SELECT count(*) FROM passages WHERE speaker_role != 'facilitator'")
    chapters = sum(1 for p in _doc(path).paragraphs
                   if p.style.name == "Heading 1" and p.text[:1].isdigit())
    assert (f"The {_spelt(chapters)} themes below hold {total - 1:,} of the {total:,} statements, "
            f"notes and passages on the board; 1 is not in any of them yet:"
            in _paragraphs(path))

    # accepted, the sub-theme is the theme's: named, and its card is evidence
    project.history.apply(UpdateTheme(sub, {"status": "accepted"}))
    path = write_report(project, tmp_path / "r2.docx").path
    chapter = _chapter(path, f"{number}. Kit, IT and AI")
    assert "feel isolated" in chapter
    assert ("Sub-theme: Home & isolation; its cards are part of this theme's evidence below."
            in chapter)
    assert "Not included" not in chapter
    assert "Everything participants shared was sorted into" in "\n".join(_paragraphs(path))


def _spelt(n: int) -> str:
    from exports.content import _count_words
    return _count_words(n)


def test_codes_with_no_cards_are_named_in_one_line_not_a_chapter_each(project, tmp_path):
    build_study(project, tmp_path)
    before = write_report(project, tmp_path / "before.docx")
    for name in ("Pay and reward", "Learning", "Fair access for all"):
        project.history.apply(CreateTheme(name))
    result = write_report(project, tmp_path / "r.docx")
    text = _paragraphs(result.path)
    assert ("Three themes hold no statements, notes or passages yet and have no chapter: "
            "“Pay and reward”, “Learning” and “Fair access for all”." in text)
    chapters = [h for lvl, h in result.headings if lvl == 1 and h[:1].isdigit()]
    assert chapters == [h for lvl, h in before.headings if lvl == 1 and h[:1].isdigit()]
    assert not any("Pay and reward" in h or h.endswith("Learning") for h in chapters)
    assert "No statements with votes have been placed in this theme." not in text
    assert len(_themes_table(result.path)) == len(chapters) + 1     # header and one per chapter
    # the numbers the panels can print are the chapters': none for the empty codes
    from coding.chapters import chapter_numbers
    names = dict(project.query("SELECT id, name FROM themes"))
    assert sorted(f"{n}. {names[t]}" for t, n in chapter_numbers(project).items() if n) == \
        sorted(chapters)
    assert {names[t] for t, n in chapter_numbers(project).items() if not n} == \
        {"Pay and reward", "Learning", "Fair access for all"}
    # the sentence counting what the themes hold counts the chapters
    assert any(p.startswith(f"Everything participants shared was sorted into "
                            f"{_spelt(len(chapters))} themes") for p in text)


def test_only_empty_codes_no_chapter_and_no_count_of_themes(project, tmp_path):
    """A codebook imported before any card is sorted: its codes in one line, no chapters, and
    the methodology does not say the team's themes were made from the cards."""
    from synth.board import DeleteTheme
    ids = build_study(project, tmp_path)["themes"]
    for tid in ids.values():
        project.history.apply(DeleteTheme(tid))
    for name in ("Pay and reward", "Learning"):
        project.history.apply(CreateTheme(name))
    result = write_report(project, tmp_path / "r.docx")
    text = _paragraphs(result.path)
    assert ("Two themes hold no statements, notes or passages yet and have no chapter: "
            "“Pay and reward” and “Learning”." in text)
    assert not [h for lvl, h in result.headings if lvl == 1 and h[:1].isdigit()]
    assert _themes_table(result.path) is None
    assert not any("themes below hold" in p for p in text)
    assert any("none of the team's themes holds any yet." in p for p in text)


def test_a_codebook_before_any_card_leaves_the_chapters_to_the_candidates(project, tmp_path):
    """QA: a codebook imported beside the candidate themes that hold every card: the report
    had nothing but the empty codes. The candidates have the chapters, saying they are
    candidates, and the team's codes are named in one line."""
    ids = build_study(project, tmp_path)["themes"]
    for tid in ids.values():
        project.history.apply(UpdateTheme(tid, {"status": "candidate"}))
    for name in ("Pay and reward", "Learning"):
        project.history.apply(CreateTheme(name))
    result = write_report(project, tmp_path / "r.docx")
    text = _paragraphs(result.path)
    names = dict(project.query("SELECT id, name FROM themes"))
    chapters = [h for lvl, h in result.headings if lvl == 1 and h[:1].isdigit()]
    assert chapters == [f"{n}. {names[t]}" for n, t in enumerate(ids.values(), start=1)]
    assert ("These are candidate themes found by clustering the texts; the research team has "
            "not yet reviewed them on the board." in text)
    assert ("The team's two themes hold no statements, notes or passages yet and have no "
            "chapter: “Pay and reward” and “Learning”." in text)
    assert any(p.startswith("Researcher judgement. The themes are candidates found by "
                            "clustering") for p in text)
    from coding.chapters import chapter_numbers
    assert sorted(n for n in chapter_numbers(project).values()) == \
        [0, 0] + list(range(1, len(ids) + 1))
    # a dot on one of the team's codes, as a workshop's dot vote casts it, leaves the
    # candidates their chapters (review: one dot turned them into one chapter of that code)
    from synth.board import CastDots
    learning = next(t for t, n in names.items() if n == "Learning")
    before = chapter_numbers(project)
    project.history.apply(CastDots(learning, "Amina"))
    assert chapter_numbers(project) == before


def test_an_empty_code_with_an_unreviewed_sub_theme_says_so(project, tmp_path):
    code, _sub = _code_with_candidate_under_it(project, tmp_path)
    project.history.apply(MoveCards([("statement", _statement(project, WIFI))], None))
    result = write_report(project, tmp_path / "r.docx")
    line = next(p for p in _paragraphs(result.path) if "no chapter" in p)
    assert line == ("One theme holds no statements, notes or passages yet and has no chapter: "
                    "“Kit, IT and AI”. Under “Kit, IT and AI” the clustering placed the "
                    "candidate sub-theme “Home & isolation” (1 card), not reviewed yet.")
    assert not any(h.endswith("Kit, IT and AI") for _lvl, h in result.headings)


def test_the_one_line_column_is_the_teams_words_or_left_out(project, tmp_path):
    ids = build_study(project, tmp_path)["themes"]
    path = write_report(project, tmp_path / "described.docx").path
    table = _themes_table(path)
    assert table[0] == ["Theme", "In one line"]
    assert all(row[1] and row[1] != "—" for row in table[1:])
    # nobody wrote a line: no column of dashes, the themes as a list
    for tid in ids.values():
        project.history.apply(UpdateTheme(tid, {"description": ""}))
    path = write_report(project, tmp_path / "bare.docx").path
    assert _themes_table(path) is None
    names = dict(project.query("SELECT id, name FROM themes"))
    listed = [p.text for p in _doc(path).paragraphs if p.style.name == "List Bullet"]
    order = [r[0] for r in project.query("SELECT id FROM themes WHERE parent_id IS NULL "
                                          "ORDER BY position, id")]
    at = listed.index(f"1. {names[order[0]]}")
    assert listed[at:at + len(order)] == [f"{n}. {names[t]}" for n, t in enumerate(order, 1)]
    # one theme described: its line, and a dash where the team wrote none
    first = list(ids.values())[0]
    project.history.apply(UpdateTheme(first, {"description": "Where people work, and when."}))
    table = _themes_table(write_report(project, tmp_path / "one.docx").path)
    assert table[0] == ["Theme", "In one line"]
    assert table[1][1] == "Where people work, and when." and table[2][1] == "—"


def test_candidate_keywords_are_labelled_as_the_clusterings(project, tmp_path):
    ids = build_study(project, tmp_path)["themes"]
    for tid in ids.values():
        project.history.apply(UpdateTheme(tid, {"description": "", "status": "candidate",
                                                "keywords": ["wifi", "screen", "desk"]}))
    path = write_report(project, tmp_path / "r.docx").path
    table = _themes_table(path)
    assert table[0] == ["Theme", "Keywords found by clustering"]
    assert {row[1] for row in table[1:]} == {"wifi, screen, desk"}
    text = "\n".join(_paragraphs(path))
    assert "Keywords found by clustering: wifi, screen, desk." in text
    assert "In one line" not in text


def test_the_panels_number_a_recommendation_as_the_report_does(project, tmp_path):
    """An empty code first on the board has no chapter, so the themes after it are numbered
    one less: the recommendations panel, the evidence JSON and the report agree (they had said
    2.1 in the panels and 1.1 in the report)."""
    from coding.cli import evidence_report
    from coding.recommendations import AddRecommendation, recommendations
    from coding.recommendations import theme_numbers
    from ui.coding.report_numbers import recommendation_numbers
    code, _sub = _code_with_candidate_under_it(project, tmp_path)
    empty = project.history.apply(CreateTheme("Learning"))
    project.history.apply(UpdateTheme(empty, {"position": -1}))     # first on the board
    rid = project.history.apply(AddRecommendation(code, "Fix the office wifi"))
    recs = recommendations(project)
    mine = next(r for r in recs if r.id == rid)
    numbers = theme_numbers(project)
    tops = [r[0] for r in project.query("SELECT id FROM themes WHERE parent_id IS NULL AND "
                                        "status = 'accepted' ORDER BY position, id")]
    assert tops[0] == empty and numbers[empty] == ""
    n = tops.index(code)            # counting the accepted themes before it, the empty one
    assert numbers[code] == str(n)  # left out: one less
    assert mine.number == f"{n}.1" == recommendation_numbers(recs)[rid]
    by_id = {t["id"]: t for t in evidence_report(project)["themes"]}
    assert by_id[code]["number"] == str(n)
    path = write_report(project, tmp_path / "r.docx").path
    said = [p for p in _paragraphs(path) if "Fix the office wifi" in p]
    assert said and all(p.startswith(f"{n}.1") for p in said)


def test_a_code_with_coded_passages_only_has_a_chapter(project, tmp_path):
    """Review: a second code on the same spans (double coding) holds codings and no card: the
    report said it held no passages while the Codebook panel counted them."""
    from coding.chapters import chapter_numbers
    from coding.passages import ApplyCode
    build_study(project, tmp_path)
    doc, text = project.query("SELECT id, text FROM documents ORDER BY id LIMIT 1")[0]
    first = project.history.apply(CreateTheme("Workload"))
    second = project.history.apply(CreateTheme("Wellbeing at work"))
    start = text.find(" ", 200) + 1
    project.history.apply(ApplyCode(doc, start, start + 120, [first, second]))
    assert project.scalar("SELECT count(*) FROM codings WHERE theme_id = ?", (second,)) == 1
    assert project.scalar("SELECT count(*) FROM card_places WHERE theme_id = ?", (second,)) == 0
    assert chapter_numbers(project)[second] > 0
    result = write_report(project, tmp_path / "c.docx")
    assert any(h.endswith(". Wellbeing at work") for lvl, h in result.headings if lvl == 1)
    assert not any("no chapter" in p and "Wellbeing at work" in p
                   for p in _paragraphs(result.path))


def test_the_reports_themes_are_numbered_once(project, tmp_path, monkeypatch):
    """Choosing the accepted themes numbers their chapters; the report's themes take those
    numbers, not a second look at every theme's cards, codings and evidence."""
    import coding.chapters
    from exports.content import theme_contents
    build_study(project, tmp_path)
    looks = []
    real = coding.chapters.any_in
    monkeypatch.setattr(coding.chapters, "any_in",
                        lambda p, table, ids: looks.append(table) or real(p, table, ids))
    numbers = coding.chapters.chapter_numbers(project)
    numbering = len(looks)
    contents = theme_contents(project)
    assert numbering > 0 and len(looks) == 2 * numbering      # was three times
    assert [t.number for t in contents] == [numbers[t.id] for t in contents]
    assert sorted(n for n in numbers.values() if n) == list(range(1, len(contents) + 1))
