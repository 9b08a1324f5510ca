"""Keywords and suggested names keep the texts' own spelling of words not written in lower case."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import ThemeLabel, as_written, label_themes, written_forms


def label_halves(texts: list[str]) -> list[ThemeLabel]:
    """Labels of an even number of texts as two themes, the first half and the second, each
    text its own direction."""
    half = len(texts) // 2
    vectors = np.eye(2 * half, dtype=np.float32)
    centroids = np.stack([vectors[:half].mean(0), vectors[half:].mean(0)])
    return label_themes(texts, vectors, np.array([0] * half + [1] * half), centroids)


def test_written_forms_count_only_words_inside_a_sentence():
    texts = ["Working from home needs a decent VPN and a chair",
             "The VPN drops every morning at home",
             "Home is quiet. Home is where I focus",       # capitals that open a sentence
             "our vpn is slow",                            # one lower-case vpn against two
             "Most of London's jobs stay in London",
             "Teams calls all day, then more Teams calls",
             "our teams need to meet, and teams that never meet drift"]
    forms = written_forms(texts)
    assert forms["vpn"] == "VPN" and forms["london"] == "London"
    assert "teams" not in forms     # 2 each way inside sentences: a tie stays lower case
    assert "home" not in forms      # every capital "Home" opens a sentence
    assert as_written("Home & vpn", forms) == "Home & VPN"
    assert as_written("Vpn & london", forms) == "VPN & London"
    assert as_written("london jobs", forms) == "London jobs"
    # a line's first word is capitalised whatever it is, as a sentence's is
    assert written_forms(["Pay is low\nHome working is good", "Home is quiet\nHome again",
                          "home is nice"]) == {}


def test_label_themes_gives_keywords_and_names_as_written():
    texts = ["a decent VPN at home", "the VPN at home drops", "my VPN token at home",
             "home laptop needs the VPN",
             "pay rise for the grade", "a pay grade that is fair", "the pay grade review",
             "fair pay for every grade"]
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(8, 4)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    centroids = np.stack([vectors[:4].mean(0), vectors[4:].mean(0)])
    got = label_themes(texts, vectors, labels, centroids)
    assert "VPN" in got[0].keywords and "vpn" not in got[0].keywords
    assert set(got[0].name.split(" & ")) == {"VPN", "Home"}
    assert got[1].name in ("Pay & grade", "Grade & pay")
    assert all(w == w.lower() for w in got[1].keywords)


def test_each_theme_keeps_its_own_spelling():
    """"Bill" the colleague in one theme does not rename another theme's energy bills."""
    texts = ["ask Bill about the rota, Bill knows", "only Bill knows the rota",
             "the rota is Bill's job", "our energy bill doubled", "the heating bill is high",
             "a bill I cannot pay"]
    got = label_halves(texts)
    assert "Bill" in got[0].keywords
    assert "bill" in got[1].keywords and "Bill" not in got[1].keywords
    assert written_forms(texts)["bill"] == "Bill"     # one table for all would rename it


def test_transcribers_annotations_make_no_keywords_or_names():
    """"[laughter]", "[inaudible 00:12:03]", "[crosstalk]" and "(laughs)" are not what anyone
    said: no keyword or name is made of them, and the texts given are not changed; words in
    round brackets that are the speaker's ("(PCS)") still count."""
    from synth.themes.labels import ctfidf_keywords, tokens, without_annotations
    texts = ["Shift patterns change every week [laughter] and nobody tells us",
             "[Laughter] The rota shifts without notice [crosstalk]",
             "Night shifts are hard (laughs) on the family [inaudible 00:12:03]",
             "Shift swaps need a manager [laughter] which takes days",
             "pay rise for the grade [laughter]", "a pay grade that is fair (laughs)",
             "the union (PCS) wants a pay grade review [crosstalk]",
             "fair pay for every grade [laughter] [inaudible]"]
    kept = list(texts)
    assert tokens(texts[2]) == ["night", "shifts", "hard", "family"]
    assert tokens("the union (PCS) said") == ["union", "pcs", "said"]
    assert without_annotations("a [laughter] b") == "a " + " " * 10 + " b"    # places kept
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    words = {w for ws in ctfidf_keywords(texts, labels, 2) for p in ws for w in p.split()}
    assert not words & {"laughter", "laughs", "crosstalk", "inaudible"}
    got = label_halves(texts)
    for lab in got:
        assert not {w.lower() for k in lab.keywords for w in k.split()} & {
            "laughter", "laughs", "crosstalk", "inaudible"}
        assert "aughter" not in lab.name.lower()
    assert got[1].name in ("Pay & grade", "Grade & pay")
    assert "laughter" not in written_forms(texts)    # "[Laughter]" names no written form
    assert texts == kept


