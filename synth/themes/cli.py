"""``python main.py themes FILE.csv --text-column text [--k K] [--seed S] --json OUT.json``

Candidate themes for the texts of one column of a table (CSV or Excel), without a project: the embeddings
are not cached, nothing is written but the JSON. Row indexes count data rows from 0.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..errors import UserError
from ..importers.common import read_table


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a table (CSV or Excel .xlsx) with one text per row")
    parser.add_argument("--text-column", default="text", help="the column holding the texts")
    parser.add_argument("--k", type=int, default=None,
                        help="number of themes (default: chosen by the clustering)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--max-unsorted", type=float, default=0.10,
                        help="largest share of texts left unsorted (default 0.10)")
    parser.add_argument("--model-dir", default=None,
                        help="a local sentence-transformers model folder (default: bundled)")
    parser.add_argument("--json", dest="json_out", default=None,
                        help="write the result here (default: standard output)")


def read_texts(path: str, column: str) -> list[str]:
    """The column's texts, one per data row, blank rows included (as ""): the output's row
    indexes are positions among the file's data rows. Problems are the shared reader's."""
    table = read_table(path, keep_blank_rows=True)
    i = table.require(column)
    return [row[i].strip() for row in table.rows]


def run(texts: list[str], *, k: int | None = None, seed: int = 0, max_unsorted: float = 0.10,
        model_dir: str | None = None) -> dict:
    from . import clustering, labels
    from .embeddings import LocalBackend, embed_texts
    from .project_themes import library_versions
    started = time.perf_counter()
    if k is not None and k < 1:
        raise UserError("--k must be at least 1")
    rows = [i for i, t in enumerate(texts) if t]
    if not rows:
        raise UserError("no texts to cluster (the column is empty)")
    backend = LocalBackend(model_dir)
    kept = [texts[i] for i in rows]
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
    return {"assignments": assignments, "themes": themes, "unsorted_suggestions": suggestions,
            "seconds": round(time.perf_counter() - started, 3),
            "embedding_seconds": round(embedded - started, 3),
            "params": {**result.params, "model": backend.model_name, "texts": len(texts),
                       "empty_rows": len(texts) - len(rows), "libraries": library_versions()}}


def main(args: argparse.Namespace) -> int:
    texts = read_texts(args.file, args.text_column)
    out = run(texts, k=args.k, seed=args.seed, max_unsorted=args.max_unsorted,
              model_dir=args.model_dir)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.json_out:
        Path(args.json_out).write_text(text, encoding="utf-8")
        print(f"{len(out['themes'])} themes, {sum(a < 0 for a in out['assignments'])} unsorted, "
              f"{out['seconds']} s → {args.json_out}")
    else:
        sys.stdout.write(text + "\n")
    return 0
