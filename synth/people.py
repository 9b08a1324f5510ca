"""Who a project says are people: the names in its transcripts' speaker labels and its
participants' name columns (``known_names``), and what in a label is a name at all
(``person_name``: not a role, an id or a code). Shared by the exports, which mask these names
wherever they appear (``coding.redaction``), and theme discovery, which keeps them out of
theme names and keywords (``synth.themes.labels.People``)."""
from __future__ import annotations

import re
from typing import Any

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
_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord",
           "Lady", "PC", "DC", "PCSO", "Sgt", "Sergeant", "Cllr", "Councillor", "Insp",
           "Inspector"}
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*")
NAME_COLUMNS = ("name", "full name", "first name", "forename", "given name", "surname",
                "last name", "family name", "participant name", "speaker")


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
    while words and words[0] in _TITLES:
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
