"""``python main.py themes FILE.csv --text-column text [--k K] [--seed S] --json OUT.json``

Candidate themes for the texts of one column of a table (CSV or Excel), without a project: the embeddings
are not cached, nothing is written but the JSON. Row indexes count data rows from 0, blank rows
included: ``assignments`` gives each row its theme or -1 (unsorted, or blank: ``blank_rows``
lists the blank ones, which were not clustered). A Pol.is comments.csv's statements that the
moderators rejected (``moderated`` -1) are not clustered either, as the window leaves them off
the board: ``rejected_rows`` lists them.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Sequence

from ..errors import UserError
from ..files import check_output, write_output
from ..importers.common import read_table
from ..words import plural
from .clustering import SEED_MAX   # the random generators the clustering seeds take


def seed_arg(text: str) -> int:
    """``--seed``: a whole number the clustering can take, refused at parsing otherwise (not
    after minutes of embedding)."""
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not 0 <= seed <= SEED_MAX:
        raise argparse.ArgumentTypeError(
            f"{text}: the seed must be a whole number from 0 to {SEED_MAX}")
    return seed


def fraction_arg(text: str) -> float:
    """``--max-unsorted``: a share from 0 to 1, refused at parsing otherwise (nan and inf
    included: they would pass any comparison, or end as bare NaN in the JSON)."""
    try:
        share = float(text)
    except ValueError:
        share = math.nan
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError(
            f"{text}: the share of texts left unsorted must be a number from 0 to 1 "
            "(0.10 is a tenth)")
    return share


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a table (CSV or Excel .xlsx) with one text per row")
    parser.add_argument("--text-column", default="text", help="the column holding the texts")
    parser.add_argument("--k", type=int, default=None,
                        help="number of themes (default: chosen by the clustering)")
    parser.add_argument("--seed", type=seed_arg, default=0,
                        help=f"random seed, 0 to {SEED_MAX} (default 0)")
    parser.add_argument("--max-unsorted", type=fraction_arg, default=0.10,
                        help="largest share of texts left unsorted, 0 to 1 (default 0.10)")
    parser.add_argument("--model-dir", default=None,
                        help="a local sentence-transformers model folder (default: bundled)")
    parser.add_argument("--json", dest="json_out", default=None,
                        help="write the result here (default: standard output)")


def read_rows(path: str, column: str) -> tuple[list[str], list[int]]:
    """The column's texts, one per data row, blank rows included (as ""): the output's row
    indexes are positions among the file's data rows; and the rows a Pol.is moderation column
    (``moderated``) marks rejected (-1), which are not clustered. Problems are the shared
    reader's; a column with no text is one too, naming the file and the column."""
    table = read_table(path, keep_blank_rows=True)
    i = table.require(column)
    texts = [row[i].strip() for row in table.rows]
    if not any(texts):
        raise UserError(f"{path}: no texts to cluster: " + (
            f"the column “{table.headers[i]}” is empty" if texts
            else "the file has no rows below its header"))
    m = table.find("moderated")
    rejected = [r for r, row in enumerate(table.rows)
                if m is not None and m < len(row) and row[m].strip() == "-1" and texts[r]]
    return texts, rejected


def run(texts: list[str], *, k: int | None = None, seed: int = 0, max_unsorted: float = 0.10,
        model_dir: str | None = None, rejected: Sequence[int] = ()) -> dict:
    """``rejected``: rows left out as blank rows are (a moderator's rejection), listed apart."""
    from . import clustering, labels
    from .embeddings import LocalBackend, embed_texts
    from .project_themes import input_hash, library_versions
    started = time.perf_counter()
    if k is not None and k < 1:
        raise UserError("--k must be at least 1")
    left_out = set(rejected)
    rows = [i for i, t in enumerate(texts) if t and i not in left_out]
    if not rows:
        raise UserError("no texts to cluster (every text is blank"
                        + (" or rejected by the moderators)" if left_out else ")"))
    backend = LocalBackend(model_dir)
    kept = [texts[i] for i in rows]
    wordless = {kept[i] for i in clustering.without_words(kept)}
    vectors = embed_texts(kept, backend)
    embedded = time.perf_counter()
    result = clustering.cluster(vectors, k=k, seed=seed, max_unsorted=max_unsorted, texts=kept)
    names = labels.label_themes(kept, vectors, result.labels, result.centroids,
                                embed=lambda words: embed_texts(words, backend))
    assignments = [-1] * len(texts)
    for j, i in enumerate(rows):
        assignments[i] = int(result.labels[j])
    themes = [{"id": t, "label": names[t].name, "keywords": names[t].keywords,
               "size": int((result.labels == t).sum()),
               "representatives": [rows[r] for r in names[t].representatives]}
              for t in range(result.k)]
    suggestions = {str(rows[i]): [[t, s] for t, s in sugg]
                   for i, sugg in result.suggestions.items()}
    # blank rows are -1 in assignments as unsorted texts are, but they were never clustered:
    # they are listed on their own, and are not among params' unsorted
    blank = [i for i, t in enumerate(texts) if not t]
    return {"assignments": assignments, "blank_rows": blank,
            "rejected_rows": sorted(left_out), "themes": themes,
            "unsorted_suggestions": suggestions,
            "seconds": round(time.perf_counter() - started, 3),
            "embedding_seconds": round(embedded - started, 3),
            "params": {**result.params, "model": backend.model_name, "texts": len(texts),
                       "empty_rows": len(blank), "rejected_rows": len(left_out),
                       "sortable_texts": len(set(kept) - wordless),
                       # the project's theme runs record the same hash of what was clustered
                       "input_hash": input_hash(backend.model_name,
                                                [("row", i) for i in rows], kept),
                       "libraries": library_versions()}}


def main(args: argparse.Namespace) -> int:
    out_path = check_output(args.json_out, label=f"--json {args.json_out}", what="the JSON") \
        if args.json_out else None
    texts, rejected = read_rows(args.file, args.text_column)
    out = run(texts, k=args.k, seed=args.seed, max_unsorted=args.max_unsorted,
              model_dir=args.model_dir, rejected=rejected)
    try:    # strict JSON: NaN and Infinity, which strict parsers refuse, are never written
        text = json.dumps(out, ensure_ascii=False, indent=1, allow_nan=False)
    except ValueError as e:
        raise UserError(f"the result holds a number JSON cannot carry ({e}): nothing "
                        "written") from None
    if out_path is not None:
        write_output(out_path, text, label=f"--json {out_path}", what="the JSON")
        blank = len(out["blank_rows"])
        unsorted = out["params"]["unsorted"]
        skipped = f"{plural(blank, 'blank row')} skipped, " if blank else ""
        if rejected:
            skipped += f"{plural(len(rejected), 'row')} the moderators rejected skipped, "
        asked = ""
        if args.k and len(out["themes"]) < args.k:
            asked = (f" (of {args.k} asked: only {out['params']['sortable_texts']} distinct "
                     "texts have words to sort by)")
        print(f"{plural(len(out['themes']), 'theme')}{asked}, {unsorted:,} unsorted, {skipped}"
              f"{out['seconds']} s → {args.json_out}")
    else:
        sys.stdout.write(text + "\n")
    return 0
