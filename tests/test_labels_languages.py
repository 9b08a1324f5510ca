"""A theme most of whose texts are in a language other than the study's is named after that
language ("Texts in Welsh"), not after words the researchers may not read ("Swyddfa &
gweithio") — QA's Welsh, Chinese and Arabic notes among English ones."""
from __future__ import annotations

from collections import Counter

import numpy as np

from synth.themes.labels import _read, label_themes, other_languages

ENGLISH = ["The office is too noisy for calls", "We need a quiet room in the office",
           "Managers should trust us to work at home",
           "Pay has not kept up with the cost of living",
           "The commute costs me a day of pay a week", "Training is only online and it is dull"]
MORE = ["Hybrid working helps carers", "I care for my mum and need flexible hours",
        "The four day week would help parents", "School runs are easier from home",
        "My children see me more since I work from home", "Carers need more than one day a week"]
WELSH = ["Mae gweithio hyblyg yn helpu teuluoedd yng Nghymru",
         "Mae'r swyddfa yn rhy swnllyd i wneud galwadau",
         "Mae angen lle tawel i weithio yn y swyddfa",
         "Rydw i eisiau gweithio o adref dau ddiwrnod yr wythnos"]
CHINESE = ["在家工作需要更好的网络", "办公室太吵了，没法打电话", "希望每周可以在家工作两天"]
ARABIC = ["نحتاج إلى مرونة أكبر في ساعات العمل", "المكتب مزدحم جدا"]


def labelled(groups: list[list[str]]):
    texts = [t for group in groups for t in group]
    labels = np.array([i for i, group in enumerate(groups) for _ in group])
    vectors = np.eye(len(texts), dtype=np.float32)
    centroids = np.stack([vectors[labels == t].mean(0) for t in range(len(groups))])
    return label_themes(texts, vectors, labels, centroids)


def test_each_text_reads_as_a_language_or_a_script():
    assert [_read(t)[2] for t in (ENGLISH[0], WELSH[0], CHINESE[0], ARABIC[0])] == [
        "en", "cy", "zh", "Arabic script"]
    assert _read("在宅勤務で通勤時間がなくなりました")[2] == "ja"
    assert _read("Die Männer verdienen mehr")[2] == "de"       # a German article, nothing else
    assert _read("Man hours")[2] == ""                         # no stop word: cannot be told
    assert _read("A β-blocker trial for the heart")[2] == "en"  # one Greek letter


def test_a_theme_in_another_language_is_named_after_it():
    english, carers, welsh, chinese = labelled([ENGLISH, MORE, WELSH, CHINESE])
    assert welsh.name == "Texts in Welsh"                # was "Swyddfa & gweithio"
    assert chinese.name == "Texts in Chinese"
    assert not english.name.startswith("Texts in") and not carers.name.startswith("Texts in")
    assert "swyddfa" in welsh.keywords                   # keywords stay the theme's words
    *_, mixed = labelled([ENGLISH, MORE, WELSH[:2] + CHINESE[:1] + ARABIC])
    assert mixed.name == "Texts in other languages"      # 2 Welsh, 1 Chinese, 2 Arabic
    *_, arabic = labelled([ENGLISH, ARABIC + ["Arabic notes from the Leeds table"]])
    assert arabic.name == "Texts in Arabic script"


def test_a_theme_mostly_in_the_studys_language_keeps_its_words_name():
    """QA's junk theme held 7 Welsh, Chinese and Arabic notes of 19: not most, so no language
    names it; nor does any in a study with no language most texts are in (6 English, 4 Welsh
    and 3 Chinese texts; a study in two languages)."""
    _, half = labelled([ENGLISH, ENGLISH[3:] + WELSH[:2]])
    assert not half.name.startswith("Texts in")
    for groups in ([ENGLISH[:4], WELSH], [ENGLISH, WELSH, CHINESE]):
        assert not [lab.name for lab in labelled(groups) if lab.name.startswith("Texts in")]
    assert other_languages([Counter(en=6), Counter(cy=4, en=1)]) == ["", "Texts in Welsh"]
    assert other_languages([Counter(en=6), Counter(cy=2, en=2)]) == ["", ""]
    assert other_languages([Counter({"": 6}), Counter(cy=4)]) == ["", ""]   # cy is the study's


def test_two_themes_in_one_other_language_are_told_apart():
    groups = [ENGLISH, MORE, WELSH[:2], WELSH[2:]]
    *_, first, second = got = labelled(groups)
    assert first.name == "Texts in Welsh"
    assert second.name.startswith("Texts in Welsh: ")
    assert [lab.name for lab in labelled(groups)] == [lab.name for lab in got]


def test_a_run_with_a_theme_of_another_language_hints_at_a_multilingual_model(project,
                                                                             tmp_path):
    """QA: non-English notes ("El salario es muy bajo", "Mae angen mwy o hyblygrwydd") were
    sorted apart from the English ones on the same subject, with nothing to say why."""
    from synth.importers import import_path
    from synth.pipeline import _describe
    from synth.themes.project_themes import discover_themes
    english = ["Pay has fallen behind inflation", "Our pay rise was below prices",
               "Salaries are too low for the work", "The VPN drops every afternoon",
               "Laptops are far too slow", "IT support never answers the phone"] * 3
    welsh = ["Mae angen mwy o hyblygrwydd yn y gwaith", "Mae'r cyflog yn rhy isel i ni",
             "Rydym angen gliniaduron newydd yn y swyddfa", "Mae'r rhwydwaith yn araf iawn",
             "Mae angen mwy o hyfforddiant ar y staff", "Dydy'r cyflog ddim yn ddigon"]
    notes = tmp_path / "notes.csv"
    notes.write_text("text\n" + "".join(f"{t}\n" for t in english + welsh), encoding="utf-8")
    import_path(project, notes)
    result = discover_themes(project, seed=0)
    welsh_themes = [t for t in result["themes"] if t["name"].startswith("Texts in")]
    assert welsh_themes and result["other_language"] == sum(t["size"] for t in welsh_themes)
    said = _describe(result)
    assert f"{result['other_language']} cards are in themes of texts in other languages" in said
    assert "A multilingual model folder, chosen in Analysis → Candidate themes settings…" in said
