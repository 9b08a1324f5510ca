"""Labels for candidate themes: keywords, representative texts and a short suggested name.

- Keywords: class-based TF-IDF (BERTopic's c-TF-IDF): the texts of a theme are one document;
  a word scores tf(word, theme) · log(1 + mean words per theme / frequency of the word overall),
  so words common to every theme ("civil", "service") sink and distinctive ones rise. A phrase
  is two words side by side in a text ("job cuts"); a plural counts with its singular, and the
  inflections of one word as one ("promotion", "promoted"). Two words said together more than
  apart are one keyword, their phrase ("Bowling Green"). Words of talk, not of topics
  ("actually", "thing": ``GENERIC_WORDS``) are none. Chinese and Japanese, written without
  spaces, count character bigrams ("远程办公" → "远程", "程办", "办公") as words. A text that
  repeats itself (a paragraph pasted forty times) counts its words as if said once: one card,
  one voice.
- Representative texts: three, central and diverse: the text closest to the theme's centre,
  then each next one maximising closeness to the centre minus similarity to those already chosen
  (maximal marginal relevance), so the three do not say the same thing, among the more central
  half of the theme only (over all of it the diversity term chose outliers), and never a text
  with no content word, an e-mail address or a link.
- Name: "Keyword & keyword" from the theme's six best keywords. With the embedding model at
  hand (``embed``), the keywords are embedded too and the name takes the one closest in meaning
  to the theme's centre (a small bonus for a higher c-TF-IDF rank), then the one that adds most
  (closeness to the centre minus closeness to the first): c-TF-IDF finds words a theme uses
  more than others ("day", "see"), the embedding tells which of them say what it is about
  (measured: the name lands nearest its theme's true class name for 56 of 78 themes over the
  three benchmark sets, 51 of 78 before; bench/bench_themes.py). Without it, the two best
  keywords that occur in the most central text. Bigger themes are named first, and a name's
  second word is one not in a bigger theme's name when it can be ("Hub & departments", then
  "Document & email" rather than "Document & departments"). Only a suggestion, and a
  researcher's edit is never overwritten. Keywords and names keep the texts' own spelling of a
  word that is not written in lower case ("VPN", "London", "Teams"). Two name words the texts
  say as one phrase lead as that phrase ("Mac OS & terminal", not "Mac & OS"); a theme mostly
  in a language other than the study's is named after it ("Texts in Welsh"). A name reads as a
  topic: a past participle standing alone counts less ("Manager & skills", not "Manager &
  assessed"), and the study's own subject, said in nearly every text of most themes, names
  none. A word the theme says as a modifier is completed by the word it qualifies ("Indoor
  pools & …", not "Pools & indoor"). A theme whose texts share no word is named by its
  central text ("“hybrid works for me” and 7 more", ", in 4 languages"), not after two
  words of two of its texts; by a text close to its centre and to most of its texts, not one
  unlike the rest ("“Employee assistance line” and 3 more", not "“The old HR system” …"). No
  keyword shown and no name holds a person's name (``People``: the names the project holds,
  and words the texts use as names: "Thanks Priya", "Kwame said", "– Sam"), so "Bus fares &
  Aisha" is "Bus fares & pass".
- One light stem (``stem``: a plural's own ending, then one inflection) folds a theme's words
  and tells two name words alike.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Collection, Iterable, Iterator, NamedTuple, Sequence

import numpy as np

from .embeddings import normalise
from synth.people import name_spans, used_as_name

from .stopwords import (ADDRESSED_GROUPS, ALSO_ENGLISH, GENERIC_WORDS, OTHER_STOP_WORDS,
                        STOP_WORDS)

_LANGUAGES = {"en": STOP_WORDS, **OTHER_STOP_WORDS}
_STOP_LANGUAGES = {w: frozenset(lang for lang, stops in _LANGUAGES.items() if w in stops)
                   for w in frozenset().union(*_LANGUAGES.values())}
_STOP = frozenset(_STOP_LANGUAGES) - ALSO_ENGLISH       # stop words in every text
_ALSO_ENGLISH_IN = {lang: stops & ALSO_ENGLISH for lang, stops in OTHER_STOP_WORDS.items()}
# "i've", "it's", "couldn't", "mae'n": a stop word with an ending
_CONTRACTED = _STOP | {"i"}
# French and Italian elide a little word into the next: "l'école", "d'accord", "c'est",
# "dell'ufficio", "un'altra" are "école", "accord", "est", "ufficio", "altra"
_ELIDED = frozenset("c d j l m n s t qu jusqu lorsqu puisqu quoiqu all dall dell nell sull coll "
                    "un quest quell dov".split())

# Chinese and Japanese put no spaces between words: a run of their characters is split apart
# from the words around it and read as character bigrams ("远程办公" → "远程", "程办", "办公"),
# the usual tokens for TF-IDF on unsegmented scripts, with no dictionary to ship. Katakana runs
# are loanwords, kept whole ("テレワーク"); hiragana is mostly grammar (particles, endings) and
# only separates; a lone character makes no keyword, as a word of two letters does not. In a
# text with no kana (Chinese), the commonest function characters end a run too, so "的", "了"
# or "我们" do not glue bigrams across words. Korean is written with spaces: a word as above.
_HAN = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HIRAGANA = "\u3040-\u309f"
_UNSPACED = _HAN + _KATAKANA + _HIRAGANA
_LETTER = rf"[^\W\d_{_UNSPACED}]"
# Capitals joined by "&" are one name, "AT&T", "R&D", "M&S", "Q&A", not "AT" and "T": a word of
# its own (``_content_word`` keeps it in capitals); "mom&pop" and "pay & grade" are two words
_AMPERSAND = r"[A-Z]{1,3}(?:&[A-Z]{1,3})+(?![^\W_])"
_WORD_OR_RUN = re.compile(
    rf"(?P<word>{_AMPERSAND}|{_LETTER}(?:[^\W{_UNSPACED}]|['-])*[^\W_{_UNSPACED}]|{_LETTER})"
    rf"|(?P<han>[{_HAN}]+)|(?P<kana>[{_KATAKANA}]+)|[{_HIRAGANA}]+")
_WORD = re.compile(r"(?P<word>[^\W\d_][\w'-]*[^\W_]|[^\W\d_])")  # the same without them
_WORD_AMPERSAND = re.compile(rf"(?P<word>{_AMPERSAND}|[^\W\d_][\w'-]*[^\W_]|[^\W\d_])")
_KANA = re.compile(f"[{_KATAKANA}{_HIRAGANA}]")
_IN_UNSPACED = re.compile(f"[{_UNSPACED}]")


def _words(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` (group ``word``) and its runs of Chinese or Japanese (``han``,
    ``kana``; hiragana: none). A text without them takes the plain pattern (measured: the
    other costs half as much again on the sample study's texts)."""
    if _IN_UNSPACED.search(text):
        return _WORD_OR_RUN.finditer(text)
    return (_WORD_AMPERSAND if "&" in text else _WORD).finditer(text)


_FUNCTION_HAN = re.compile("[的了是在和与及或也都就很我你他她它们这那吗呢吧啊着把被]+")


def _unspaced_tokens(run: str, kind: str, chinese: bool) -> list[str]:
    """The tokens of a run of Chinese or Japanese characters (``_words``' ``han`` or ``kana``)."""
    if kind == "kana":
        return [run] if len(run) > 1 else []
    parts = _FUNCTION_HAN.split(run) if chinese else [run]
    return [p[i:i + 2] for p in parts for i in range(len(p) - 1)]


def _unspaced(word: str) -> bool:
    """A token of Chinese or Japanese (see ``_words``)."""
    return _IN_UNSPACED.match(word) is not None

# Transcribers' annotations are not what anyone said: "[laughter]", "[inaudible 00:12:03]",
# "[crosstalk]" (anything in square brackets), and a stage direction in round brackets
# ("(laughs)", "(long pause)"); round brackets holding other words ("the union (PCS)") are the
# speaker's and stay. Brackets typed in full width (Chinese and Japanese keyboards: "［音声不明瞭］",
# "（笑）") are the same brackets, and so are the Japanese and Chinese stage directions
# (``_UNSPACED_DIRECTION``) in round brackets of either width: Japanese writes "(笑)" too.
_BRACKETED = re.compile(r"[\[［][^\[\]［］\n]*[\]］]|[(（][^()（）\n]{1,40}[)）]")
_STAGE_DIRECTION = re.compile(
    r"\b(?:laugh\w*|inaudibl\w*|cross-?talk\w*|paus(?:e|es|ing)|sigh(?:s|ing)?|cough\w*|"
    r"chuckl\w*|giggl\w*|unclear|indistinct|overlapping|over-?talk\w*|applause|silence|"
    r"interrupt\w*|redacted|smil(?:e|es|ing)|nod(?:s|ding)?|gestur\w*|mumbl\w*)\b", re.I)
