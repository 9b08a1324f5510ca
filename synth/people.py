"""Who a project says are people, and how texts show a word is a person's name: one place for
both readers of names, which had two title lists. The names in a project's transcripts' speaker
labels and participants' name columns (``known_names``), and what in a label is a name at all
(``person_name``: not a role, an id or a code); the names a quote shows by its cues
(``name_spans``: a title, a common first name, "my name is"), which the exports mask
(``coding.redaction``); and the cues that a capitalised word is used as a name in a study's
texts (``used_as_name``: "Thanks Priya.", "Kwame said", "– Sam"), which theme discovery keeps out
of theme names and keywords (``synth.themes.labels.People``). Both read the same ``TITLES`` and
``SPEECH_VERBS``."""
from __future__ import annotations

import re
from typing import Any, Iterable

# First names that are also ordinary English words: need evidence before they count.
AMBIGUOUS = {"Bill", "Bob", "Dawn", "Grace", "Hope", "Jack", "Jade", "Jay", "Joy", "Mark",
             "May", "Robin", "Rose", "Will", "Sue", "Holly", "Lee", "Kim", "Sam", "Rob",
             "Carol", "Frank", "Amber", "Summer", "Jean", "Nick", "Pat", "Ruth", "Gene"}
# Capitalised words that follow cues but are not people.
NOT_NAMES = set("""
I A An The This That It We They You He She My Our Your Their Not Just So Happy Sorry Sure
Scottish Welsh English Irish British London Glasgow Manchester Cardiff Edinburgh Belfast Leeds
Birmingham Bristol Newcastle Darlington Paisley Stornoway Scotland Wales England Ireland
Teams Zoom Slack Outlook Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April June July August September October November December HR IT HMRC DWP
Grade Civil Service Home Office Cabinet Treasury Universal Credit North South East West
""".split())

# words of speaker labels that say a role, not who: "Young person 2", "Youth Worker", "Q"
ROLE_WORDS = set("""
facilitator co-facilitator interviewer interviewee moderator researcher participant respondent
note-taker notetaker note taker scribe speaker chair host observer audience everyone all group
table unknown inaudible crosstalk young person people youth worker officer police teacher parent
student pupil member councillor staff volunteer male female man woman boy girl resident
community leader panel organiser organizer lead assistant co-ordinator coordinator manager
""".split())
# Titles before a person's name, in a text or a speaker label ("Dr Okafor", "Cllr Tom Baker")
TITLES = frozenset("Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Lord Lady Cllr Councillor"
                   .split())
# and police ranks, in a speaker label only ("PC Jones"): in a text "PC" is mostly a computer
_LABEL_TITLES = TITLES | {"PC", "DC", "PCSO", "Sgt", "Sergeant", "Insp", "Inspector"}
# Verbs of speech after a name ("Kwame said", "Will told me")
SPEECH_VERBS = ("said", "says", "told", "asked", "thinks", "reckons", "mentioned",
                "suggested", "explained", "pointed out", "was told")
# A word of a speaker label: letters of any script, in parts joined by a hyphen or an apostrophe
# ("Zoë", "Mary-Jane", "O'Brien"); whether it is capitalised is asked apart (``person_name``).
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Capitalised words ("Priya", "Mary-Jane", "O'Brien"): one shape,
# ``capitalised_word``, in the letters each reader takes. The letters differ by where the
# pattern was first written, and are kept so: theme labels' cues (``used_as_name``) take
# accented Latin letters and a straight apostrophe only; quotes' cues (``name_spans``, the
# exports' masking) and titles before a name in any language (``coding.redaction``) take
# accented Latin letters too, and both apostrophes.
# ``synth.themes.caution`` builds its names' words from the ASCII letters too.
ASCII_UPPER, ASCII_LOWER = "A-Z", "a-z"
# Accented Latin: Latin-1's and Latin Extended-A's ("Łukasz", "Dvořák", "Şahin"), each case
# apart: Extended-A alternates capital and small letter, so a range "Ā-Ž" holds both
_EXTENDED_A = [chr(c) for c in range(0x100, 0x180)]
LATIN_UPPER = "A-ZÀ-ÖØ-Þ" + "".join(c for c in _EXTENDED_A if c.isupper())
LATIN_LOWER = "a-zß-öø-ÿ" + "".join(c for c in _EXTENDED_A if c.islower())


