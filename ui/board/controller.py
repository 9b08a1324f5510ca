"""What a researcher does to themes on the board, as operations pushed onto the undo stack.

Each method takes its inputs as arguments (tests and the keyboard call them directly) and asks
with a small dialog only when an input is missing. The board itself follows the ChangeSets.
"""
from __future__ import annotations

from itertools import repeat
from operator import attrgetter, ne
from typing import Any, Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QInputDialog, QWidget

from synth.board import (Batch, CastDots, CreateTheme, DeleteTheme, MergeThemes, MoveCards,
                         NestTheme, SplitTheme, UpdateTheme)
from synth.words import plural

from ..panels.reading import Background, Reads
from .asking import confirm_delete_themes
from .data import merge_name_of, merge_target, theme_path, with_subthemes
from .scene import BoardScene, Selection
from .suggest import word_suggestions

_THEME_OF = attrgetter("card.theme_id")     # of a card item: its card's theme


class BoardController:
    def __init__(self, scene: BoardScene, run_operation: Callable[[Any], Any],
                 notify: Callable[[str], None], parent: QWidget | None = None) -> None:
        self.scene = scene
        self.run = run_operation
        self.notify = notify
        self.info: Callable[[str], None] = notify    # the window's plain news (not a warning)
        self.parent = parent
        self.suggestion_source = ""      # "embeddings" or "words": how the last were found
        # ``background(read, on_done) -> bool`` (the window's): over a big project, read on a
        # worker and hand the result back on the GUI thread; None or False: read here.
        self.background: Background | None = None
        self.reads = Reads(lambda: self.scene.project, lambda: self.background)
        # ``embed_names(done) -> bool`` (the window's ``embed_theme_names``): embed the
        # names of the themes that read by them on a worker, then ``done(ok)`` on the GUI
        # thread; False when it cannot
        self.embed_names: Callable[[Callable[[bool], None]], bool] | None = getattr(
            parent, "embed_theme_names", None)
        self._names_tried: set[tuple[str, str]] = set()   # (project file, name) embedded once
        self._reading_name: int | None = None   # the theme whose name is being embedded

    # ------------------------------------------------------------------ helpers
    def _ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def current_theme(self, selection: Selection | None = None) -> int | None:
        """The theme the researcher means: a selected frame, else the frame of the selection.
        ``selection``: the board's, when the caller has read it already."""
        sel = selection if selection is not None else self.scene.selection()
        if sel.theme_ids:
            return sel.theme_ids[0]
        if sel.cards:
            cards = self.scene.cards
            tid = cards[sel.cards[0].ref].theme_id
            if tid is None or len(sel.cards) > len(self.scene.members().get(tid, ())):
                return None     # unsorted, or more cards than the theme holds: no theme
            # cards of two themes mean none: stop at the first card elsewhere. A filled board's
            # items hold the scene's own card data: read there, not looked up by ref (20,000
            # cards of one theme selected: 3.5 times as long, on each change of the selection)
            if self.scene.ready:     # no Python frame per card: told once a frame by a band
                elsewhere = any(map(ne, map(_THEME_OF, sel.cards), repeat(tid)))
            else:       # being filled again: the items take the new data slice by slice
                elsewhere = not all(cards[c.ref].theme_id == tid for c in sel.cards)
            return None if elsewhere else tid
        if sel.ghosts:
            return self.scene.ghost_theme(sel.ghosts[0])
        return None

    def theme_choices(self, exclude: set[int] | None = None) -> list[tuple[int, str]]:
        exclude = exclude or set()
        from .data import ordered_themes
        return [(t.id, theme_path(self.scene.themes, t.id))
                for t in ordered_themes(self.scene.themes) if t.id not in exclude]

    # ------------------------------------------------------------------ themes
    def create_theme_from_selection(self, name: str | None = None) -> int | None:
        refs = self.scene.selected_refs()
        if name is None:
            name = self._ask_text("New theme", f"Name of the new theme "
                                  f"({plural(len(refs), 'card')}):")
            if name is None:
                return None
        n = len(self.scene.themes)
        col, row = n % 8, n // 8
        tid = self.run(CreateTheme(name, cards=refs, x=float(col), y=float(row)))
        if tid in self.scene.themes:    # the new theme is the one in hand, and in sight
            self.scene.select_theme(tid)
            for view in self.scene.views():
                view.bring_into_sight(self.scene.frame_rect(tid))
        return tid

    def rename_theme(self, theme_id: int | None = None, name: str | None = None) -> None:
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None or theme_id not in self.scene.themes:
            self.notify("Select a theme (click its title) to rename it.")
            return
        if name is None:
            name = self._ask_text("Rename theme", "New name:", self.scene.themes[theme_id].name)
            if name is None:
                return
        if name.strip() == self.scene.themes[theme_id].name:
            return      # OK on the name as it was: no step, and the name stays the machine's
        self.run(UpdateTheme(theme_id, {"name": name}))

    def recolour_theme(self, theme_id: int | None = None, colour: str | None = None) -> None:
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None or theme_id not in self.scene.themes:
            self.notify("Select a theme to change its colour.")
            return
        if colour is None:
            c = QColorDialog.getColor(QColor(self.scene.themes[theme_id].colour), self.parent,
                                      "Theme colour")
            if not c.isValid():
                return
            colour = c.name()
        self.run(UpdateTheme(theme_id, {"colour": colour}))

    def merge_themes(self, theme_ids: list[int] | None = None,
                     target_id: int | None = None) -> None:
        ids = theme_ids if theme_ids is not None else self.scene.selected_theme_ids()
        if len(ids) < 2:
            self.notify("Select two or more themes (Ctrl+click their titles) to merge them.")
            return
        themes = self.scene.themes
        totals = with_subthemes(themes, self.scene.members())
        if target_id is None:   # the theme the researcher worked on keeps its id
            target_id = merge_target(themes, list(ids), totals)
        # and the name they gave, whichever theme bore it
        self.run(MergeThemes(list(ids), target_id,
                             keep_name_of=merge_name_of(themes, list(ids), totals, target_id)))
        if target_id in self.scene.themes:      # merged: the theme of both is the one in hand
            self.scene.select_theme(target_id)

    def pin_theme(self, theme_id: int | None = None, pinned: bool | None = None) -> None:
        """Pin a theme (``pinned`` None: the other way round from now): a pinned theme and its
        cards stay as they are when the candidate themes are found again. One undo step."""
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None or theme_id not in self.scene.themes:
            self.notify("Select a theme (click its title, or choose it in the Themes list) to "
                        "pin it.")
            return
        now = self.scene.themes[theme_id].pinned
        pinned = (not now) if pinned is None else bool(pinned)
        if pinned != now:       # one step, named for the History list
            name = self.scene.themes[theme_id].name
            self.run(Batch([UpdateTheme(theme_id, {"pinned": int(pinned)})],
                           label=f"{'Pin' if pinned else 'Unpin'} theme “{name}”"))

    def split_selection(self, name: str | None = None, *, as_subtheme: bool = True) -> None:
        refs = self.scene.selected_refs()
        tids = {self.scene.cards[r].theme_id for r in refs}
        if not refs or len(tids) != 1 or None in tids:
            self.notify("Select cards inside one theme to split them off.")
            return
        tid = tids.pop()
        if name is None:
            name = self._ask_text("Split theme", "Name of the new part:")
            if name is None:
                return
        self.run(SplitTheme(tid, [(name, refs)], as_subthemes=as_subtheme))

    def nest_theme(self, theme_id: int | None, parent_id: int | None) -> None:
        if theme_id is None:
            return
        self.run(NestTheme(theme_id, parent_id))

    def delete_theme(self, theme_id: int | None = None) -> None:
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None:
            self.notify("Select a theme to delete it.")
            return
        theme = self.scene.themes.get(theme_id)
        if not confirm_delete_themes(self.parent, self.scene.project, [theme_id],
                                     [theme.name] if theme else None):
            self.info("Nothing deleted.")
            return
        self.run(DeleteTheme(theme_id))

    def accept_candidates(self, theme_ids: list[int] | None = None) -> None:
        if theme_ids is None:   # one read of the selection (120,000 cards: 200 ms), not three
            sel = self.scene.selection()
            tid = self.current_theme(sel)
            theme_ids = sel.theme_ids or ([tid] if tid is not None else [])
        ids = [t for t in theme_ids if t in self.scene.themes
               and self.scene.themes[t].status == "candidate"]
        if not ids:
            self.notify("Select a candidate theme to accept it.")
            return
        self.run(Batch([UpdateTheme(t, {"status": "accepted"}) for t in ids],
                       label=f"Accept {plural(len(ids), 'candidate theme')}"))

    def accept_all_candidates(self) -> None:
        ids = [t.id for t in self.scene.themes.values() if t.status == "candidate"]
        if ids:
            self.accept_candidates(ids)

    def dissolve_theme(self, theme_id: int | None = None) -> None:
        """A candidate the researcher rejects: its cards go back to unsorted."""
        self.delete_theme(theme_id)

    def auto_arrange(self, theme_id: int | None = None) -> None:
        """Order a theme's cards: statements by agreement, then notes and passages by place."""
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None:
            self.notify("Select a theme to arrange its cards.")
            return
        cards = self.scene.members().get(theme_id, [])
        kind_rank = {"statement": 0, "note": 1, "passage": 2}
        cards = sorted(cards, key=lambda c: (kind_rank.get(c.kind, 3), c.site,
                                             -(c.agree_share or 0.0), c.text.lower()))
        self.run(MoveCards([c.ref for c in cards], theme_id,
                           [(0.0, float(i)) for i in range(len(cards))]))

    def move_selected(self, target: Any) -> None:
        """Target from the picker: a theme id, "__unsorted__", or ("__new__", name)."""
        from ..picker import NEW_THEME, UNSORTED
        refs = self.scene.selected_refs()
        if not refs:
            self.notify("Select cards first (click, Shift+arrows or drag a box around them).")
            return
        if isinstance(target, tuple) and target[0] == NEW_THEME:
            self.create_theme_from_selection(target[1])
        elif target == UNSORTED:
            self.scene.move_cards(refs, None)
        else:
            self.scene.move_cards(refs, int(target))

    # ------------------------------------------------------------------ suggestions
    def more_like_this(self, theme_id: int | None = None, k: int = 6) -> int:
        """Show as ghosts the cards that read most like a theme; their number (0 while a big
        project's suggestions are still being read on a worker, or while the theme's name is
        embedded on one)."""
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None:
            self.notify("Select a theme to see cards like it.")
            return 0
        from ..analysis import card_suggestions
        shown: list[int] = []
        # from the sentence embeddings when every card has its vector cached, else by words;
        # a read that fails (a model folder gone) shows words from the board (None)
        if self.reads.ask("suggestions", lambda p: card_suggestions(p, theme_id, k),
                          lambda found: shown.append(self._show_suggestions(theme_id, k, found)),
                          fallback=None):
            return 0
        return shown[0] if shown else 0

    def _show_suggestions(self, theme_id: int, k: int, found: Any) -> int:
        from ..analysis import Found
        if theme_id not in self.scene.themes:   # deleted while the suggestions were read
            return 0
        if found is None:                       # the read failed: words from the board
            found = Found("words", word_suggestions(self.scene.cards, self.scene.themes,
                                                    theme_id, k),
                          "the embeddings could not be read")
        names = {(str(getattr(self.scene.project, "path", "")), t) for t in found.names}
        if names and self.embed_names is not None and not names <= self._names_tried \
                and self.embed_names(lambda ok: self.more_like_this(theme_id, k) if ok else 0):
            # the cards are embedded, the theme's name not yet: a second on a worker, and the
            # embeddings answer (tried once per name: should it not be cached, words answer)
            self._names_tried |= names
            self._reading_name = theme_id
            self.info("Reading the theme's name with the embedding model…")
            return 0
        self.suggestion_source, refs, why = found.source, found.refs, found.why
        self.scene.set_suggestions(theme_id, refs, found.scores or None)
        words = self.suggestion_source == "words"
        by_name, self._reading_name = self._reading_name == theme_id, None
        if not refs:
            self.notify("No card shares words with this theme." if words else
                        "No card reads like this theme.")
        elif words:     # rougher than the embeddings: the researcher should know which
            self.info(f"{plural(len(refs), 'card')} suggested by shared "
                      f"words: {why}.")
        elif by_name:   # said in place of "Reading the theme's name…", and says what read
            self.info(self._read_by_name(theme_id, len(refs)))
        return len(refs)

    def _read_by_name(self, theme_id: int, n: int) -> str:
        theme = self.scene.themes[theme_id]
        held = len(self.scene.members().get(theme_id, ()))
        what = "its name" + (" and description" if theme.description.strip() else "")
        return (f"{plural(n, 'card')} suggested for “{theme.name}” by what "
                + (f"{what} say{'s' if what == 'its name' else ''}: it holds no card yet."
                   if not held else f"its cards and {what} say (the name counts while the "
                   "theme holds few cards)."))

    def accept_ghosts(self, ghosts: list | None = None) -> None:
        """Move suggested cards into the themes they were suggested for: one undo step,
        saying how many came out of other themes (the suggestion said so on each card)."""
        sc = self.scene
        ghosts = ghosts if ghosts is not None else sc.selected_ghosts()
        by_theme: dict[int, list] = {}
        taken: dict[int, int] = {}              # theme a card leaves -> how many
        for g in ghosts:
            tid = sc.ghost_theme(g)
            if tid is None or g.ref not in sc.cards or sc.cards[g.ref].theme_id == tid:
                continue
            by_theme.setdefault(tid, []).append(g.ref)
            was = sc.cards[g.ref].theme_id
            if was in sc.themes:
                taken[was] = taken.get(was, 0) + 1
        if not by_theme:
            return
        moves = [MoveCards(refs, tid, sc.append_positions(tid, len(refs)))
                 for tid, refs in by_theme.items()]
        n = sum(len(r) for r in by_theme.values())
        into = ", ".join(f"“{sc.themes[t].name}”" for t in by_theme)
        op = moves[0] if len(moves) == 1 else Batch(moves, label=f"Accept {n} suggestions")
        self.run(op)
        if not any(sc.cards[r].theme_id == t for t, refs in by_theme.items() for r in refs):
            return                              # refused (read-only, a task running …)
        said = f"Moved {plural(n, 'suggested card')} into {into}"
        out = sum(taken.values())
        if out:
            names = ", ".join(f"“{sc.themes[t].name}” ({k})" if t in sc.themes else str(k)
                              for t, k in sorted(taken.items(), key=lambda x: -x[1]))
            said += f"; {out} of them out of other themes: {names}"
        self.info(said + ". Ctrl+Z puts them back.")

    def accept_all_ghosts(self, theme_id: int | None = None) -> None:
        theme_id = theme_id if theme_id is not None else self.current_theme()
        if theme_id is None and len(self.scene.ghosts) == 1:
            theme_id = next(iter(self.scene.ghosts))
        ghosts = self.scene.ghosts.get(theme_id, []) if theme_id is not None else []
        if not ghosts:
            self.notify("No suggestions to accept: press L on a theme to see some.")
            return
        self.accept_ghosts(list(ghosts))

    # ------------------------------------------------------------------ dot voting
    def cast_dot(self, theme_id: int | None, voter: str) -> None:
        if theme_id is None:
            self.notify("Select a theme to give it a dot.")
            return
        self.run(CastDots(theme_id, voter or "Anonymous", 1))
