"""The themes a selected card reads most like: the Details panel's "Reads most like" offer.

Nothing is embedded on a click: cards without a cached vector are offered nothing. The placed
cards' vectors are read once and kept until a change moves cards or their texts, so going from
card to card reads one vector each."""
from __future__ import annotations

from typing import Any, Callable

from ..analysis import NO_VECTORS
from .reading import Background, Reads

# changes to these change which cards a theme holds or what they say: the kept vectors go. A
# recoloured or nested theme keeps them (names are read when shown), and so does a renamed
# one unless it reads by its name (``nearest_offer`` sees that); a deleted one takes its card
# places with it.
OFFER_TABLES = frozenset({"card_places", "statements", "notes", "passages", "documents"})
# changes to these change what the cards say (a move does not): the Details panel's names of
# every card (its place-name caution) are read again only then
TEXT_TABLES = OFFER_TABLES - {"card_places"}


class NearestOffer:
    def __init__(self, project: Callable[[], Any],
                 background: Callable[[], Background | None]) -> None:
        self.project = project
        self.reads = Reads(project, background)
        # (model, the placed cards' ThemeVectors or NO_VECTORS, the themes read by their names)
        self.vectors: tuple | None = None
        self.version = 0                    # how many times the kept vectors went
        self.texts_version = 0              # how many times of those the cards' texts changed
        self._reading = False               # a read is on its way
        self._next: tuple | None = None     # (ref, show) asked meanwhile

    @property
    def none_embedded(self) -> bool:
        """The last read found no card embedded with the project's model (``vectors`` kept as
        ``NO_VECTORS``): nothing can read alike until the cards are embedded, which a
        view may say instead of showing nothing. False before the first read and after a
        change (``forget``), until read again."""
        return self.vectors is not None and self.vectors[1] is NO_VECTORS

    def note_changes(self, changes: Any) -> None:
        """The project changed (a ``ChangeSet``, as the window's views are told of it): the
        kept vectors go at once if the change can move them."""
        if changes.tables() & OFFER_TABLES:
            self.forget(texts=bool(changes.tables() & TEXT_TABLES))

    def forget(self, texts: bool = True) -> None:
        """The board changed (or another project opened): the vectors are read again, and an
        answer on its way is not shown (the window asks again for the selected card).
        ``texts``: what the cards say may have changed too (False: only where they lie)."""
        self.version += 1
        self.texts_version += texts
        self.vectors = None
        self.reads.forget("offer")
        self._reading, self._next = False, None

    def ask(self, ref: Any, show: Callable[..., None]) -> None:
        """``show(ref, [(theme id, cosine)], movable=)``, ``movable`` False in a read-only
        project; one read at a time (on the window's reader over a big board), the card asked
        for meanwhile waiting for it."""
        project = self.project()
        if project is None:
            return
        if self._reading:
            self._next = (ref, show)
            return
        from ..analysis import nearest_offer
        kept = self.vectors
        self._reading = True

        def done(result: tuple) -> None:
            self._reading = False
            self.vectors, offer = result
            waiting, self._next = self._next, None
            if waiting is not None and waiting[0] != ref:
                self.ask(*waiting)
            else:
                show(ref, offer, movable=not project.read_only)
        # an offer is a help: the details stand without it (asked again on the next click)
        self.reads.ask("offer", lambda p: nearest_offer(p, ref, kept), done,
                       fallback=(None, []))