def test_chinese_and_japanese_give_bigram_keywords_and_short_names():
    """Written without spaces, a Chinese or Japanese clause is not one "word": its runs give
    character bigrams (katakana loanwords whole, hiragana and Chinese function characters only
    separate), so keywords and names are words of the theme, not whole sentences."""
    from synth.themes.labels import tokens
    assert tokens("远程办公让我更专注，但是和同事的沟通变少了。") == [
        "远程", "程办", "办公", "公让", "更专", "专注", "同事", "沟通", "通变", "变少"]
    assert tokens("在宅勤務では通勤時間がなくなり、テレワークの方が集中できます。") == [
        "在宅", "宅勤", "勤務", "通勤", "勤時", "時間", "テレワーク", "集中"]
    assert tokens("我们的VPN连接经常断开") == ["vpn", "连接", "接经", "经常", "常断", "断开"]
    assert written_forms(["我们的VPN连接经常断开，VPN很慢"]) == {"vpn": "VPN"}
    zh = ["远程办公让我更专注，节省了通勤时间", "远程办公可以节省通勤时间和交通费用",
          "在家远程办公，通勤时间变成了休息时间", "远程办公以后通勤时间少了很多",
          "工资太低，房租都付不起", "希望工资能跟上房租和物价", "物价上涨，工资却没有涨",
          "工资和物价的差距越来越大"]
    ja = ["在宅勤務で通勤時間がなくなりました", "在宅勤務のおかげで通勤時間を家族と過ごせます",
          "テレワークと在宅勤務で通勤時間が減った", "通勤時間が長いので在宅勤務を希望します",
          "給料が低くて家賃が払えません", "給料は物価に追いついていない",
          "物価が上がっても給料は同じです", "家賃と物価が高く給料が足りない"]
    got = [lab for texts in (zh, ja) for lab in label_halves(texts)]
    assert [lab.name for lab in got] == ["时间 & 办公", "工资 & 房租", "勤務 & 在宅", "給料 & 家賃"]
    assert got[0].keywords[:2] == ["时间", "办公"] and "通勤" in got[0].keywords
    assert got[1].keywords == ["工资", "物价", "房租"]
    assert "テレワーク" in got[2].keywords and got[3].keywords == ["給料", "物価", "家賃"]
    # bigrams of one run ("在宅", "宅勤") never make one name, and no phrase joins them
    assert all(" " not in k and len(k) <= 5 for lab in got for k in lab.keywords)


def test_acronyms_and_grade_codes_make_keywords_and_names_in_capitals():
    """A word of one or two letters says nothing ("of", "an", "hr" typed in passing) unless it
    is written in capitals ("AI", "IT", "HR") or is a code of letters and digits ("G6"): the
    sample study's AI theme (38 of 47 cards say "AI") was named "Systems & admin"."""
    from synth.themes.labels import tokens
    assert tokens("Slow IT and AI tools in HR; G6 roles") == [
        "slow", "IT", "AI", "tools", "HR", "G6", "roles"]
    assert tokens("it is in hr and ai, as Ai said, IT's down") == ["said", "IT"]
    assert tokens("our g7 band") == ["G7", "band"]
    # a text all in capitals: "IT" may be the pronoun, but "AI" is no English word
    assert tokens("THE IT IS DOWN AND AI TOO") == ["AI"]
    texts = ["AI drafts the letters", "Let AI take the meeting notes",
             "AI summaries of long guidance", "Clear rules on what AI decides",
             "AI monitoring our keystrokes",
             "G6 posts only in London", "G6 and G7 roles moved to London",
             "More G6 roles outside London", "G7 posts advertised in London", "the G6 pay band"]
    got = label_halves(texts)
    assert got[0].keywords[0] == "AI" and got[0].name == "AI & drafts"
    assert got[1].keywords[:3] == ["G6", "London", "G7"] and got[1].name == "G6 & London"
    assert as_written("IT & pay", {"it": "It"}) == "IT & pay"    # capitals stay capitals