# Written without spaces, a word inside another is no evidence ("笑顔" is a smile, "時間" time, not
# "(間)", a pause): the brackets hold the direction alone, perhaps after who made it ("一同笑い",
# the room laughs) or "音声" (audio: "音声不明瞭", inaudible).
_UNSPACED_DIRECTION = re.compile(
    "(?:一同|会場|全員|場内|音声)?(?:笑|笑い|笑声|大笑|苦笑|苦笑い|爆笑|咳|咳払い|咳嗽|拍手|掌声|沈黙|"
    "沉默|間|停顿|ため息|叹气|うなずく|頷く|聞き取れず|聞き取り不能|不明|不明瞭|听不清|同時発話|插话)")


def without_annotations(text: str) -> str:
    """``text`` with transcribers' annotations blanked out (each character a space, so the
    words around keep their places): what keywords and names are made from. The stored text
    is never changed."""
    def blank(m: re.Match[str]) -> str:
        a = m.group(0)
        direction = (a[0] in "[［" or _STAGE_DIRECTION.search(a)
                     or _UNSPACED_DIRECTION.fullmatch(a[1:-1].strip()))
        return " " * len(a) if direction else a
    opened = "[" in text or "(" in text or "［" in text or "（" in text
    return _BRACKETED.sub(blank, text) if opened else text


@dataclass
class ThemeLabel:
    keywords: list[str]
    representatives: list[int]       # indexes into the texts given, best first
    name: str
    in_other_language: bool = False  # most of its texts are not in the study's language


def tokens(text: str) -> list[str]:
    """Content words: lower-cased, possessive 's dropped ("people's" → "people"), stop words
    (English and ``OTHER_STOP_WORDS``) and contractions and elisions of them ("it's",
    "couldn't", "i've"; "l'école" is "école") and transcribers' annotations ("[laughter]",
    "(laughs)": ``without_annotations``) left out. A word of one or two letters says nothing
    ("of", "an") unless it is an acronym or a code: written in capitals ("AI", "IT", "HR",
    "UK") or of letters and digits ("G6"); those are kept in capitals (``_content_word``), as
    are capitals joined by "&" ("AT&T", "R&D": one word).
    Chinese and Japanese, written without spaces, give character bigrams (see ``_words``):
    "远程办公" → "远程", "程办", "办公"."""
    text = without_annotations(text.replace("\u2019", "'"))
    if not _IN_UNSPACED.search(text):
        found = (_WORD_AMPERSAND if "&" in text else _WORD).findall(text)
        return [w for w in _content_words(found, text.upper() == text, text) if w]
    return [t for run in token_runs(text) for t in run]


def token_runs(text: str) -> list[list[str]]:
    """``tokens`` in runs of words that stand side by side in the text: a run breaks at
    anything but spaces between two content words (a stop word, a short word, a line end, a
    comma, a full stop, a dash), so "somewhere to eat" or "check.\nWorking" make no phrase.
    Chinese and Japanese bigrams stand alone (two overlapping bigrams are three characters)."""
    return _read(text, whole=False)[0]


# What opens a sentence, a line or a quoted phrase: the text's start, a line end, or one of these
# marks, and any spaces after it (a typographic apostrophe, "\u2019", closes and opens nothing)
_OPENS = re.compile("(?:\\A|\n|[.!?:;\"'(\u201c*•-])\\s*")


# a text's token runs, its words inside sentences, its language (``_language``)
_Reading = tuple[list[list[str]], list[str], str]


def _read(text: str, whole: bool = True) -> _Reading:
    """One reading of ``text`` for labels, so that no text is read twice: its ``token_runs``,
    the words it writes inside a sentence as written (what ``written_forms`` counts: not
    a word that opens a sentence, a line or a quoted phrase, where a capital says nothing), and
    the language it reads as (``_language``). ``whole`` False: the runs alone (no words, "" for
    the language), for ``tokens`` of Chinese or Japanese, which the board's shared-words
    suggestions ask of every card on the window's thread: the rest was a third of the time."""
    raw = without_annotations(text)
    text = raw.replace("\u2019", "'")        # the same length: raw[j] is text[j] as typed
    chinese = _KANA.search(text) is None
    found = list(_words(text))
    spelt = [m.group(0) if m.lastgroup == "word" else "" for m in found]
    words = _content_words(spelt, text.upper() == text, text)
    inside: list[str] = []
    if whole:
        opening = {o.end() for o in _OPENS.finditer(raw)}      # where a sentence's word starts
        inside = [m.group(0) for m in found if m.lastgroup == "word" and m.start() not in opening]
    out: list[list[str]] = []
    run: list[str] = []
    end = -1
    for m, w in zip(found, words):
        if w and run and _SPACES.fullmatch(text, end, m.start()):
            run.append(w)
        else:
            if run:
                out.append(run)
            run = [w] if w else []
            if m.lastgroup not in ("word", None):     # hiragana: None, a separator
                out.extend([t] for t in _unspaced_tokens(m.group(0), m.lastgroup, chinese))
        end = m.end()
    if run:
        out.append(run)
    return out, inside, _language(found, spelt, words, text, chinese) if whole else ""


def _content_words(words: Sequence[str], loud: bool, text: str) -> list[str]:
    """``_content_word`` of each word of one ``text`` ("" for each left out), leaving out the
    ``ALSO_ENGLISH`` words too when the text reads as a language whose stop words they are
    (``_foreign_stops``): "die" in "Die Budgets wurden gekürzt", not in "the pilot will die"."""
    out = [_content_word(w, loud) for w in words]
    if not ALSO_ENGLISH.isdisjoint(out):
        drop = _foreign_stops(words, text)
        if drop:
            out = ["" if w in drop else w for w in out]
    return out


# German writes its nouns with a capital: "die", "den" or "dies" right before a capitalised word
# that is no English stop word is a German article ("Die Männer verdienen mehr", "für die
# Kinder"), in a text with some word in lower case (not all capitals, not Title Case: "Let Plants
# Die Slowly"). An English "die" is a verb, followed by a word in lower case ("plants die
# without water") or outvoted by the text's English stop words ("Die Hard is my film").
_ARTICLE_BEFORE = re.compile(r"(?<![\w'-])(?:[Dd]ie|[Dd]en|[Dd]ies)[^\S\n\r]+([^\W\d_])([\w'-]*)")
_ARTICLES = frozenset(("die", "den", "dies"))


def _german_articles(words: Sequence[str], text: str) -> int:
    """How many of ``text``'s "die", "den", "dies" stand where German puts an article."""
    if not any(w[:1].islower() for w in words):
        return 0
    return sum(1 for m in _ARTICLE_BEFORE.finditer(text)
               if m.group(1).isupper() and (m.group(1) + m.group(2)).lower() not in STOP_WORDS)


def _foreign_stops(words: Sequence[str], text: str) -> frozenset[str]:
    """The ``ALSO_ENGLISH`` words that are stop words in a ``text`` of ``words``: those of the
    languages whose stop words it holds most of (``_stop_languages``), none if English is one
    of them."""
    most = _stop_languages(words, text)
    if not most or "en" in most:
        return frozenset()
    return frozenset().union(*(_ALSO_ENGLISH_IN[lang] for lang in most))


def _stop_languages(words: Iterable[str], text: str,
                    every: Sequence[str] | None = None) -> list[str]:
    """The languages (``_LANGUAGES``' codes) whose stop words ``text``, of ``words``, holds most
    of, none if it holds none. An ``ALSO_ENGLISH`` word is no evidence of a language (a short
    English note has no English stop word to outvote it: "Man hours", "Van drivers", "Door to
    door sales") unless it stands where only German puts it (``_german_articles``: "Die Männer
    verdienen mehr"; ``every``: all the text's words, if ``words`` are only some)."""
    words = list(words)
    hits: dict[str, int] = {}
    article = False
    for word in words:
        word = word.lower()
        for part in word.split("'") if "'" in word else (word,):
            if part in ALSO_ENGLISH:
                article = article or part in _ARTICLES
                continue
            for lang in _STOP_LANGUAGES.get(part, ()):
                hits[lang] = hits.get(lang, 0) + 1
    articles = _german_articles(words if every is None else every, text) if article else 0
    if articles:
        hits["de"] = hits.get("de", 0) + articles
    most = max(hits.values(), default=0)
    return sorted(lang for lang, n in hits.items() if n == most) if most else []


