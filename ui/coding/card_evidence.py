"""From the board to evidence and quotes by keyboard: the selected cards linked to a
recommendation (or a theme's summary) picked by name, or marked as quotes. Dragging cards onto
an evidence list needs a mouse; these are the same operations (``LinkEvidence``, ``MarkQuote``)
run through the window, one undo step each."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from coding.codebook import flat_codes
from coding.evidence import LinkEvidence
from coding.quotes import MarkQuote, attribution_for
from coding.recommendations import recommendations, theme_numbers

from .report_numbers import recommendation_numbers

Target = tuple[str, int]        # ("recommendation", id) or ("shared" / "want", theme id)
SUMMARIES = (("shared", "what participants shared"), ("want", "what they want to see"))
SHOWN = "   (shown in Recommendations)"


def link_targets(project: Any, shown: Target | None = None) -> list[tuple[Target, str]]:
    """What cards can be linked to, as a picker lists them: the recommendations in report
    order, then each theme's two summaries; ``shown`` (the one the Recommendations panel
    shows) first, so Enter links to it. Numbered as the report numbers them ("Draft:" for
    one the report leaves out: see ``report_numbers``)."""
    recs = recommendations(project)
    rec_numbers = recommendation_numbers(recs)
    out: list[tuple[Target, str]] = [(("recommendation", r.id), f"{rec_numbers[r.id]} {r.title}")
                                     for r in recs]
    numbers = theme_numbers(project)
    for code in flat_codes(project):
        number = numbers.get(code.id) if code.parent_id is None else ""
        name = f"{number} {code.name}" if number else code.name
        out += [((role, code.id), f"{name}: {words}") for role, words in SUMMARIES]
    first = [t for t in out if t[0] == shown]
    if first:
        out.remove(first[0])
        out.insert(0, (first[0][0], first[0][1] + SHOWN))
    return out


def plain_labels(targets: list[tuple[Target, str]]) -> dict[Target, str]:
    """Each target's name as a message says it (without the picker's "shown" mark)."""
    return {t: label.removesuffix(SHOWN) for t, label in targets}


def shown_target(panels: Sequence[Any]) -> Target | None:
    """What the Recommendations panel among ``panels`` shows (None: no such panel, nothing)."""
    return next((p.shown_target() for p in panels if hasattr(p, "shown_target")), None)


def evidence_picker(parent: Any, targets: list[tuple[Target, str]], title: str,
                    on_chosen: Callable[[Target, str], Any]) -> Any:
    """A quick picker of ``targets`` (from ``link_targets``), shown with the keys in its
    filter; Enter calls ``on_chosen(target, its name)``."""
    from ..picker import ThemePicker
    labels = plain_labels(targets)
    picker = ThemePicker(targets, parent, title=title, allow_new=False, allow_unsorted=False)
    picker.filter_edit.setPlaceholderText(
        "Type a recommendation's number or words, or a theme's name; Enter to link")
    picker.filter_edit.setAccessibleName("Recommendation or theme summary filter")
    picker.list.setAccessibleName("Recommendations and theme summaries")
    picker.chosen.connect(lambda t: on_chosen(tuple(t), labels[tuple(t)]))
    picker.show()
    picker.filter_edit.setFocus()
    return picker


def link_operation(target: Target, refs: Sequence[tuple[str, int]]) -> LinkEvidence:
    kind, key = target
    if kind == "recommendation":
        return LinkEvidence(list(refs), recommendation_id=key)
    return LinkEvidence(list(refs), theme_id=key, role=kind)


def linked_already(project: Any, target: Target, refs: Sequence[tuple[str, int]]) -> int:
    kind, key = target
    col, role = ("recommendation_id", "support") if kind == "recommendation" else \
        ("theme_id", kind)
    there = {(r[0], r[1]) for r in project.query(     # one read, however many cards
        f"SELECT item_kind, item_id FROM evidence WHERE {col} = ? AND role = ?", (key, role))}
    return sum(1 for r in refs if tuple(r) in there)


def link_cards(window: Any, target: Target, label: str,
               refs: Sequence[tuple[str, int]]) -> list[int] | None:
    """Link ``refs`` to ``target`` (one undo step), say what was done, and show it in the
    Recommendations panel."""
    known = linked_already(window.project, target, refs)
    ids = window.run_operation(link_operation(target, refs))
    if ids is None:
        return None
    n = len(refs) - known
    if not n:
        said = (f"The selected card was linked to {label} already" if known == 1 else
                f"The {known} selected cards were linked to {label} already")
    else:
        said = f"Linked {n} card{'s' if n != 1 else ''} as evidence to {label}"
        if known:
            said += f" ({known} {'was' if known == 1 else 'were'} linked there already)"
    window.notify.info(said + ".")
    panel = next((p for p in window.coding_panels
                  if type(p).__name__ == "RecommendationsPanel"), None)
    if panel is not None:
        panel.show_target(target)
    return ids


QUOTE_AT_MOST = 200


def quote_cards(window: Any, refs: Sequence[tuple[str, int]]) -> list[int] | None:
    """Each card's whole text as a verbatim quote, attributed by its source's template and
    with consent recorded as for a passage quoted in the Document viewer; a card quoted whole
    already is not quoted twice. One undo step."""
    project = window.project
    if project is None:
        window.notify.warning("Open a project first.")
        return None
    if len(refs) > QUOTE_AT_MOST:        # Ctrl+A then Q: a slip, not 120,000 quotes
        window.notify.warning(f"{len(refs):,} cards are selected: quote at most "
                              f"{QUOTE_AT_MOST} at a time (a quote is a card's words chosen "
                              "for the report). Nothing was quoted.")
        return None
    whole = {(r[0], r[1]) for r in project.query(   # one read, however many cards
        "SELECT item_kind, item_id FROM quotes WHERE start IS NULL AND end IS NULL")}
    fresh = [r for r in refs if tuple(r) not in whole]
    if not fresh:
        window.notify.warning("The selected card is quoted already (see the Quotes panel)."
                              if len(refs) == 1 else
                              "The selected cards are quoted already (see the Quotes panel).")
        return None
    if len(fresh) == 1:
        result = window.run_operation(MarkQuote(*fresh[0]))
        ids = None if result is None else [result]
    else:
        from synth.board import Batch
        ids = window.run_operation(Batch([MarkQuote(*r) for r in fresh],
                                         f"Mark {len(fresh)} quotes"))
    if ids is None:
        return None
    attributions = sorted({attribution_for(project, *r) for r in fresh})
    n, skipped = len(fresh), len(refs) - len(fresh)
    said = (f"Quoted {n} card{'s' if n != 1 else ''}, attributed "
            + "; ".join(f"“{a}”" for a in attributions[:3])
            + ("…" if len(attributions) > 3 else ""))
    if skipped:
        said += f"; {skipped} quoted already"
    window.notify.info(said + ". Consent and redactions are in the Quotes panel.")
    return list(ids)
