"""Details of what is selected on the board: a card's full text, provenance and figures, or a
theme's summary. Every percentage says of how many who voted.

A theme found by the analysis shows the cards its run chose to represent it (those still in
it), and any theme a caution when most of its cards share a name that many cards outside it
say too (``synth.themes.caution``): both are read through the offer's reads, on the window's
reader over a big board, and drawn when they come."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QMetaMethod, QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from exports.figures import FLAG, SMALL_N_DEFAULT
from synth.votes.group_names import GroupNames
from synth.votes.small_n import few_voted
from synth.votes.statement_figures import percent

from synth.board import REFRESH_UP_TO, CardRef
from synth.themes.board_names import card_names
from synth.themes.caution import NameCaution, name_caution
from synth.themes.representatives import run_representatives
from synth.themes.tree import line_up

from ..board.data import CardData, summary_line, theme_path


# what the keys do with the selected cards: a row each, the key in a column of its own, so a
# narrow panel wraps the words beside it (in one line they broke across keys)
MANY_CARDS_KEYS = (("M", "move the cards to a theme"), ("Ctrl+G", "new theme from them"),
                   ("E", "link them to a recommendation"), ("Q", "quote them"))


class DetailsPanel(QWidget):
    """Shows what is selected, each time the window says so (after every change too): the page
    is set again only when its text differs, and the offer (``offer``, set by the window) is
    asked again only for another card or after a change that can alter it (see
    ``NearestOffer.version``)."""
    move_requested = Signal(object, int)     # a card's ref, the theme to move it to
    merge_requested = Signal(int, int)       # the shown theme, the theme to merge it with
    theme_requested = Signal(int)            # a theme to bring into view
    pin_requested = Signal(int, bool)        # the shown theme, pinned or not
    cards_requested = Signal(list)           # cards to select and bring into view on the board
    offer: Any = None                        # a NearestOffer: "Reads most like"
    # figures on fewer votes are marked as the report marks them: the project's threshold,
    # set by the window (``FigureRegistry.for_project``)
    small_n: int = SMALL_N_DEFAULT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Details")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Details of the selection")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        self._card: CardData | None = None
        self._theme: tuple | None = None    # (theme, themes, its cards) shown
        self._themes: dict[int, Any] = {}
        self.nearest: list[tuple[int, float]] = []
        self._movable = True
        # the cards on the board: past synth.board.REFRESH_UP_TO a move keeps a theme's keywords
        self.board_size = 0
        self._offered: Any = None       # (card or theme, offer version) the offer was asked for
        self._holding = False           # the card is being shown: its offer waits to be drawn
        self._html = ""
        # a theme's representatives (the run's, None: made by hand) and name caution, by theme
        self._extras: dict[int, tuple[list[CardRef] | None, NameCaution | None]] = {}
        self._extras_for: Any = None    # (offer version) the extras were read at
        # (offer version, Names, every card's theme, the offer's texts_version read at)
        self._names: tuple | None = None
        self._names_asked: Any = None       # the version they were last asked for at
        self._waiting: dict[int, list[CardRef]] = {}    # themes whose caution awaits names
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.browser)
        self.show_nothing()

    @property
    def no_vectors(self) -> bool:
        """The offer found no embedded cards (``NearestOffer.none_embedded``): nothing reads
        alike until the cards are embedded, which the panel says instead of showing nothing."""
        return self.offer is not None and self.offer.none_embedded

    def _set_html(self, html: str, card: CardData | None = None,
                  theme: tuple | None = None) -> None:
        """Show ``html`` (about ``card``, or ``theme``, or neither) unless it is shown already."""
        self._card, self._theme = card, theme
        if card is None and theme is None:
            self._offered = None
        if html != self._html:
            self._html = html
            self.browser.setHtml(html)

    def _subject(self) -> Any:
        """What the offer is about: the shown card's ref, or ("theme", id)."""
        if self._card is not None:
            return self._card.ref
        return ("theme", self._theme[0].id) if self._theme is not None else None

    def show_nothing(self) -> None:
        self._set_html("<p style='color:#666'>Select a card or a theme to see its details.</p>")

    def show_card(self, c: CardData, themes: dict[int, Any]) -> None:
        self._card, self._theme, self._themes = c, None, themes
        self._ask_offer(c.ref, themes)
        self._render_card()

    def show_theme(self, theme: Any, themes: dict[int, Any], cards: list[CardData]) -> None:
        self._card, self._theme, self._themes = None, (theme, themes, cards), themes
        self._ask_offer(("theme", theme.id), themes)
        self._ask_extras(theme.id, cards)
        self._render_theme()

    # ------------------------------------------------------------ representatives and caution
    def _ask_extras(self, theme_id: int, cards: list[CardData]) -> None:
        """Read the theme's representatives and its name caution, unless read since the last
        change that moves cards or their texts (the offer's version counts those). Every
        card's names are read once per version, by the first theme asked; the themes asked
        meanwhile get their caution when they come."""
        reads = getattr(self.offer, "reads", None)
        if reads is None:
            return
        version = self.offer.version
        if self._extras_for != version:
            self._extras, self._extras_for, self._waiting = {}, version, {}
        if theme_id in self._extras:
            return
        self._extras[theme_id] = (None, None)       # asked: not asked again meanwhile
        self._waiting[theme_id] = [c.ref for c in cards]
        current = self._names if self._names is not None and self._names[0] == version \
            else None
        with_names = current is None and self._names_asked != version
        if with_names:
            self._names_asked = version
        kept = self._names[1] if self._names is not None else None
        texts_version = self.offer.texts_version
        same_texts = self._names is not None and self._names[3] == texts_version
        refs = self._waiting.pop(theme_id) if current is not None else []

        def read(p: Any) -> tuple:
            """(representatives, every card's names when read, the caution when they are
            at hand: 40 ms for a theme of 10,000 cards, off the GUI thread too)"""
            reps = run_representatives(p, theme_id)
            if current is not None:
                return reps, None, name_caution(current[1], theme_id, refs, current[2])
            return reps, card_names(p, kept, same_texts) if with_names else None, None

        def done(answer: tuple | None) -> None:
            if answer is None:                      # failed: the theme stands without them
                return
            reps, names, caution = answer
            if names is not None:                   # kept for the texts, if moved since
                self._names = (version, *names, texts_version)
            if self._extras_for != version:
                return
            self._extras[theme_id] = (reps, caution or self._extras[theme_id][1])
            self._caution_waiting()
            if self._theme is not None and self._theme[0].id in self._extras \
                    and not self._holding:
                self._render_theme()
        self._holding = True        # an answer at once is drawn with the page
        try:
            reads.ask(f"theme-{theme_id}", read, done, fallback=None)
        finally:
            self._holding = False

    def _caution_waiting(self) -> None:
        """The name caution of the themes asked for since the names were last read."""
        if self._names is None or self._names[0] != self._extras_for:
            return
        _version, names, place, _texts = self._names
        for tid, refs in self._waiting.items():
            reps = self._extras.get(tid, (None, None))[0]
            self._extras[tid] = (reps, name_caution(names, tid, refs, place))
        self._waiting = {}

    def _representatives_html(self, theme_id: int, cards: list[CardData]) -> str:
        reps = self._extras.get(theme_id, (None, None))[0]
        if not reps:
            return ""
        by_ref = {c.ref: c for c in cards}
        here = [by_ref[r] for r in reps if r in by_ref]
        if not here:            # all moved: to other themes, or into its parts by a split
            return ""
        gone = len(reps) - len(here)
        e = html.escape
        linked = self.isSignalConnected(QMetaMethod.fromSignal(self.cards_requested))
        rows = []
        for c in here:
            said = f"{e(c.badge)} · " + (f"S{c.id}" if c.kind == "statement" else e(c.kind))
            if c.kind == "statement" and c.votes:
                said += f" · {percent(c.agree, c.votes)} %{_flag(c.votes, self.small_n)} " \
                        f"agree — of {c.votes:,} who voted"
            if linked:
                said += f" · <a href='card:{c.kind}/{c.id}'>show on the board</a>"
            rows.append(f"<p style='font-size:12pt; margin-left:8px'>“{e(c.text)}”<br>"
                        f"<span style='font-size:9pt; color:#555'>{said}</span></p>")
        if gone:
            rows.append(f"<p style='color:#666'>{gone} of the {len(reps)} the analysis chose "
                        f"{'has' if gone == 1 else 'have'} left the theme since.</p>")
        return ("<p><b>Representative cards</b> (chosen when the analysis found the theme: "
                "near its centre and unlike each other)</p>" + "".join(rows))

    def _caution_html(self, theme_id: int) -> str:
        caution = self._extras.get(theme_id, (None, None))[1]
        if caution is None:
            return ""
        return (f"<p style='color:#8c5a00; font-size:11pt'>⚠ {html.escape(caution.text())}"
                "</p>")

    def _ask_offer(self, subject: Any, themes: dict[int, Any]) -> None:
        asked = (subject, self.offer.version) if self.offer is not None and themes else None
        if asked is not None and asked != self._offered:
            self._offered, self.nearest = asked, []
            self._holding = True            # an answer at once is drawn with the page, once
            try:
                self.offer.ask(subject, lambda ref, offer, movable: self.show_nearest(
                    ref, offer, movable=movable))
            finally:
                self._holding = False
        elif asked is None:
            self._offered, self.nearest = None, []
        else:                               # the same answer: its themes may have gone
            self.nearest = [(t, s) for t, s in self.nearest if t in themes]

    def show_nearest(self, ref: Any, nearest: list[tuple[int, float]],
                     movable: bool = True) -> None:
        """The themes the shown card (or theme) reads most like (theme id, cosine): for a card
        each a link that moves it there, for a theme a link to each and one that merges the two
        (``movable``; plain names in a read-only project); ignored if something else is shown
        by now."""
        if ref is not None and self._subject() == ref:
            self.nearest = [(t, s) for t, s in nearest if t in self._themes]
            if self._theme is not None:     # its own parent or sub-theme is no merge to offer
                own = self._theme[0].id
                self.nearest = [(t, s) for t, s in self.nearest
                                if not _in_line(self._themes, own, t)]
            self._movable = movable
            if not self._holding:
                if self._card is not None:
                    self._render_card()
                else:
                    self._render_theme()

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "move" and self._card is not None and self._movable:
            self.move_requested.emit(self._card.ref, int(url.path()))
        elif url.scheme() == "merge" and self._theme is not None and self._movable:
            self.merge_requested.emit(self._theme[0].id, int(url.path()))
        elif url.scheme() == "theme":
            self.theme_requested.emit(int(url.path()))
        elif url.scheme() == "pin" and self._theme is not None and self._movable:
            self.pin_requested.emit(self._theme[0].id, url.path() == "on")
        elif url.scheme() == "card":
            kind, _, cid = url.path().partition("/")
            self.cards_requested.emit([(kind, int(cid))])

    def _render_card(self) -> None:
        c, themes = self._card, self._themes
        assert c is not None
        e = html.escape
        rows = [f"<p style='font-size:11pt'>{e(c.text)}</p>",
                f"<p><b>{e(c.kind.capitalize())}</b> · {e(c.badge)} · source “{e(c.source_name)}”"
                + (f" · {e(c.site)}" if c.site else "") + "</p>"]
        if c.kind == "statement" and c.votes:
            n, small = c.votes, self.small_n
            flagged = few_voted(n, small)
            rows.append(f"<p><b>{percent(c.agree, n)} %{_flag(n, small)} agree</b>, "
                        f"{percent(c.disagree, n)} % disagree, "
                        f"{percent(c.passed, n)} % pass — of {n:,} who voted</p>")
            # the report's figure for this statement and group (Tally.whole_pct: half up),
            # not a rounding of our own: 12.5 % prints 13 here as it does there; a figure on
            # fewer votes than the report's small-n threshold carries its mark (QA 10)
            short = GroupNames(c.group_names)   # a Pol.is debate's name is its question
            shown = []
            for name, t in zip(c.group_names, c.group_tallies):
                if t is not None and t.n:
                    flagged = flagged or few_voted(t.n, small)
                    shown.append(name)
                    rows.append(f"<div>{e(short.short(name))}: <b>{t.whole_pct()} %"
                                f"{_flag(t.n, small)}</b> agree — of {t.n:,} who voted</div>")
            for line in short.legend(shown):    # the whole name of the statement's debate
                rows.append(f"<div style='color:#666'>{e(line)}</div>")
            if flagged:
                rows.append(f"<p style='color:#8c5a00'>{e(small_n_note(small))}</p>")
        where = theme_path(themes, c.theme_id) if c.theme_id in themes else "Unsorted"
        rows.append(f"<p>Theme: {e(where)}</p>")
        if self.nearest:
            def name(t: int) -> str:
                return (f"<a href='move:{t}'>{e(theme_path(themes, t))}</a>" if self._movable
                        else e(theme_path(themes, t)))
            links = " · ".join(f"{name(t)} ({s:.2f})" for t, s in self.nearest)
            hint = "similarity of meaning, 1 = the same" + (
                "; click a theme to move the card there" if self._movable else "")
            rows.append(f"<p>Reads most like: {links}<br>"
                        f"<span style='color:#666'>{hint}</span></p>")
        elif self.no_vectors:
            rows.append("<p style='color:#666'>Which themes this card reads like shows once "
                        "the cards are embedded: Analysis → Find candidate themes (or "
                        "Candidate themes settings…) embeds them.</p>")
        self._set_html("".join(rows), c)

    def _keywords_said(self, theme: Any, themes: dict[int, Any]) -> str:
        """Whose a theme's keywords are when moves do not find them again
        (``synth.board.refresh_keywords``): a theme with parts keeps its whole cluster's, and
        every theme on a board past ``REFRESH_UP_TO`` cards keeps the analysis's."""
        if self.board_size > REFRESH_UP_TO:
            return (f" (as the analysis found them: on a board of more than {REFRESH_UP_TO:,} "
                    "cards they are not found again when cards move)")
        if any(t.parent_id == theme.id for t in themes.values()):
            return " (of the whole theme, as the analysis found them)"
        return ""

    def _render_theme(self) -> None:
        assert self._theme is not None
        theme, themes, cards = self._theme
        e = html.escape
        subs = sum(1 for t in themes.values() if getattr(t, "parent_id", None) == theme.id)
        summary = summary_line(cards)
        total = getattr(theme, "total", 0)
        if subs and total > len(cards):     # split by similarity: its cards are in its parts
            inside = f"{total} card{'s' if total != 1 else ''} with its {subs} " \
                     f"sub-theme{'s' if subs != 1 else ''}"
            summary = inside if not cards else f"{summary} · {inside}"
        rows = [f"<h2>{e(theme_path(themes, theme.id))}</h2>", f"<p>{e(summary)}</p>",
                self._caution_html(theme.id)]
        if theme.status == "candidate":
            rows.append("<p><i>Candidate theme found by the analysis: accept (A), rename (F2) "
                        "or dissolve (Shift+Del).</i></p>")
        pinned = getattr(theme, "pinned", False)
        if pinned:
            rows.append("<p><b>Pinned</b>: it keeps its cards when the candidate themes are "
                        "found again" + (" · <a href='pin:off'>unpin</a> (Ctrl+P)"
                                         if self._movable else "") + "</p>")
        elif self._movable:
            rows.append("<p><a href='pin:on'>Pin this theme</a> (Ctrl+P) to keep it and its "
                        "cards as they are when the candidate themes are found again</p>")
        if theme.keywords:
            rows.append(f"<p>Keywords{self._keywords_said(theme, themes)}: "
                        f"{e(', '.join(theme.keywords))}</p>")
        if theme.description:
            rows.append(f"<p>{e(theme.description)}</p>")
        if theme.dots:
            rows.append(f"<p>Dot votes: {theme.dots}</p>")
        rows.append(self._representatives_html(theme.id, cards))
        if self.nearest:
            def alike(t: int, s: float) -> str:
                name = f"<a href='theme:{t}'>{e(theme_path(themes, t))}</a> ({s:.2f})"
                return name + (f" — <a href='merge:{t}'>merge</a>" if self._movable else "")
            hint = "similarity of meaning of their cards, 1 = the same" + (
                "; merge: one theme of both, under the name of the one worked on (pinned, "
                "renamed, accepted), else the larger one's (undo brings both back)"
                if self._movable else "")
            rows.append("<p>Reads most like:<br>" + "<br>".join(
                "&nbsp;&nbsp;" + alike(t, s) for t, s in self.nearest)
                + f"<br><span style='color:#666'>{hint}</span></p>")
        elif self.no_vectors:
            rows.append("<p style='color:#666'>Which themes read alike shows once the cards "
                        "are embedded: Analysis → Find candidate themes (or Candidate themes "
                        "settings…) embeds them.</p>")
        self._set_html("".join(rows), theme=self._theme)

    def show_many(self, n_cards: int, n_themes: int) -> None:
        said = " and ".join(f"{n:,} {word}{'s' if n != 1 else ''}"
                            for n, word in ((n_cards, "card"), (n_themes, "theme")) if n)
        keys = "".join(f"<tr><td style='padding-right:8px'><b>{k}</b></td><td>{what}</td></tr>"
                       for k, what in MANY_CARDS_KEYS)
        self._set_html(f"<p>{said} selected.</p><table>{keys}</table>")


def small_n_note(small_n: int) -> str:
    """What the mark on a figure means, in the report's words."""
    return f"{FLAG} fewer than {small_n} voted: read with care (the report marks it the same way)"


def _flag(n: int, small_n: int) -> str:
    return FLAG if few_voted(n, small_n) else ""


def _in_line(themes: dict[int, Any], a: int, b: int) -> bool:
    """One of the two themes lies inside the other (its parent, grand-parent …)."""
    parents = {t: theme.parent_id for t, theme in themes.items()}
    return b in line_up(parents, a)[1:] or a in line_up(parents, b)[1:]
