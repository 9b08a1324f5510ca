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