def capitalised_word(upper: str = ASCII_UPPER, lower: str = ASCII_LOWER,
                     joins: str = "-'’") -> str:
    """The pattern of a capitalised word: a capital of ``upper``, letters of ``lower``, and
    parts after one of ``joins``, each with or without a capital."""
    return rf"[{upper}][{lower}]+(?:[{joins}][{upper}]?[{lower}]+)*"

_SPOKEN = "|".join(v.replace(" ", r"\s+") for v in SPEECH_VERBS)

NAME_COLUMNS = ("name", "full name", "first name", "forename", "given name", "surname",
                "last name", "family name", "participant name", "speaker")


# ------------------------------------------------------------- names a quote shows by its cues
# accented Latin letters: an ASCII word stopped inside "Zoë", so "Ask Zoë Okafor" went unmasked
# and "Dr Zoë Okafor" was masked as far as "Dr Zo"
_QUOTE_WORD = re.compile(capitalised_word(LATIN_UPPER, LATIN_LOWER))
_TITLE = re.compile(r"\b(?:" + "|".join(sorted(TITLES, key=lambda t: (-len(t), t)))
                    + rf")\.?\s+(?P<n>{_QUOTE_WORD.pattern}"
                    + rf"(?:\s+[{LATIN_UPPER}][{LATIN_LOWER}]+)?)")
_STRONG_CUE = re.compile(r"(?:\bmy name is|\bI'm|\bI am|\bcalled|\bnamed|\bthis is)\s+$", re.I)
_WEAK_CUE = re.compile(r"(?:\bask for|\bask|\bmanager|\bcolleague|\bdirector|\bleader|\btold|"
                       r"\bwith|\bsaid to|\bfrom|\band|\bring|\bcall|\bemail|\be-mail)\s*,?\s+$",
                       re.I)
# a label naming who typed or took the notes: the word after it is a person ("Note-taker: Sam.")
_ROLE_CUE = re.compile(r"(?:\bnote[- ]?taker|\bscribe|\b(?:typed(?: up)?|written|recorded|"
                       r"transcribed|taken) by)\s*[:\-–]?\s*$", re.I)
_SPEECH_AFTER = re.compile(
    rf"^(?:'s\b|’s\b)?\s*(?:{_SPOKEN}|and I\b|,\s+(?:our|my|the|a|who)\b)")

FIRST_NAMES = set("""
Aaron Abdul Abigail Adam Adrian Ahmed Aidan Aisha Alan Alex Alexander Alexandra Alice Alison Amanda
Amelia Amir Amy Andrew Angela Anita Ann Anna Anne Anthony Anwar Arjun Asha Ashley Ayesha Barbara
Ben Benjamin Beth Bethany Bilal Bill Bob Brian Bridget Callum Cameron Carl Carol Caroline
Catherine Charlie Charlotte Chloe Chris Christine Christopher Ciara Claire Colin Craig Daniel
Danny Darren Dave David Dawn Deborah Declan Deepa Denise Derek Diane Dominic Donna Dylan Eilidh
Eleanor Elizabeth Ella Ellie Emily Emma Eoin Eric Fatima Fiona Francesca Gareth Gary Gavin
Gemma George Georgia Graham Grace Hannah Harry Harvey Hassan Heather Helen Holly Hope Ian Imran
Isabel Isla Jack Jackie Jacob Jade James Jamie Jane Janet Jason Javed Jay Jean Jennifer Jenny
Jessica Jill Joanne Joe John Jonathan Joseph Josh Joshua Joy Julia Julie Justin Karen Kate
Katherine Kathryn Katie Keith Kelly Kerry Kevin Kieran Kim Kirsty Laura Lauren Leah Lee Leon
Lewis Liam Linda Lisa Liz Louise Lucy Luke Lynn Mandy Marcus Margaret Maria Mark Martin Mary
Matthew Megan Michael Michelle Mike Mohammed Muhammad Nadia Naomi Natalie Neil Niamh Nicola
Nicholas Nick Nigel Nikhil Nina Oliver Olivia Omar Owen Patrick Paul Paula Peter Philip Pooja
Priya Rachel Rahul Raj Rebecca Rhys Richard Rob Robert Robin Rose Ross Ruth Ryan Sadia Sally
Sam Samantha Samuel Sandra Sarah Scott Sean Shaun Sharon Shona Simon Siobhan Sophie Stephen
Steve Stuart Sue Sunita Susan Tariq Thomas Tim Tom Tony Tracy Vicky Victoria Wayne Will William
Yasmin Zainab Zara Zoe
""".split())


