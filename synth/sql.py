"""Queries over long lists of values (``... WHERE id IN (?, ?, ...)``), split so that no one
statement binds more values than SQLite accepts."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# SQLite refuses a statement binding more values than SQLITE_MAX_VARIABLE_NUMBER: 32,766 by
# default since SQLite 3.32 (999 before; builds may raise it: Debian's 3.40.1 takes 250,000).
# A third of the default leaves room for a query's other values, and a 120,000-card board is
# still read in a dozen queries.
IN_LIMIT = 10_000


def chunks(values: Sequence[T], size: int = IN_LIMIT) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``, in order."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def rows_in(run: Callable[[str, list[Any]], Iterable[Any]], sql: str, values: Sequence[Any],
            before: Sequence[Any] = (), size: int = IN_LIMIT) -> Iterator[Any]:
    """The rows of ``sql``, a query that ends in ``IN``, for all of ``values``: one
    ``run(sql + " (?,...,?)", [*before, *chunk])`` per chunk of ``size`` values. ``before``: the
    values of the query's parameters that come before the list. ``run`` is ``project.query``,
    ``tx.query`` or ``db.execute``; the rows come chunk after chunk, as ``run`` gives them."""
    for chunk in chunks(values, size):
        yield from run(f"{sql} ({','.join('?' * len(chunk))})", [*before, *chunk])