def test_a_phrase_is_two_words_side_by_side_in_one_line():
    """"Somewhere to eat" made the phrase "somewhere eat" once "to" was dropped, and "Monitoring
    software to check we're working" made "software check" and "check working": phrases
    nobody wrote. A phrase is two content words with only spaces between them."""
    from synth.themes.labels import ctfidf_keywords, token_runs
    assert token_runs("Decent kitchen and somewhere to eat that isn't your desk") == [
        ["decent", "kitchen"], ["somewhere"], ["eat"], ["desk"]]
    assert token_runs("Monitoring software to check we're working") == [
        ["monitoring", "software"], ["check"], ["working"]]
    assert token_runs("Tracking software. Check\nworking hours, pay - job cuts") == [
        ["tracking", "software"], ["check"], ["working", "hours"], ["pay"], ["job", "cuts"]]
    texts = ["Somewhere to eat lunch", "Somewhere to eat away from my desk",
             "A kitchen and somewhere to eat", "Monitoring software to check we're working",
             "Tracking software to check we are working",
             "Somewhere quiet to work", "somewhere to park", "Somewhere to think",
             "not somewhere loud", "software that works", "check the software",
             "working from home"]
    food, other = ctfidf_keywords(texts, np.array([0] * 5 + [1] * 7), 2)
    # before: eat, somewhere eat, check working, software check, away, desk, kitchen, lunch
    # ("working" is below "somewhere" since it counts with the other theme's "work", "works")
    assert food == ["eat", "check", "somewhere", "software", "working", "away", "desk",
                    "kitchen"]
    assert not [k for k in food + other if " " in k]


def test_a_plural_counts_with_its_singular_shown_as_written_most():
    """9 of the sample study's 25 themes had a word and its plural among their top keywords
    (manager/managers, hub/hubs, grade/grades, cut/cuts): one keyword now, in the form the
    theme writes most; "Teams" (the software) is not more than one team, nor "news" news."""
    from synth.themes.labels import ctfidf_keywords, plural_folds
    assert plural_folds({"managers", "manager", "hubs", "hub", "lunches", "lunch", "policies",
                         "policy", "news", "new", "class", "less", "cuts"}) == {
        "managers": "manager", "hubs": "hub", "lunches": "lunch", "policies": "policy"}
    texts = ["my line manager", "managers need training", "managers never listen",
             "our managers are stretched", "a good manager listens",
             "Teams calls all day", "more Teams calls", "the team meets on Teams",
             "two team days", "the hub", "hubs near home", "local hubs"]
    labels = np.array([0] * 5 + [1] * 7)
    manage, meet = ctfidf_keywords(texts, labels, 2, top=20)
    assert "managers" in manage and "manager" not in manage
    assert manage.index("managers") == 0           # 5 mentions now, 3 and 2 before
    # the software and the team stay apart ("Teams" is said in "Teams calls", one phrase)
    assert "teams calls" in meet and "team" in meet
    assert "hubs" in meet and "hub" not in meet     # two "hubs" against one "hub"


def test_a_name_leaves_a_bigger_themes_name_words_when_it_has_others():
    """"Hub & departments" and "Email & departments": the smaller theme's second word is one
    not already in a bigger theme's name, if any of its candidates is."""
    from synth.themes.labels import name_by_meaning, suggest_name
    centre = np.array([1.0, 0.0, 0.0], np.float32)
    cands = ["document", "departments", "email"]
    vectors = np.array([[1, 0, 0], [0.6, 0.8, 0], [0.5, 0, 0.866]], np.float32)
    assert name_by_meaning(cands, vectors, centre) == "Document & departments"
    assert name_by_meaning(cands, vectors, centre, ["hub", "department"]) == "Document & email"
    assert name_by_meaning(cands[:2], vectors[:2], centre, ["departments"]) == \
        "Document & departments"                   # nothing else to take
    assert suggest_name(cands, "a document for other departments by email",
                        ["hub", "departments"]) == "Document & email"
    texts = ["hub for departments", "departments share the hub", "a hub near home",
             "departments in the hub", "departments share a document",
             "a document by email", "email the document to departments"]
    labels = np.array([0, 0, 0, 0, 1, 1, 1])
    vectors = np.eye(7, dtype=np.float32)
    centroids = np.stack([vectors[:4].mean(0), vectors[4:].mean(0)])
    hub, doc = label_themes(texts, vectors, labels, centroids)
    assert set(hub.name.split(" & ")) == {"Hub", "departments"} or \
        set(hub.name.split(" & ")) == {"Departments", "hub"}
    assert "departments" not in doc.name.lower()