def _sentence_start(text: str, i: int) -> bool:
    before = text[max(0, i - 200):i].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:"


def _extend_surname(text: str, end: int) -> int:
    m = re.match(r"\s+([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)\b", text[end:])
    if m and m.group(1) not in NOT_NAMES and m.group(1) not in FIRST_NAMES - AMBIGUOUS:
        return end + m.end(1)
    return end


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` (a quote) names a person by its own cues, as (start, end), not
    overlapping: a title and the capitalised word after it ("Dr Okafor"); a common first name
    (``FIRST_NAMES``) and a capitalised surname after it, one that is also an ordinary word
    (``AMBIGUOUS``: "Will", "May") only with evidence (a surname, a cue before it: "ask for",
    "manager", "Note-taker:"; "Bill, our director"; a verb of speech after it); a capitalised
    word after "my name is", "I'm", "called" that is none of ``NOT_NAMES``. The exports mask
    these (``coding.redaction``)."""
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int) -> None:
        if any(s < b and e > a for a, b in taken):
            return
        taken.append((s, e))
    for m in _TITLE.finditer(text):
        add(m.start(), m.end())
    for m in _QUOTE_WORD.finditer(text):
        word, s, e = m.group(), m.start(), m.end()
        # the cues are read in the words just before and after: the whole text before each
        # word made a transcript of 110,000 characters take 13 s
        before, after = text[max(0, s - 200):s], text[e:e + 200]
        if word in FIRST_NAMES:
            end = _extend_surname(text, e)
            has_surname = end > e
            if word in AMBIGUOUS:
                role = bool(_ROLE_CUE.search(before))
                cued = role or bool(_WEAK_CUE.search(before) or _STRONG_CUE.search(before))
                apposition = bool(_SPEECH_AFTER.match(after))
                if not (has_surname or cued or apposition):
                    continue
                if _sentence_start(text, s) and not (has_surname or apposition or role):
                    continue
            add(s, end)
        elif word not in NOT_NAMES and _STRONG_CUE.search(before) and not \
                _sentence_start(text, s):
            add(s, _extend_surname(text, e))
    return taken


def person_name(label: str) -> str:
    """The person's name in a speaker label ("Priya Patel (Facilitator)" -> "Priya Patel",
    "Dr Okafor" -> "Okafor"), or "" when the label says a role or an id ("Facilitator", "P5",
    "Young person 2", "Q")."""
    label = re.sub(r"[(\[][^)\]]*[)\]]", " ", label)       # (P5), (Facilitator), [00:01]
    label = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?", " ", label)
    words = label.replace(".", " ").split()
    # a transcript typed with its speakers in capitals ("KWAME", "ADAOBI"): read as names,
    # words of three letters or more; shorter ones are codes ("P5", "Q", "HR")
    if words and all(w.isupper() for w in words):
        words = [w.title() if len(w) >= 3 and w.isalpha() else w for w in words]
    while words and words[0] in _LABEL_TITLES:
        words = words[1:]
    if not 1 <= len(words) <= 4:
        return ""
    for w in words:
        if not _NAME_WORD.fullmatch(w) or not w[0].isupper() or len(w) < 2 or \
                w.lower() in ROLE_WORDS or w in NOT_NAMES or w.isupper():
            return ""
    return " ".join(words)


def known_names(project: Any) -> list[str]:
    """Names of people the project itself holds, to find wherever they appear: the speakers
    the transcript importers found (a label that is a role or an id is none) and the values
    of participants' name columns; each whole, and each part of a longer name ("Kwame
    Mensah", "Kwame", "Mensah") but parts that are ordinary words ("Will", "May")."""
    labels = [r[0] for r in project.query(
        "SELECT DISTINCT speaker FROM passages WHERE speaker != ''")]
    marks = ",".join("?" for _ in NAME_COLUMNS)
    labels += [r[0] for r in project.query(
        f"SELECT DISTINCT value FROM participant_attributes WHERE lower(trim(name)) IN ({marks})",
        NAME_COLUMNS)]
    out: set[str] = set()
    for label in labels:
        name = person_name(str(label or ""))
        if not name:
            continue
        out.add(name)
        parts = name.split()
        if len(parts) > 1:
            out.update(w for w in parts if len(w) >= 3 and w not in AMBIGUOUS)
    return sorted(out)


# ------------------------------------------------------------- names as the texts use them
_UP, _LOW = LATIN_UPPER, LATIN_LOWER
_CAPITALISED = re.compile(capitalised_word(_UP, _LOW, "-'"))
_SP = r"[^\S\n]"                                    # a space inside a line
# a second word of a name in a cue ("Kwame Mensah says", "– Sam Jones"): after an apostrophe
# only a capital ("O'Brien"), so "'s" stays the possessive that the cue "Aisha's point" reads
_CAPITAL = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+|'[{_UP}][{_LOW}]+)*"
# How texts use a name, read around each place a word is written with a capital (the words
# before it and a pattern matching the text after it), with a weight: spoken to ("Thanks
# Priya.", "I agree with Kwame.", "No, Sam."; "Jordan, do you want to start?"; "What do you
# think, Sam?"), with a title or a relation ("Dr Okafor", "my friend Sam", "Cllr Tom Baker"),
# speaking ("Kwame said", "Kwame Mensah says"), with "and I" ("Jordan and I", not "Entity
# Framework and I'm": 2) or a point of theirs ("Aisha's point"), signing a note ("Quiet rooms
# please – Sam"). A word of weight 2 is a name (``used_as_name``): one cue is no evidence
# ("Thanks Bowling Green!", "Beginner's question"), two are. A title's topic is written as a
# signature too ("Moving advanced search - Magento"), but a topic is also said inside sentences,
# where a signature's name mostly is not: signatures count for a word signed more often than it
# is written inside a sentence. ("@Sam" is no cue: "@Secured", "@Override" are code.)
_AFTER = re.compile(       # the first that matches: " and I" is no "and" of "Thanks Sam and"
    rf"(?P<and_i>{_SP}+and{_SP}+I\b(?!'))"
    rf"|(?P<says>(?:{_SP}+{_CAPITAL})?{_SP}+(?:{_SPOKEN})\b)"
    rf"|(?P<point>'s{_SP}+(?:point|idea|suggestion|comment|question|view|story)\b)"
    rf"|(?P<first>,{_SP}+(?i:you|your|what|how|why|do|did|can|could|would|will|have|tell|"
    r"please|go|any)\b)"
    rf"|(?P<asked>{_SP}*\?)"
    rf"|(?P<spoken_to>{_SP}*(?:[,.!?;:)]|$)|{_SP}+(?:and|too|here)\b)", re.M)
_SIGNED_AFTER = re.compile(rf"(?:{_SP}+{_CAPITAL})?{_SP}*\.?{_SP}*$", re.M)
_GREETINGS = frozenset("thanks cheers sorry hi hello hey bye yes yeah no true right okay ok sure "
                       "exactly".split())
_GREETING_PAIRS = frozenset(("thank you", "good point", "fair point", "to you"))
_AGREE = frozenset("agree agrees agreed agreeing disagree disagrees disagreed".split())
_RELATIONS = frozenset("friend mate colleague manager boss son daughter brother sister mum mom "
                       "dad wife husband partner cousin neighbour neighbor nan gran uncle aunt "
                       "auntie".split())
_DASHES = "-–—~"
# "The Bill says", "the Council said": a word after these is no person
_DETERMINERS = frozenset("the a an this that these those its their our".split())


def used_as_name(forms: Iterable[str], text: str, inside: int = 0) -> bool:
    """``text`` (a study's different texts, one a line) uses a word written as one of ``forms``
    ("Kwame") as people use a name: cues of weight 2 or more (``_cue_weight``: "Thanks Kwame.",
    "Kwame said", "Dr Okafor"), signatures ("… – Sam": ``_signed``) counting when the word is
    signed more often than it is written with a capital inside a sentence (``inside`` times):
    "Moving advanced search - Magento" is a topic said inside titles far more."""
    weight = signed = 0
    for form in forms:
        for m in re.finditer(re.escape(form), text):
            at, end = m.start(), m.end()
            if (at and (text[at - 1].isalnum() or text[at - 1] in "'-_")) or (
                    end < len(text) and (text[end].isalnum() or text[end] in "-_")):
                continue
            before, after = text[max(0, at - 40):at], text[end:end + 40]
            weight += _cue_weight(before, after)
            signed += _signed(before, after)
            if weight >= 2:
                return True
    if signed > inside:
        weight += signed
    return weight >= 2


def _cue_weight(before: str, after: str) -> int:
    """How much the text ``before`` and ``after`` a capitalised word says it is a name
    (``_AFTER``)."""
    m = _AFTER.match(after)
    cue = m.lastgroup if m else None
    if cue is None and not before[-1:].isspace():       # most places: no cue at all
        return 0
    words = before.rsplit(None, 3)[-3:]
    low = [w.lower().rstrip(",.") for w in words]
    if any(w in _DETERMINERS for w in low[-2:]):       # "the Bill says", "the Home Office said"
        return 0
    if cue in ("says", "point"):
        return 1
    if cue == "and_i":
        return 2
    last = before.rstrip(" \t")
    if cue == "first" and (not last or last[-1] in ".!?\n"):
        return 1
    if cue == "asked" and last.endswith(","):
        return 1
    if cue in ("first", "asked", "spoken_to") and low and (
            low[-1] in _GREETINGS or " ".join(low[-2:]) in _GREETING_PAIRS
            or (len(low) > 1 and low[-1] == "with" and low[-2] in _AGREE)):
        return 1
    if not low or before.endswith("\n"):
        return 0
    cased = [w.rstrip(".") for w in words]
    titled = cased[-1] in TITLES or (len(low) > 1 and low[-2] == "my" and low[-1] in _RELATIONS)
    surnamed = len(cased) > 1 and cased[-2] in TITLES and _CAPITALISED.fullmatch(cased[-1])
    return 1 if titled or surnamed else 0


def _signed(before: str, after: str) -> bool:
    """A capitalised word between ``before`` and ``after`` signs a note ("... – Sam", "...
    - Sam Jones."): a dash after a space or a line's start, then the name and the line's end."""
    if _SIGNED_AFTER.match(after) is None:
        return False
    last = before.rstrip(" \t")
    words = last.rsplit(None, 2)
    if len(words) > 1 and _CAPITALISED.fullmatch(words[-1]):          # "- Sam Jones"
        last = last[:-len(words[-1])].rstrip(" \t")
    dash = last.rstrip(_DASHES)
    return len(dash) < len(last) and (not dash or dash[-1].isspace())
