"""Counts and lists in words, as every message, export and the command line write them."""
from __future__ import annotations

from typing import Sequence


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 card", "2 cards", "1,500 cards"; ``many`` for a plural not made with "s" ("cities")."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def and_list(parts: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"; "" for none."""
    return "" if not parts else parts[0] if len(parts) == 1 else \
        ", ".join(parts[:-1]) + " and " + parts[-1]


def shortened(text: str, limit: int) -> str:
    """``text`` on one line (each run of spaces and line breaks one space), cut to at most
    ``limit`` characters with "…" after the last whole word that fits; a word running past
    half of ``limit`` is cut inside (a long id or path, "local s…" would otherwise be "A…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if text[limit - 1] != " ":           # the head ends inside a word
        space = head.rfind(" ")
        if space >= limit // 2:
            head = head[:space]
    return head.rstrip() + "…"