def test_an_acronym_in_a_bigger_themes_name_is_taken_whatever_its_case():
    """A bigger theme's name words are kept lower-cased ("ai") and keywords keep an acronym's
    capitals ("AI"): "Jobs & AI" takes "AI", so the next theme is "Training & courses", not
    "Training & AI"."""
    from synth.themes.labels import name_by_meaning, suggest_name
    assert suggest_name(["training", "AI", "courses"], "AI training",
                        taken=["ai", "tools"]) == "Training & courses"
    assert suggest_name(["training", "AI", "courses"], "AI training") == "Training & AI"
    vectors = np.array([[1, 0, 0], [0.8, 0.6, 0], [0.5, 0, 0.866]], np.float32)
    centre = np.array([1.0, 0.0, 0.0], np.float32)
    assert name_by_meaning(["training", "AI", "courses"], vectors, centre) == "Training & AI"
    assert name_by_meaning(["training", "AI", "courses"], vectors, centre,
                           ["ai", "tools"]) == "Training & courses"
    texts = ["AI jobs will go", "AI takes jobs", "jobs lost to AI", "AI and jobs", "AI jobs cut",
             "training for AI", "AI needs training", "training in AI and courses",
             "courses for training",
             "pay is low", "pay rise now", "pay freeze again", "low pay"]
    labels = np.array([0] * 5 + [1] * 4 + [2] * 4)
    vectors = np.eye(len(texts), dtype=np.float32)
    centroids = np.stack([vectors[labels == t].mean(0) for t in range(3)])
    jobs, training, pay = label_themes(texts, vectors, labels, centroids)
    assert jobs.name == "Jobs & AI" and pay.name == "Pay & low"
    assert training.keywords == ["training", "courses", "AI"]
    assert training.name == "Training & courses"


def test_taken_words_answer_as_comparing_with_each_would():
    """Naming compares each candidate with the taken words through an index (``TakenWords``),
    not with each in turn: the same answers as ``_overlaps`` over every pair, lower-cased."""
    import random
    from synth.themes.labels import TakenWords, _overlaps, name_by_meaning
    taken = TakenWords(["Hub", "departments", "note taking", "AI", "在宅", "テレワーク"])
    assert taken.overlap("hub") and taken.overlap("HUB")
    assert taken.overlap("department") and taken.overlap("departmental")      # a stem
    assert taken.overlap("taking notes") and taken.overlap("ai")
    assert taken.overlap("宅勤") and taken.overlap("テレ")                       # a character
    assert not taken.overlap("dept") and not taken.overlap("hubs")             # 3 letters
    assert not taken.overlap("email") and not TakenWords().overlap("hub")
    rng = random.Random(0)
    words = ["".join(rng.choice("aeiostrnl") for _ in range(rng.randint(2, 7)))
             for _ in range(300)] + ["在宅", "宅勤", "勤務", "AI", "ai", "Teams", "team",
                                     "four-day", "day", "e-learning", "learning", "e-mail"]
    words += ["-".join(rng.sample(words[:300], 2)) for _ in range(40)]     # hyphenated
    phrases = [" ".join(rng.sample(words, rng.randint(1, 2))) for _ in range(300)]
    index = TakenWords(phrases[:150])
    for p in phrases[150:] + words:
        assert index.overlap(p) == any(_overlaps(p.lower(), t.lower()) for t in phrases[:150]), p
    centre = np.array([1.0, 0.0, 0.0], np.float32)
    vectors = np.array([[1, 0, 0], [0.6, 0.8, 0], [0.5, 0, 0.866]], np.float32)
    assert name_by_meaning(["document", "departments", "email"], vectors, centre,
                           TakenWords(["Hub", "Department"])) == "Document & email"