# Scripts whose texts need no stop words to tell their language (or their script, when several
# languages write it: Arabic, Persian and Urdu; Russian and Ukrainian), as ``language_name``
# gives them
_SCRIPTS = {"Arabic script": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
            "Cyrillic script": "\u0400-\u052f", "Greek": "\u0370-\u03ff\u1f00-\u1fff",
            "Hebrew script": "\u0590-\u05ff", "Devanagari script": "\u0900-\u097f",
            "Thai": "\u0e00-\u0e7f", "Korean": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"}
_SCRIPT_OF = [(name, re.compile(f"[{chars}]")) for name, chars in _SCRIPTS.items()]
_OTHER_SCRIPT = re.compile(f"[{''.join(_SCRIPTS.values())}]")
LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish",
                  "it": "Italian", "nl": "Dutch", "pt": "Portuguese", "cy": "Welsh",
                  "zh": "Chinese", "ja": "Japanese"}


def _language(found: Sequence[re.Match[str]], spelt: Sequence[str], words: Sequence[str],
              text: str, chinese: bool) -> str:
    """The language ``text`` reads as, "" if it cannot be told: the script most of its words
    are written in (a run of Chinese or Japanese counts as a word for each two characters:
    "zh", "ja", or a name of ``_SCRIPTS``), and for the Latin alphabet the language whose stop
    words it holds most of (``_stop_languages``, the guess ``_foreign_stops`` makes; English
    when English is among them), from the words ``spelt`` (``found``'s, "" for a run of
    Chinese or Japanese) that are not content ``words`` (no content word is a stop word)."""
    if _IN_UNSPACED.search(text) or _OTHER_SCRIPT.search(text):
        scripts: Counter[str] = Counter()
        for m in found:
            word = m.group(0)
            if m.lastgroup == "word":
                scripts[next((name for name, chars in _SCRIPT_OF if chars.match(word)), "")] += 1
            elif m.lastgroup is not None:
                scripts["zh" if chinese else "ja"] += max(1, len(word) // 2)
        best = max(sorted(scripts), key=lambda s: scripts[s], default="")
        if best:
            return best
    left_out = [w for w, content in zip(spelt, words) if w and not content]
    most = _stop_languages(left_out, text, spelt) if left_out else []
    return "en" if "en" in most else (most[0] if most else "")


def language_name(language: str) -> str:
    """The name of a language ``_language`` tells ("cy" → "Welsh", "Arabic script")."""
    return LANGUAGE_NAMES.get(language, language)


def _content_word(word: str, loud: bool = False) -> str:
    """A word (``_words``) lower-cased without its possessive 's or an elided article
    ("l'", "d'", "dell'"); "" for a stop word, a contraction of one, or a word of one or two
    letters unless it is an acronym or a code, given in capitals: two capitals ("AI", "HR"; in
    a text written all in capitals (``loud``) only when they are no English stop word: "IT IS
    DOWN" is no "IT") or a letter and a digit ("G6"); capitals joined by "&" ("AT&T") as they
    are. (A word starts with a letter and ends with a letter or digit: no quote or hyphen to
    strip.)"""
    if word[-2:] in ("'s", "'S"):
        word = word[:-2]
    if "&" in word:                 # "AT&T" (``_AMPERSAND``)
        return word
    w = word.lower()
    if "'" in w:
        head, rest = w.split("'", 1)
        if head in _ELIDED and rest:
            word, w = word[len(head) + 1:], rest
        elif head in _CONTRACTED:
            return ""
    if len(w) > 2:
        return w if w not in _STOP else ""
    if len(w) == 2 and (not w.isalpha()
                        or (word.isupper() and not (loud and w in STOP_WORDS))):
        return w.upper()
    return ""


_SPACES = re.compile(r"[^\S\n\r\u2028\u2029]+")    # spaces inside a line


def written_forms(texts: Sequence[str]) -> dict[str, str]:
    """How the texts write each content word when that is not in lower case: "vpn" → "VPN",
    "london" → "London". A word's most frequent form wins, counting only occurrences that do
    not open a sentence (where every word is capitalised) and none inside a transcriber's
    annotation; words written in lower case as often as not are left out."""
    return _spellings(Counter(chain.from_iterable(_read(text)[1] for text in texts)))


def _spellings(inside: Counter[str]) -> dict[str, str]:
    """``written_forms`` from how often the texts write each word inside a sentence
    (``_read``)."""
    counts: dict[str, dict[str, int]] = {}
    for written, n in inside.items():
        w = written[:-2] if written.endswith("'s") else written
        forms = counts.setdefault(w.lower(), {})
        forms[w] = forms.get(w, 0) + n
    out: dict[str, str] = {}
    for low, forms in counts.items():
        best = max(sorted(forms), key=lambda f: forms[f])
        if best != low and forms[best] > forms.get(low, 0):
            out[low] = best
    return out


def shown_spellings(spellings: Sequence[dict[str, str]],
                    inside: Sequence[Counter[str]]) -> list[dict[str, str]]:
    """How each theme shows its words (``as_written``): its ``spellings`` (``_spellings`` of
    its words written inside sentences, ``inside``) of the words the study as a whole also
    writes so more often than in lower case. A capital a few writers give a common noun ("an
    upscale Mall", "Good detail Clear and thorough", "Drivers Education") is not how the study
    writes the word; names ("London", "VPN", "Teams") are. A phrase all of whose words the
    theme writes with capitals keeps them ("Warren County", "Apple Pay": ``as_written``)."""
    study: Counter[str] = Counter()
    for written in inside:
        study.update(written)
    told = _spellings(study)
    return [{w: form for w, form in forms.items() if w in told} for forms in spellings]


def as_written(words: str, forms: dict[str, str], names: dict[str, str] | None = None) -> str:
    """A keyword, phrase or name with each word as the texts write it ("Home & vpn" →
    "Home & VPN"); words the texts write in lower case keep the case they have, and so do
    words in capitals (an acronym, "IT", is not the "it" of other sentences). ``names``: the
    forms a phrase takes when the texts write each of its words so ("Warren County", where
    ``forms`` write "county" alone in lower case)."""
    if names is not None:
        return " & ".join(as_written(part, names if " " in part and all(
            w.isupper() or w.lower() in names for w in part.split(" ")) else forms)
            for part in words.split(" & "))
    return " ".join(w if w.isupper() else forms.get(w.lower(), w) for w in words.split(" "))


def ctfidf_keywords(texts: Sequence[str], labels: np.ndarray, k: int, top: int = 8,
                    spellings: Sequence[dict[str, str]] | None = None,
                    people: Iterable[str] = ()) -> list[list[str]]:
    """Top c-TF-IDF words (and two-word phrases) for each theme 0..k-1. A phrase is two words
    side by side in a text (``token_runs``); a simple plural counts with its singular when the
    texts use both ("managers" with "manager", ``plural_folds``), shown as the theme writes it
    most often, unless the theme spells the two apart (``spellings``: each theme's
    ``written_forms``, read here if not given: "Teams", the software, is not more teams). No
    keyword holds a person's name (``People``: of ``people``, or as the texts use one)."""
    raw, inside, _ = _tally(texts, labels, k)
    if spellings is None:
        spellings = [_spellings(written) for written in inside]
    return _keywords(raw, top, spellings, people=People(texts, people, inside))[0]


class _Said(NamedTuple):
    """For each theme, how many of its different texts (each counted once however often it
    is repeated) say each word, and how many different texts it has; and the texts (indexes)
    with no content word at all ("12345", emoji), which no theme is shown by
    (``representatives``)."""
    words: list[Counter[str]]
    texts: list[int]
    wordless: set[int]


# A text whose words are fewer than one in REPEATS_ITSELF different ones repeats itself (a
# paragraph pasted forty times into one note): its words count as often as they would in the
# text said once (each word's count times the share of its words that differ, at least one), so
# one card weighs as one voice. Ordinary texts, long answers included, keep their counts.
REPEATS_ITSELF = 2


def _tally(texts: Sequence[str], labels: np.ndarray, k: int, said: _Said | None = None
           ) -> tuple[list[dict[str, int]], list[Counter[str]], list[Counter[str]]]:
    """For each theme 0..k-1, from one reading of each of its texts (``_read``): how often
    each word and phrase of its ``token_runs`` occurs, each word written inside a sentence
    (what its ``written_forms`` are made from), and each language its texts read as
    (``_language``); ``said`` (k empty counts, if given) is filled from the same reading. A
    text that repeats itself (``REPEATS_ITSELF``) counts its words as if said once.
    Counted as each text is read, not kept per text: holding 20,000 texts' readings made the
    garbage collector's passes cost more than the second reading they saved."""
    raw: list[dict[str, int]] = [dict() for _ in range(k)]
    inside: list[Counter[str]] = [Counter() for _ in range(k)]
    languages: list[Counter[str]] = [Counter() for _ in range(k)]
    seen: list[set[str]] = [set() for _ in range(k)]
    for i, (text, lab) in enumerate(zip(texts, labels)):
        if lab < 0:
            continue
        runs, written, language = _read(text)
        if said is not None and not runs:
            said.wordless.add(i)
        bucket = raw[lab]
        pairs = [f"{a} {b}" for run in runs for a, b in zip(run, run[1:])]
        words = [w for run in runs for w in run]
        unique = set(words)
        distinct = len(unique)
        if REPEATS_ITSELF * distinct >= len(words):
            for w in chain(words, pairs):
                bucket[w] = bucket.get(w, 0) + 1
        else:       # a text saying its words over and over is still one voice
            share = distinct / len(words)
            for w, n in Counter(chain(words, pairs)).items():
                bucket[w] = bucket.get(w, 0) + max(1, int(n * share + 0.5))
        inside[lab].update(written)
        languages[lab][language] += 1
        if said is not None and text not in seen[lab]:
            seen[lab].add(text)
            said.texts[lab] += 1
            said.words[lab].update(unique)
    return raw, inside, languages


def _keywords(raw: list[dict[str, int]], top: int, spellings: Sequence[dict[str, str]],
              texts_read: int = 0, people: People | None = None
              ) -> tuple[list[list[str]], list[set[str]]]:
    """``ctfidf_keywords`` from each theme's counts of words and phrases (``_tally``), and
    for each theme those of its keywords that are the study's own subject: said, or holding a
    word said, as often as four in five of the study's texts (``texts_read``, those labelled),
    in more than half its themes ("civil service" in a study of civil servants' statements that
    nearly all say it; not a sentence one note repeats a hundred times). c-TF-IDF sinks
    such a word but may still list it, in a small study or a theme that says little else; it
    names no theme while the theme has another keyword (``name_by_meaning``). No keyword
    holds a person's name as the theme says it (``people``: ``People.in_keyword``)."""
    k = len(raw)
    folds = word_folds({w for bucket in raw for w in bucket if " " not in w})
    counts: list[dict[str, int]] = [dict() for _ in range(k)]
    shown: list[dict[str, dict[str, int]]] = [dict() for _ in range(k)]
    for bucket, folded, forms, spelt in zip(raw, counts, shown, spellings):
        own = {w: one for w, one in folds.items() if (w in spelt) == (one in spelt)}
        for w, c in bucket.items():
            key = " ".join(own.get(p, p) for p in w.split(" ")) if own else w
            folded[key] = folded.get(key, 0) + c
            forms.setdefault(key, {})[w] = c
    total: dict[str, int] = {}
    for bucket in counts:
        for w, c in bucket.items():
            total[w] = total.get(w, 0) + c
    avg_words = (sum(total.values()) / max(k, 1)) or 1.0
    common = {w for w, c in total.items() if 5 * c >= 4 * texts_read} if texts_read else set()
    common = {w for w in common if 2 * sum(1 for bucket in counts if w in bucket) > k}
    out = []
    subjects = []
    for t, (bucket, forms) in enumerate(zip(counts, shown)):
        size = sum(bucket.values()) or 1
        scored = []
        # a word said once is not what a theme is about, unless the theme repeats too few words
        # to name it (a small theme of different words would otherwise have no keywords)
        repeated = sum(1 for c in bucket.values() if c >= 2)
        for w, c in bucket.items():
            if c < 2 and len(bucket) > 20 and repeated >= 3:
                continue
            score = (c / size) * np.log(1.0 + avg_words / total[w])
            if " " in w:
                score *= 0.9  # prefer single words unless the phrase is clearly stronger
            scored.append((-score, w))
        scored.sort()

        def said(w: str, forms: dict[str, dict[str, int]] = forms) -> str:
            """``w`` as the theme writes it most often (a tie: the singular)."""
            return max(forms[w], key=lambda f: (forms[w][f], f == w))
        ranked = [w for _, w in scored]
        named = (lambda w, t=t: people.in_keyword(w, t)) if people else None
        phrase_of = _phrases_of(bucket, _choose(ranked, top, said, named=named))
        chosen = _choose(ranked, top, said, phrase_of, named)
        out.append([said(w) for w in chosen])
        subjects.append({said(w) for w in chosen
                         if common and (w in common or not common.isdisjoint(w.split(" ")))})
    return out, subjects


def _choose(ranked: Sequence[str], top: int, said: Callable[[str], str],
            phrase_of: dict[str, str] | None = None,
            named: Callable[[str], bool] | None = None) -> list[str]:
    """The first ``top`` of a theme's ``ranked`` words and phrases (best first) that are not
    ``_generic`` as the theme writes them (``said``) nor hold a person's name (``named``),
    each word shown as its phrase of ``phrase_of`` if it has one that is neither, leaving out
    a word inside a phrase already chosen and a phrase of words already chosen."""
    chosen: list[str] = []
    for w in ranked:
        if _generic(said(w)) or (named is not None and named(w)):
            continue
        if phrase_of and w in phrase_of and not _generic(said(phrase_of[w])) and not (
                named is not None and named(phrase_of[w])):
            w = phrase_of[w]
        if w in chosen or any(w in c.split() for c in chosen if " " in c):
            continue
        if " " in w and all(p in chosen for p in w.split()):
            continue
        chosen.append(w)
        if len(chosen) == top:
            break
    return chosen


def _phrases_of(counts: dict[str, int], keywords: Sequence[str]) -> dict[str, str]:
    """The words of a theme that are said as a phrase, to that phrase: a word more than half of
    whose occurrences (in the theme's ``counts`` of words and phrases, ``_tally``'s, folded)
    stand in one phrase said at least twice (and in no other), when more than half of the
    other word's stand there too (the two are one name: "Bowling Green", "Visual Studio",
    "direct debit"), or the phrase is among the theme's ``keywords`` chosen without this
    ("starters" beside "new starters", "deposit" beside "cash deposit"). A keyword shows the
    phrase once, so a name no longer splits it ("Bowling & Green") nor says a word and its
    phrase. A phrase holding most of one word only, and not chosen, leaves the word alone
    ("mugged" is not "mugged yesterday"; for names see ``_one_phrase``)."""
    held: dict[str, list[str]] = {}
    for w, c in counts.items():
        if c >= 2 and " " in w:
            for part in w.split(" "):
                if 2 * c > counts.get(part, 0):
                    held.setdefault(part, []).append(w)
    # a word most of whose occurrences two phrases hold is in a longer one ("flexible hours
    # help", said three times): neither is the word's
    one = {part: phrases[0] for part, phrases in held.items() if len(phrases) == 1}
    chosen = set(keywords)
    return {part: w for part, w in one.items()
            if w in chosen or all(one.get(p) == w for p in w.split(" "))}


def _generic(keyword: str) -> bool:
    """A keyword that is, or holds, one of ``GENERIC_WORDS`` ("actually", "thing", "buy
    something"), whatever its case."""
    return any(w in GENERIC_WORDS for w in keyword.lower().split(" "))


# --------------------------------------------------------------------------- people's names
# A person's name says who spoke, or to whom, not what a theme is about, and a theme named
# "Kwame & budget" puts a participant's name on the shared screen and in every export. So no
# keyword shown, and no name, holds one. Labels only: the clustering and More like this read
# every word as before (the embedding reads the names anyway, and two turns that name the same
# person often answer each other).
def names_held(people: Iterable[str]) -> dict[str, set[str]]:
    """The words of the names in ``people`` (the names the project holds, as
    ``synth.people.known_names`` reads them from speakers' labels and participants' name
    columns: "Priya Patel", "Łukasz Nowak", never a role or an id), lower-cased, each to its
    spellings. Stop words and words addressing a group ("Team": ``ADDRESSED_GROUPS``) are
    none. (A second reading of the labels here kept only Latin-1 letters: "Łukasz" reached the
    keywords while the exports masked it.)"""
    out: dict[str, set[str]] = {}
    for name in people:
        for w in name.replace("\u2019", "'").split():      # as ``tokens`` reads the texts
            if _content_word(w) == w.lower() and w.lower() not in ADDRESSED_GROUPS:
                out.setdefault(w.lower(), set()).add(w)
    return out


# A word the texts write in lower case once for every ten times with a capital is a word to
# them ("bill", "grace", "mark"; "magento", "scala" in programmers' titles): no cue makes it a
# name (one the project holds still is, where a theme writes it with a capital).
LOWER_CASE_SHARE = 10


class People:
    """Which words of a study's themes are people's names (``said_as_name``): those of the
    names the project holds (``names_held``) and the words its ``texts`` use as people use a
    name (``synth.people.used_as_name``), where a theme writes them as names: with a capital inside
    a sentence more often than in lower case (``inside``: each theme's words so written,
    ``_tally``'s), or as often either way (as when it only opens sentences: "Kwame found a
    job.") and not less often in the study as a whole. "Mark said so" is a name, "a pass mark"
    is not; "Grace", "Bill", "May", "Will", or "Jordan" the country are names only where the
    project holds them or the texts speak to or of them as people. A word is read for cues
    when first asked about, so only a theme's keywords are, and only one the study writes with
    a capital inside a sentence and seldom in lower case (``LOWER_CASE_SHARE``)."""

    def __init__(self, texts: Sequence[str], people: Iterable[str] = (),
                 inside: Sequence[Counter[str]] = ()) -> None:
        self._texts = texts
        self.held = names_held(people)
        self._inside = inside
        self._joined: str | None = None
        self._study: dict[str, tuple[int, int]] = {}
        self._cued: dict[str, bool] = {}

    def said_as_name(self, word: str, theme: int) -> bool:
        """``word`` (a keyword's word, lower-cased) is a person's name as theme ``theme``
        writes it."""
        if word in ADDRESSED_GROUPS or not word.isalpha() or not word.islower():
            return False
        capital, lower = self._written(self._inside[theme], word)
        if capital < lower:
            return False
        if word not in self._study:
            self._study[word] = tuple(map(sum, zip(*(self._written(counts, word)
                                                     for counts in self._inside))))
        study_capital, study_lower = self._study[word]
        if capital == lower and study_capital < study_lower:
            return False
        if word in self.held:
            return True
        if not study_capital or study_lower * LOWER_CASE_SHARE > study_capital:
            return False
        if word not in self._cued:
            self._cued[word] = self._used_as_name(word)
        return self._cued[word]

    def named_in(self, text: str) -> bool:
        """``text`` holds a capitalised word the project holds as a name or the texts use as
        one anywhere (``synth.people.used_as_name``): "Kwame's idea about quiet rooms" where
        other texts say "Thanks Kwame." A text quoted whole as a theme's name is read so
        (review: the keywords left Kwame out, the quoted name did not)."""
        for word in re.findall(r"\b[A-Z][a-z]+\b", text):
            low = word.lower()
            if low in self.held:
                return True
            if low in ADDRESSED_GROUPS:
                continue
            if low not in self._cued:
                self._cued[low] = self._used_as_name(low)
            if self._cued[low]:
                return True
        return False

    def in_keyword(self, keyword: str, theme: int) -> bool:
        """A word of ``keyword`` (a word or a phrase) is a name (``said_as_name``)."""
        return any(self.said_as_name(w, theme) for w in keyword.lower().split(" "))

    def _forms(self, word: str) -> set[str]:
        return {word[:1].upper() + word[1:], *self.held.get(word, ())}

    def _written(self, counts: Counter[str], word: str) -> tuple[int, int]:
        """How often ``counts`` (a theme's words inside sentences) write ``word`` with a
        capital, and in lower case (a possessive 's counts as the word)."""
        capital = sum(counts.get(f, 0) + counts.get(f + "'s", 0) for f in self._forms(word))
        return capital, counts.get(word, 0) + counts.get(word + "'s", 0)

    def _used_as_name(self, word: str) -> bool:
        """The texts use ``word``, with a capital, as a name (``synth.people.used_as_name``),
        signatures counting when the word is signed more often than the study writes it
        inside a sentence."""
        if self._joined is None:      # a text repeated is no more evidence
            self._joined = "\n".join(dict.fromkeys(self._texts))
        return used_as_name(self._forms(word), self._joined,
                            sum(self._written(counts, word)[0] for counts in self._inside))


NOT_PLURAL = frozenset("news means goods series species whereabouts".split())
_SIBILANT = ("x", "zz", "ch", "sh", "ss")  # "-es" after these is a plural's ending ("lunches")
_ENDINGS = ("ing", "ion", "ied", "ed", "e")
_KEEP_DOUBLE = frozenset("lsfz")          # "called" is "call", "planned" is "plan"


def singular(word: str) -> str:
    """The singular of a simple plural of a lower-case word, the word itself otherwise (the
    first step of ``stem``): "-ies" to "-y" ("policies", "tries"), "-es" off after "x", "zz",
    "ch", "sh", "ss" ("lunches", "boxes", "classes"), else "-s" ("managers", "cases", "hubs",
    "e-mails", "APIs"). Not a word ending in "-ss" ("less", "business"), nor in "-us" or "-is"
    after four letters or more ("status", "analysis"; "CPUs", "APIs" are plurals), nor one of
    ``NOT_PLURAL`` ("news" is not "new"s)."""
    if (len(word) < 4 or word[-1] != "s" or not word[-2].isalpha() or word[-2] == "s"
            or (word[-2] in "ui" and len(word) > 4) or not word.islower()
            or word in NOT_PLURAL):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(_SIBILANT):
        return word[:-2]
    return word[:-1]


def stem(word: str) -> str:
    """The one light stem of a lower-case word, no dictionary: its ``singular``, then one
    ending of ``_ENDINGS`` taken off when at least four letters stay ("promotion",
    "promotions", "promoted", "promotes", "promote" and "promoting" are "promot"; "need",
    "code" keep theirs; a plural loses no "-ed": "exceeds" is "exceed"), "-ied" to "-y"
    ("studied" is "study", as "studies" is), a consonant doubled before "-ed"/"-ing"
    undoubled ("planned" is "plan"); "-ion" only after "t" or "s" with five letters left
    ("discussion" is "discuss"; not "billion", which is no "bill", nor "station", "mission",
    "pension"); a final "-ie" after three letters or more is "-y" ("movie", "movies"). Never
    "-er", which makes another word ("manager", "starter"). It folds a theme's words
    (``word_folds``) and tells two name words alike (``_same``)."""
    one = singular(word)
    if not one.isalpha() or not one.islower() or one.endswith(("ss", "us", "is")) \
            or one in NOT_PLURAL:
        return one
    if one.endswith("ie") and len(one) > 4:
        return one[:-2] + "y"
    for ending in _ENDINGS if one == word else _ENDINGS[:2] + _ENDINGS[-1:]:
        if not one.endswith(ending):
            continue
        rest = one[:-len(ending)]
        if ending == "ied":
            rest += "y"
        if len(rest) < 4:
            continue
        if ending == "ion" and (len(rest) < 5 or rest[-1] not in "ts"):
            continue
        if (ending in ("ed", "ing") and rest[-1] == rest[-2]
                and rest[-1] not in "aeiou" and rest[-1] not in _KEEP_DOUBLE
                and len(rest) > 4):
            rest = rest[:-1]
        return rest
    return one


def word_folds(words: set[str]) -> dict[str, str]:
    """Each of ``words`` that shares its ``stem`` with another of them, to the shortest of
    those (then the first in alphabetical order): "managers" → "manager", "learned" and
    "learning" → "learn" when "learn" is among them, "promotion" → "promoted". A theme's
    keywords count them as one word, shown as the theme writes it most often."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(stem(w), []).append(w)
    out = {}
    for group in groups.values():
        if len(group) > 1:
            key = min(group, key=lambda w: (len(w), w))
            out.update((w, key) for w in group if w != key)
    return out


inflection_folds = word_folds     # plurals and other inflections fold by the one ``stem``


def plural_folds(words: set[str]) -> dict[str, str]:
    """Each simple plural among ``words`` whose ``singular`` is among them too, to it:
    "managers" → "manager", "lunches" → "lunch", "policies" → "policy"."""
    return {w: one for w in words if (one := singular(w)) != w and one in words}


# An e-mail address or a web address shows no one's view: a text holding one is no
# representative ("Jake@pubbynovo.com" stood for a theme of shopping)
_UNQUOTABLE = re.compile(r"[\w.+-]@[\w-]+\.\w|\bhttps?://|\bwww\.\w", re.I)
CENTRAL_SHARE = 0.5     # representatives come from this more central share of a theme


def _quotable(text: str) -> bool:
    """``text`` holds no e-mail address and no web address (``_UNQUOTABLE``)."""
    return not (("@" in text or "/" in text or "www" in text.lower())
                and _UNQUOTABLE.search(text))


def representatives(vectors: np.ndarray, centroid: np.ndarray, count: int = 3,
                    diversity: float = 0.5,
                    usable: Callable[[int], bool] | None = None) -> list[int]:
    """Central and diverse: the text closest to the theme's centre, then maximal marginal
    relevance (closeness to the centre against likeness to those chosen), among the
    ``CENTRAL_SHARE`` of the texts closest to the centre (at least ``count``) only: over the
    whole theme the marginal relevance took outliers for diversity ("Loding", the least
    central of 21 texts; a quarter of the Pol.is debates' representatives lay in the least
    central quarter of their theme). ``usable(i)``: text ``i`` may stand for the theme (not
    one without a content word, an e-mail address or a link); the others only when too few
    are, the most central first."""
    n = len(vectors)
    if n == 0:
        return []
    central = vectors @ centroid
    order = np.argsort(-central, kind="stable")
    size = max(count, int(np.ceil(CENTRAL_SHARE * n)))
    if usable is None:
        pool = order[:size]
    else:
        fit: list[int] = []
        for i in order:
            if usable(int(i)):
                fit.append(int(i))
                if len(fit) == size:
                    break
        if len(fit) < count:
            fit += [int(i) for i in order if int(i) not in fit][:count - len(fit)]
        pool = np.array(fit, int)
    chosen = [int(pool[0])]
    while len(chosen) < min(count, len(pool)):
        redundancy = (vectors[pool] @ vectors[chosen].T).max(1)
        score = (1 - diversity) * central[pool] - diversity * redundancy
        score[np.isin(pool, chosen)] = -np.inf
        chosen.append(int(pool[int(np.argmax(score))]))
    return chosen


def suggest_name(keywords: Sequence[str], central_text: str = "",
                 taken: Iterable[str] | TakenWords = (),
                 phrases: dict[str, int] | None = None, subject: Collection[str] = (),
                 fits: Callable[[str], bool] | None = None) -> str:
    """Without the model: the best keywords that occur in the most central text, a participle
    standing alone after the others, the second not ``taken`` if it can be; two that are one
    phrase in the theme's ``phrases`` lead as that phrase; none of the study's ``subject``
    while there is another (see ``name_by_meaning``)."""
    if not keywords:
        return "Untitled theme"
    central = set(tokens(central_text))
    pool = [w for w in keywords[:6] if w not in subject] or list(keywords[:6])
    ranked = sorted(pool, key=lambda w: (not set(w.split()) <= central, _participle(w),
                                         list(keywords).index(w)))
    first = ranked[0]
    taken = TakenWords.of(taken)
    seconds = sorted((w for w in ranked[1:] if not _repeats(w, first)), key=taken.overlap)
    return _named(first, seconds, phrases, fits)


class TakenWords:
    """Words a name should leave out when it can (bigger themes' name words, a split theme's
    name), indexed so that asking about a word costs about the same however many there are
    (comparing with each in turn made naming 800 themes take seconds): each word is filed under
    the keys two words ``_alike`` share (``_keys``), and a word asked about is compared only
    with those filed under its own keys. Lower-cased: a keyword keeps an acronym's capitals
    ("AI"), a name's words are any case ("Training & AI")."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words: set[str] = set()
        self._by_key: dict[str, list[str]] = {}
        self.add(words)

    @classmethod
    def of(cls, taken: Iterable[str] | TakenWords) -> TakenWords:
        return taken if isinstance(taken, TakenWords) else cls(taken)

    def add(self, words: Iterable[str]) -> None:
        """Take ``words`` (each a word or a phrase: "Note taking")."""
        for phrase in words:
            for y in phrase.lower().split():
                if y not in self._words:
                    self._words.add(y)
                    for key in _keys(y):
                        self._by_key.setdefault(key, []).append(y)

    def overlap(self, word: str) -> bool:
        """``word`` (or a word of a phrase) is, or shares a word with, one taken
        (``_overlaps``), whatever their case."""
        return any(_alike(x, y) for x in word.lower().split() for key in _keys(x)
                   for y in self._by_key.get(key, ()))


def _alike(x: str, y: str) -> bool:
    """Two words are the same word, or their ``stem``s, of four letters or more, agree but for
    the shorter one's last letter ("transfer" / "transferred", "department" / "departmental",
    "manager" / "management": a derived word keeps its root's letters), or are two bigrams of
    Chinese or Japanese sharing a character ("在宅" / "宅勤": one run's); a hyphenated word is
    also each of its parts (``_parts``: "four-day" is "day", "e-learning" is "learning": "Day
    & four-day" names a theme twice over)."""
    return any(_same(p, q) for p in _parts(x) for q in _parts(y))


def _same(x: str, y: str) -> bool:
    """``_alike`` of two words taken whole."""
    if x == y:
        return True
    if _unspaced(x) and _unspaced(y):
        return not set(x).isdisjoint(y)
    a, b = sorted((stem(x), stem(y)), key=len)
    n = max(4, len(a) - 1)
    return len(a) >= 4 and a[:n] == b[:n]


def _parts(word: str) -> list[str]:
    """``word``, and its parts of three letters or more if it is hyphenated ("four-day":
    "four", "day"; not the "e" of "e-learning", which would make it one with "e-mail")."""
    if "-" not in word:
        return [word]
    return [word, *(p for p in word.split("-") if len(p) >= 3)]


def _keys(word: str) -> set[str]:
    """Keys that two ``_alike`` words share at least one of: each of its ``_parts``, the first
    four letters of their ``stem`` (``_same`` needs one stem to begin the other), their
    characters if Chinese or Japanese."""
    keys = set()
    for part in _parts(word):
        keys.add(part)
        root = stem(part)
        if len(root) >= 4:
            keys.add(root[:4])
        if _unspaced(part):
            keys.update(part)
    return keys


def _joined(first: str, second: str | None) -> str:
    """"First & second", capitalised."""
    name = first if second is None else f"{first} & {second}"
    return name[:1].upper() + name[1:]


NAME_CANDIDATES = 6     # keywords a name is chosen from
RANK_BONUS = 0.1        # closeness bonus of the best keyword over the sixth (cosine units)
PARTICIPLE_PENALTY = 0.07   # closeness a participle standing alone loses (cosine units)


def name_by_meaning(candidates: Sequence[str], vectors: np.ndarray, centroid: np.ndarray,
                    taken: Iterable[str] | TakenWords = (),
                    phrases: dict[str, int] | None = None,
                    subject: Collection[str] = (),
                    fits: Callable[[str], bool] | None = None) -> str:
    """The name among ``candidates`` (keywords, best c-TF-IDF first, with their L2-normalised
    ``vectors``) that says most of a theme whose L2-normalised centre is ``centroid``: the
    closest first, then the one that adds most, among those not ``taken`` if any (the words of
    bigger themes' names: "Hub & departments" leaves "Document & email", not "Document &
    departments"). The two are never alike (``_overlaps``); two that are one phrase in the
    theme's ``phrases`` (its counts of words and phrases, ``_tally``'s: ``_one_phrase``) lead
    as that phrase, followed by the next best ("Mac OS & Terminal", not "Mac & OS"). A name
    reads as a topic: a participle standing alone (``_participle``: "assessed") counts
    ``PARTICIPLE_PENALTY`` less close, so "Manager & skills", not "Manager & assessed", unless
    it says much more ("Card & declined"); the study's own ``subject`` (``_keywords``) is in
    no name while another candidate is."""
    if not len(candidates):
        return "Untitled theme"
    m = len(candidates)
    rel = vectors @ centroid + RANK_BONUS * (m - np.arange(m)) / m
    rel -= PARTICIPLE_PENALTY * np.array([_participle(w) for w in candidates], np.float32)
    pool = [i for i, w in enumerate(candidates) if w not in subject] or list(range(m))
    first = max(pool, key=lambda i: rel[i])
    taken = TakenWords.of(taken)
    seconds = [(taken.overlap(candidates[i]), -(rel[i] - 0.5 * float(vectors[i] @ vectors[first])),
                i) for i in pool if i != first and not _repeats(candidates[i], candidates[first])]
    return _named(candidates[first], [candidates[i] for *_, i in sorted(seconds)], phrases,
                  fits)


def _participle(word: str) -> bool:
    """A single word in lower case that ends as a past participle does: "-ed" that its
    ``stem`` takes off ("assessed", "charged"; not "need", "bed", "speed"). Alone, it names no
    topic a researcher would write on a card: "Manager & assessed"."""
    return (word.endswith("ed") and not word.endswith("eed") and word.isalpha()
            and word.islower() and len(stem(word)) < len(word) - 1)


def _named(first: str, seconds: Sequence[str], phrases: dict[str, int] | None,
           fits: Callable[[str], bool] | None = None) -> str:
    """The name of ``first`` and the best of ``seconds`` (best first, none alike ``first``):
    "First & second"; when the two are one phrase (``_one_phrase``), that phrase in the order
    the theme says it most, followed by the best of the others alike neither ("Mac OS &
    Terminal"; "Bowling Green" alone if there is none). A second word that the theme mostly
    says before another (``_modifying``: "indoor", "public", "annual") is that phrase: with
    ``first`` when the theme says the two so ("Pools & indoor" is "Indoor pools & swimming"),
    as is a first word modifying the second ("Indoor & pools"), else with the word it most
    often stands before (``fits`` it: not a person's name); so is the word after a leading
    phrase ("Accessible buildings & quiet rooms")."""
    if not seconds:
        return _joined(first, None)
    second = seconds[0]
    said = phrases or {}
    if not _one_phrase(first, second, phrases):
        lead, phrase = _modifying(second, first, said, fits)
        if not lead:
            lead = _modifying(first, second, said, fits)[0]       # "Indoor & pools"
            if not lead:
                return _joined(first, phrase or second)
    else:
        lead = (f"{first} {second}" if said.get(f"{first} {second}", 0) >= said.get(
            f"{second} {first}", 0) else f"{second} {first}")
    rest = [w for w in seconds[1:] if not _repeats(w, second)]
    if not rest:
        return _joined(lead, None)
    return _joined(lead, _modifying(rest[0], lead, said, fits)[1] or rest[0])


def _modifying(word: str, first: str, counts: dict[str, int],
               fits: Callable[[str], bool] | None = None) -> tuple[str, str]:
    """A name's second ``word`` completed when it reads as a modifier in the theme (``counts``,
    ``_tally``'s): three quarters of its occurrences or more stand right before another word,
    twice as many as stand right after one ("indoor", "public", "annual"; not "transit",
    "tax", said in phrases either way). Alone it says half a thing: "Pools & indoor",
    "Transit system & public". It leads with ``first`` when the theme says them so
    every time ("Annual pay & bonus"), or twice or more and ``first`` (its first word) mostly
    after another word, as a noun a modifier qualifies ("Indoor pools & …", "Public transit
    system & walking"; not "Pay grade & …", where "grade" is often said alone), else the phrase
    of the word it stands before most often, if that phrase is said twice or more (once, of a
    word said once: "Welsh & bilingual" is not "bilingual nation", said once of three).
    ("", "") for a word standing alone as often as not ("Marijuana & legalized"), a phrase, a
    word not in lower case; ``fits`` (a word may be in a name: not a person's name, not written
    with a capital: "SVN", "Kentucky") of the word and the one after."""
    if word not in counts or not word.isalpha() or not word.islower() or (
            fits is not None and not fits(word)):
        return "", ""
    root = stem(word)                 # "interview" is "interviews" too, as its keyword is
    n = led = headed = 0
    after: dict[str, dict[str, int]] = {}         # stem of the word after → its forms' counts
    part = root[:3]                   # each form of the word starts with its stem's letters
    for key, c in counts.items():
        if part not in key:
            continue
        a, space, b = key.partition(" ")
        if not space:
            if a[:2] == word[:2] and stem(a) == root:
                n += c
        elif a[:2] == word[:2] and stem(a) == root:
            after.setdefault(stem(b), {})[b] = after.get(stem(b), {}).get(b, 0) + c
            led += c
        elif b[:2] == word[:2] and stem(b) == root:
            headed += c
    if 4 * led < 3 * n or led < 2 * headed:
        return "", ""
    head = first.split(" ")[0]
    with_first = sum(c for forms in after.values() for nxt, c in forms.items()
                     if nxt == head or (" " not in first and _alike(nxt, head)))
    if with_first >= min(2, n) and (with_first == n or 2 * sum(
            c for key, c in counts.items() if key.endswith(" " + head)) > counts.get(head, 0)):
        return f"{word} {first}", ""
    for root in sorted(after, key=lambda r: (-sum(after[r].values()), r)):
        forms = after[root]
        said = sum(forms.values())
        nxt = max(sorted(forms), key=lambda f: forms[f])
        if said < min(2, n):
            break
        if not _generic(nxt) and not _repeats(nxt, first) and (fits is None or fits(nxt)):
            return "", f"{word} {nxt}"
    return "", ""


def _one_phrase(a: str, b: str, counts: dict[str, int] | None) -> bool:
    """Two words that a theme's texts say as one phrase ("Mac OS", either way round): the
    phrase, said at least twice, holds more than half of either word's occurrences in the
    theme's ``counts`` (``_tally``'s). A name does not split it into its two words ("Mac &
    OS"), even when only one of them is mostly said in it (a keyword keeps "Mac", said alone
    too, and "OS")."""
    if not counts or " " in a or " " in b:
        return False
    c = counts.get(f"{a} {b}", 0) + counts.get(f"{b} {a}", 0)
    return c >= 2 and 2 * c > min(counts.get(a, 0), counts.get(b, 0))


def _repeats(a: str, b: str) -> bool:
    """The two words of one name would say one thing twice: they ``_overlaps``, or a word of
    one has the other's ``stem``, however short ("day" / "five days": QA's "Day & five days").
    Only within a name: a bigger theme's "Hub" leaves another's "hubs" free (``TakenWords``)."""
    return _overlaps(a, b) or not {stem(x) for x in a.split()}.isdisjoint(
        stem(y) for y in b.split())


def _overlaps(a: str, b: str) -> bool:
    """A word of ``a`` and one of ``b`` are ``_alike`` (words or phrases)."""
    return any(_alike(x, y) for x in a.split() for y in b.split())


class _Read(NamedTuple):
    """What ``label_themes`` reads of each theme's texts before naming it (``_read_themes``)."""
    raw: list[dict[str, int]]           # counts of words and phrases (``_tally``)
    languages: list[Counter[str]]
    # each theme's own spelling ("Bill" of one theme's texts does not name another's bills)
    spellings: list[dict[str, str]]
    shown: list[dict[str, str]]         # how it shows them (``shown_spellings``)
    people: People
    keywords: list[list[str]]           # c-TF-IDF (``_keywords``), in lower case
    subjects: list[set[str]]


def _read_themes(texts: Sequence[str], labels: np.ndarray, k: int, top: int,
                 people: Iterable[str], said: _Said | None = None) -> _Read:
    raw, inside, languages = _tally(texts, labels, k, said)
    spellings = [_spellings(written) for written in inside]
    named_as = People(texts, people, inside)
    kws, subjects = _keywords(raw, top, spellings, int((labels >= 0).sum()), named_as)
    return _Read(raw, languages, spellings, shown_spellings(spellings, inside), named_as, kws,
                 subjects)


def theme_keywords(texts: Sequence[str], labels: np.ndarray, k: int, top: int = 8,
                   people: Iterable[str] = ()) -> list[list[str]]:
    """Each theme 0..k-1's keywords exactly as ``label_themes`` gives them, without naming
    the themes: what a theme's words are found again with after cards moved in or out of it
    (``synth.board.refresh_keywords``; review: a second rule there showed "mall" as "Mall")."""
    read = _read_themes(texts, labels, k, top, people)
    return [[as_written(w, read.shown[t], read.spellings[t]) for w in read.keywords[t]]
            for t in range(k)]


def label_themes(texts: Sequence[str], vectors: np.ndarray, labels: np.ndarray,
                 centroids: np.ndarray, top_keywords: int = 8,
                 embed: Callable[[list[str]], np.ndarray] | None = None,
                 within: str = "", people: Iterable[str] = ()) -> list[ThemeLabel]:
    """A label for each theme 0..k-1 of a clustering. ``embed`` (texts → one vector each, the
    model that embedded ``vectors``) lets names be chosen by meaning (``name_by_meaning``).
    ``within``: the name of the theme these are parts of (a split): its words are what every
    part shares, so a part's name leaves them out while it has another keyword ("AI &
    systems" splits into "Jobs & staff" and "Training", not "AI & jobs" and "AI & training");
    the keywords keep them. ``people``: names the project holds (speakers' labels,
    participants' names); with the names the texts use as names (``People``), no keyword
    or name holds one ("Bus fares & Aisha" is "Bus fares & pass")."""
    shared = TakenWords(tokens(within))
    k = len(centroids)
    said = _Said([Counter() for _ in range(k)], [0] * k, set())
    raw, languages, spellings, shown, named_as, kws, subjects = _read_themes(
        texts, labels, k, top_keywords, people, said)
    by_language = other_languages(languages)
    cands_of = []                       # each theme's name candidates
    for ws in kws:
        own = [w for w in ws if not shared.overlap(w)]
        cands_of.append(own[:NAME_CANDIDATES] if within and own else ws[:NAME_CANDIDATES])
    cand_vectors: dict[str, np.ndarray] = {}
    if embed is not None:
        words = sorted({w for ws in cands_of for w in ws})
        if words:
            got = normalise(embed(words))
            cand_vectors = dict(zip(words, got))
    out: list[ThemeLabel | None] = [None] * k
    taken = TakenWords()
    named: set[str] = set()                 # names made of a language ("Texts in Welsh")
    mixed: Counter[str] = Counter()         # names of themes of texts that share no word
    sizes = np.bincount(labels[labels >= 0], minlength=k)

    def stands_for(i: int) -> bool:
        """Text ``i`` may stand for its theme: it has words, and no address or link."""
        return i not in said.wordless and _quotable(texts[i])

    def names_someone(i: int) -> bool:
        """Text ``i`` names a person, as the exports would mask it (``name_spans``: "Sarah
        from HR agrees") or with a word of a name the project holds: it names no theme."""
        return bool(name_spans(texts[i])) or not named_as.held.keys().isdisjoint(
            tokens(texts[i])) or named_as.named_in(texts[i])
    for t in np.argsort(-sizes, kind="stable"):
        members = np.flatnonzero(labels == t)
        forms, full = shown[t], spellings[t]
        reps = [int(members[i]) for i in representatives(
            vectors[members], centroids[t], usable=lambda i, m=members: stands_for(m[i]))]
        cands = cands_of[t]
        if not by_language[t] and _no_shared_word(said.words[t], said.texts[t]):
            # two words of two texts would say nothing of the rest
            at = typical(vectors[members], centroids[t], [texts[i] for i in members],
                         lambda i, m=members: stands_for(m[i]) and not names_someone(m[i]))
            central = texts[members[at]] if at is not None else ""
            name = mixed_name(list(dict.fromkeys(texts[i] for i in members)), languages[t],
                              central, len(members))
            mixed[name] += 1
            name = name if mixed[name] == 1 else f"{name} ({mixed[name]})"
        else:
            def fits(word: str, t: int = t, forms: dict[str, str] = forms) -> bool:
                """``word`` may be in a name's completed phrase (``_modifying``): the theme
                shows it in lower case ("SVN", "Kentucky" are not modifiers) and it is no
                person's name as the theme says it."""
                return word not in forms and not named_as.in_keyword(word, t)
            if cand_vectors and cands:
                name = name_by_meaning(cands, np.stack([cand_vectors[w] for w in cands]),
                                       centroids[t], taken, raw[t], subjects[t], fits)
            else:
                name = suggest_name(cands, texts[reps[0]] if reps else "", taken, raw[t],
                                    subjects[t], fits)
            taken.add(name.split(" & "))
            name = as_written(name, forms, full)
        if by_language[t]:
            # what the theme is: its texts' language; its own words name a second one so
            name = by_language[t] if by_language[t] not in named else f"{by_language[t]}: {name}"
            named.add(by_language[t])
        out[t] = ThemeLabel([as_written(w, forms, full) for w in kws[t]], reps, name,
                            bool(by_language[t]))
    return out  # type: ignore[return-value]


def _no_shared_word(said: Counter[str], different: int) -> bool:
    """A theme of three ``different`` texts or more that share no word: none is said
    (``said``: in how many of them each word is, ``_Said``), with its inflections (``stem``),
    in three of them, nor in half of them. QA's theme of emoji, "12345", a spreadsheet
    formula, a Welsh, a Chinese and an Arabic note and two English test lines was named
    "Different text & gweithio hyblyg", two words each said by one (repeated) note."""
    if different < 3:
        return False
    enough = min(3, (different + 1) // 2)
    if max(said.values(), default=0) >= enough:
        return False
    by_stem: Counter[str] = Counter()
    for word, n in said.items():
        by_stem[stem(word)] += n
    return max(by_stem.values(), default=0) < enough


SHORT_TEXT = 8          # words of a short text (a sticky note, a test line)
TYPICAL_POOL = 100      # texts, the most central first, that may name a theme sharing no word


def typical(vectors: np.ndarray, centroid: np.ndarray, texts: Sequence[str],
            usable: Callable[[int], bool]) -> int | None:
    """The text (an index into ``vectors``, ``texts``) that stands best for a theme whose
    texts share no word: closest to its centre plus its median closeness to the theme's other
    different texts (each counted once), of the ``TYPICAL_POOL`` most central ``usable``
    texts; None if none is. Closeness to the centre alone is closeness to the mean of the
    others, which a text unlike most of them can win: QA's canvas named a theme of three
    wellbeing notes and one IT note "“The old HR system” and 3 more" (0.728 from the centre,
    median 0.28 to the others) rather than "Employee assistance line" (0.720, median 0.37).
    The median alone took the texts any pile of notes is close to ("test", "agree", "asdf")."""
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        first.setdefault(text, i)
    distinct = np.array(sorted(first.values()), int)
    central = vectors[distinct] @ centroid
    order = np.argsort(-central, kind="stable")
    pool = [j for j in order if usable(int(distinct[j]))][:TYPICAL_POOL]
    if len(pool) < 2 or len(distinct) < 3:
        return int(distinct[pool[0]]) if pool else None
    close = vectors[distinct[pool]] @ vectors[distinct].T
    close[np.arange(len(pool)), pool] = np.nan                         # not itself
    score = central[pool] + np.nanmedian(close, axis=1)
    return int(distinct[pool[int(np.argmax(score))]])


QUOTED_CHARACTERS = 40  # of the central text that names a theme of texts sharing no word


def mixed_name(texts: Sequence[str], languages: Counter[str], central: str = "",
               cards: int = 0) -> str:
    """The name of a theme whose different ``texts`` share no word (``_no_shared_word``):
    its ``central`` text (``typical``: one with a word, no address and no link), quoted and
    cut at a word to about ``QUOTED_CHARACTERS``, and how many more of its ``cards`` there
    are: "“hybrid works for me” and 7 more", so that five such themes are not all "Mixed
    short texts". Without such a text: "Mixed short texts" when more than half of
    them are of ``SHORT_TEXT`` words or fewer, else "Mixed texts". ", in 4 languages" added
    when its texts read as two or more (``languages``: its texts' count of each, ``_tally``'s;
    emoji or numbers tell none)."""
    told = [lang for lang, n in languages.items() if lang and n]
    if central.strip():
        name = f"“{_shortened(central)}” and {max(cards, len(texts)) - 1} more"
        return f"{name}, in {len(told)} languages" if len(told) > 1 else name
    lengths = sorted(len(text.split()) for text in texts)
    name = "Mixed short texts" if lengths[len(lengths) // 2] <= SHORT_TEXT else "Mixed texts"
    return f"{name} in {len(told)} languages" if len(told) > 1 else name


def _shortened(text: str) -> str:
    """``text`` on one line, cut after the last whole word within ``QUOTED_CHARACTERS`` that
    is no stop word ("Allow them to be at the forefront…", not "… at the…"; at least its
    first word), "…" marking the cut; double quotes dropped."""
    words = text.replace("“", " ").replace("”", " ").replace('"', " ").split()
    for n in range(1, len(words)):
        if len(" ".join(words[:n + 1])) > QUOTED_CHARACTERS:
            while n > 1 and words[n - 1].lower().strip(".,;:!?") in _STOP_LANGUAGES:
                n -= 1
            return " ".join(words[:n]).rstrip(".,;:-–—") + "…"
    return " ".join(words)


def other_languages(languages: Sequence[Counter[str]]) -> list[str]:
    """For each theme, from the languages its texts read as (``_tally``): "Texts in Welsh"
    when more than half of them are in a language other than the study's (the one more than
    half of all the themes' texts of a known language read as; none if there is no such
    language, as in a study in two languages as much) and most of those in that one; "Texts
    in other languages" when they are in several, none most; "" for a theme mostly in the
    study's language, or of texts whose language cannot be told. Keywords and names made of
    words of a language the researchers may not read ("Gweithio & hyblyg"), or of a few English words of a theme the
    model made of texts it could not read ("Comma & line"), do not say what such a theme is."""
    overall: Counter[str] = Counter()
    for counted in languages:
        overall.update(counted)
    del overall[""]
    main = max(sorted(overall), key=lambda lang: overall[lang], default="")
    if 2 * overall[main] <= sum(overall.values()):        # no language most texts are in
        return [""] * len(languages)
    out = []
    for counted in languages:
        other = {lang: n for lang, n in counted.items() if lang not in ("", main)}
        foreign = sum(other.values())
        if 2 * foreign <= sum(counted.values()):
            out.append("")
            continue
        top = max(sorted(other), key=lambda lang: other[lang])
        out.append(f"Texts in {language_name(top)}" if 2 * other[top] > foreign
                   else "Texts in other languages")
    return out
