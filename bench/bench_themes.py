"""Benchmark of theme discovery: quality on the labelled clustering sets and the sample study,
speed (embedding rate, 2,000 texts from a fresh process, reclustering cached texts, 20,000 end to
end with memory), repeated texts (per-row quality; 100,000 rows of 5,514 distinct texts end to
end), and BERTopic's defaults on the same embeddings beside ours.

    .venv/bin/python bench/bench_themes.py            # everything (~10 min on 2 cores)
    .venv/bin/python bench/bench_themes.py --quick    # skip the 20,000 end-to-end and BERTopic on SO

Embeddings of the sets are cached in ~/.cache/synth-bench/embeddings.synth (a Synth project file,
same cache code as the app). Writes bench/results/themes.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import git_commit  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "clustering"
SETS = {"SearchSnippets": ("searchsnippets/searchsnippets.csv", "label"),
        "StackOverflow": ("stackoverflow/stackoverflow.csv", "label"),
        "Banking77": ("banking77/test.csv", "category")}
TARGETS = {"SearchSnippets": (59.6, 80), "StackOverflow": (70.1, 80), "Banking77": (79.6, 70)}
CACHE = Path.home() / ".cache" / "synth-bench" / "embeddings.synth"


def load(name):
    path, col = SETS[name]
    with open(DATA / path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = sorted({r[col] for r in rows})
    return [r["text"] for r in rows], np.array([names.index(r[col]) for r in rows])


def class_names(name):
    """Readable class names, in the order of load()'s label indexes."""
    path, col = SETS[name]
    with open(DATA / path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    named = {r[col]: r.get("label_name") or r[col] for r in rows}
    return [named[c].replace("_", " ") for c in sorted(named)]


def name_hits(texts, x, y, names, result):
    """How many suggested theme names lie nearest (in the embedding) to the name of their
    theme's majority class, among all class names: names chosen by meaning vs c-TF-IDF only."""
    from synth.themes.embeddings import LocalBackend
    from synth.themes.labels import label_themes
    b = LocalBackend()
    truth = b.embed(names)
    counts = []
    for embed in (b.embed, None):
        labels = label_themes(texts, x, result.labels, result.centroids, embed=embed)
        got = b.embed([lab.name for lab in labels])
        hits = 0
        for t in range(result.k):
            members = y[result.labels == t]
            if len(members):
                hits += int(np.argmax(truth @ got[t]) == np.bincount(members).argmax())
        counts.append(hits)
    return counts


def acc(y, p):
    from scipy.optimize import linear_sum_assignment
    p = np.asarray(p).copy()
    p[p < 0] = p.max() + 1
    d = max(p.max(), y.max()) + 1
    w = np.zeros((d, d))
    np.add.at(w, (p, y), 1)
    r, c = linear_sum_assignment(-w)
    return 100 * w[r, c].sum() / len(y)


def nmi(y, p):
    """NMI over all texts, the unsorted pile counting as one more cluster (SOURCES.md)."""
    from sklearn.metrics import normalized_mutual_info_score
    p = np.asarray(p).copy()
    p[p < 0] = p.max() + 1
    return 100 * normalized_mutual_info_score(y, p)


def embeddings(texts):
    from synth.project import Project
    from synth.themes.embeddings import LocalBackend, embed_texts
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    p = Project.open(CACHE) if CACHE.exists() else Project.create(CACHE)
    try:
        return embed_texts(texts, LocalBackend(), project=p)
    finally:
        p.close()


def load_avg():
    """The 1-minute load average (the machine is shared; timings depend on it)."""
    try:
        return f"load {os.getloadavg()[0]:.1f}"
    except OSError:
        return "load ?"


def fresh(args, env=None):
    """Run the CLI in a fresh process; return (wall seconds, max RSS MB, parsed JSON)."""
    out = Path(tempfile.mkdtemp()) / "o.json"
    cmd = ["/usr/bin/time", "-f", "%M", sys.executable, str(ROOT / "main.py"), "themes", *args,
           "--json", str(out)]
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    rss = int(r.stderr.strip().splitlines()[-1]) / 1024
    return wall, rss, json.loads(out.read_text())


def bertopic_on(texts, vectors, y, seed=0):
    from bertopic import BERTopic
    from umap import UMAP
    t = time.perf_counter()
    # BERTopic's defaults; only UMAP's random_state is fixed so the run is repeatable.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      random_state=seed)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(texts, vectors)
    secs = time.perf_counter() - t
    p = np.array(topics)
    return secs, nmi(y, p), 100 * (p < 0).mean(), len(set(p[p >= 0]))


ANSWER_KEY = ROOT / "sample_data" / "answer_key"
# one coder's labels, given only the themes' names and descriptions (docs/themes.md, ninth round)
READER_LABELS = ROOT / "bench" / "data" / "sample_reader_labels.csv"


def answer_key() -> dict[tuple[str, str], str]:
    """The sample study's answer key: (kind, external id) of each statement and note -> its
    theme."""
    truth = {}
    with open(ANSWER_KEY / "statements.csv", encoding="utf-8") as f:
        truth.update({("statement", r["comment-id"]): r["theme"] for r in csv.DictReader(f)})
    with open(ANSWER_KEY / "notes.csv", encoding="utf-8") as f:
        truth.update({("note", r["note_id"]): r["theme"] for r in csv.DictReader(f)})
    return truth


def sample_study():
    """NMI of k-unknown themes against the sample study's answer key (statements and notes)."""
    from synth.importers import import_path
    from synth.project import Project
    from synth.themes.project_themes import discover_themes
    if not (ANSWER_KEY / "statements.csv").exists():
        return None
    truth = answer_key()
    with tempfile.TemporaryDirectory() as d, Project.create(Path(d) / "s.synth") as p:
        import_path(p, ROOT / "sample_data" / "debate")
        import_path(p, ROOT / "sample_data" / "workshop_notes.csv")
        res = discover_themes(p, seed=0)
        rows = p.query("SELECT 'statement', s.external_id, cp.theme_id, s.text FROM statements s "
                       "LEFT JOIN card_places cp ON cp.card_kind='statement' AND cp.card_id=s.id "
                       "UNION ALL SELECT 'note', n.external_id, cp.theme_id, n.text FROM notes n "
                       "LEFT JOIN card_places cp ON cp.card_kind='note' AND cp.card_id=n.id")
    ys, ps, texts, ids = [], [], [], []
    names = sorted(set(truth.values()))
    for kind, ext, theme, text in rows:
        if (kind, ext) in truth:
            ys.append(names.index(truth[(kind, ext)]))
            ps.append(-1 if theme is None else theme)
            texts.append(text)
            ids.append(f"S{ext}" if kind == "statement" else ext)
    y, pr = np.array(ys), np.array(ps)
    return {"n": len(y), "nmi": nmi(y, pr) / 100, "unsorted": 100 * (pr < 0).mean(),
            "themes": len(res["themes"]), "true_themes": len(names),
            **reader_agreement(ids, y, names), **embedding_ceiling(embeddings(texts), y)}


def reader_agreement(ids, y, names):
    """How far a careful reader agrees with the key on the same texts: one coder's labels
    (``READER_LABELS``), given the themes' descriptions and never the key. What the texts
    themselves carry of the key, against which the embedding's ceiling and ours are read."""
    with open(READER_LABELS, encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    said = {r["id"]: r["theme"] for r in csv.DictReader(lines)}
    have = [i for i, t in enumerate(ids) if t in said]
    r = np.array([names.index(said[ids[i]]) for i in have])
    return {"reader_n": len(have), "reader_nmi": nmi(y[have], r) / 100,
            "reader_acc": 100 * (y[have] == r).mean()}


def embedding_ceiling(x, y, folds=5):
    """What the embedding can express of a labelling at best: a linear classifier *trained on the
    answer key* (multinomial logistic regression, cross-validated so every text is predicted by a
    model that never saw it), scored like the clustering. An unsupervised method sees no labels;
    it should not be expected to beat this."""
    import warnings
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.neighbors import NearestNeighbors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the two smallest classes hold 3-4 texts
        pred = cross_val_predict(LogisticRegression(C=10, max_iter=3000), x, y,
                                 cv=StratifiedKFold(folds, shuffle=True, random_state=0))
    _, nb = NearestNeighbors(n_neighbors=11, metric="cosine").fit(x).kneighbors(x)
    return {"probe_nmi": nmi(y, pred) / 100, "probe_acc": 100 * (pred == y).mean(),
            "knn_purity": 100 * (y[nb[:, 1:]] == y[:, None]).mean()}


def with_repeats(x, y, texts, distinct=2000, seed=0):
    """A set's texts as sticky notes and QA exports hold them: ``distinct`` of its texts, each
    written 1-50 times (Zipf 1.8, capped at 50; about 4.9 rows a text), rows shuffled."""
    rng = np.random.default_rng(seed)
    keep, seen = [], set()
    for i, (v, t) in enumerate(zip(x, texts)):      # the set's own repeats removed first
        if (v.tobytes(), t) not in seen:
            seen.add((v.tobytes(), t))
            keep.append(i)
    pick = np.sort(np.random.default_rng(123).choice(keep, min(distinct, len(keep)),
                                                     replace=False))
    of = pick[rng.permutation(np.repeat(np.arange(len(pick)),
                                        np.minimum(rng.zipf(1.8, len(pick)), 50)))]
    return x[of], y[of], [texts[i] for i in of]


def repeats_row(name, x, y, texts):
    """Per-row quality of ``cluster`` on ``with_repeats`` of a set: every repeat counts (a text
    written 50 times weighs 50 in NMI and ACC), k unknown and k given."""
    from synth.themes.clustering import cluster
    xr, yr, tr = with_repeats(x, y, texts)
    u = cluster(xr, seed=0, texts=tr)
    g = cluster(xr, k=len(set(y)), seed=0, texts=tr)
    return (f"| {name} | {len(yr)} | {u.params.get('distinct_texts', len(yr))} | "
            f"{nmi(yr, u.labels):.1f} | {u.k} | {100 * (u.labels < 0).mean():.1f} | "
            f"{acc(yr, g.labels):.1f} | {100 * (g.labels < 0).mean():.1f} |")


def qa_shape(texts, rows=100_000, distinct=5514, seed=0):
    """The QA's export: ``rows`` rows of ``distinct`` short texts, a few written very often."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, distinct + 1) ** 1.1
    counts = 1 + rng.multinomial(rows - distinct, rng.permutation(p / p.sum()))
    pool = list(dict.fromkeys(texts))[:distinct]
    return [pool[i] for i in rng.permutation(np.repeat(np.arange(distinct), counts))]


def write_texts(path, texts):
    """A CSV of one column, ``text``, for the CLI."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text"])
        w.writerows([[t] for t in texts])


def cli_row(path, what, target):
    """The results table's row for the CLI run end to end on ``path`` in a fresh process."""
    wall, rss, out = fresh([str(path), "--text-column", "text"])
    return (f"| {what}, fresh process, CLI end to end (s) | {wall:.1f} | 1 (embedding "
            f"{out['embedding_seconds']:.1f} s; peak memory {rss:.0f} MB; {load_avg()}) "
            f"| {target} |")


def sample_line(s) -> str:
    return (f"\nSample study (statements + notes, n={s['n']}): NMI {s['nmi']:.2f} against "
            f"the answer key (target 0.6), {s['themes']} themes found for "
            f"{s['true_themes']} in the key, {s['unsorted']:.1f} % unsorted. What the embedding "
            f"holds of the key at best: a linear classifier trained on the key itself "
            f"(5-fold cross-validated) reaches NMI {s['probe_nmi']:.2f} (accuracy "
            f"{s['probe_acc']:.0f} %); {s['knn_purity']:.0f} % of a text's 10 nearest "
            f"neighbours share its theme in the key. What the texts carry of it: a reader given "
            f"only the themes' descriptions (one coder, {s['reader_n']} texts, "
            f"bench/data/sample_reader_labels.csv) agrees with the key at NMI "
            f"{s['reader_nmi']:.2f} (accuracy {s['reader_acc']:.0f} %).\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sample-only", action="store_true",
                    help="measure only the sample study and update its paragraph in the results")
    a = ap.parse_args()
    if a.sample_only:
        out = ROOT / "bench" / "results" / "themes.md"
        line = sample_line(sample_study()).strip()
        print(line)
        kept = [ln for ln in out.read_text(encoding="utf-8").splitlines()
                if not ln.startswith("Sample study")]
        at = kept.index("## Speed")
        start = at
        while start and not kept[start - 1]:
            start -= 1
        kept[start:at] = ["", line, ""]
        out.write_text("\n".join(kept) + "\n", encoding="utf-8")
        return
    from synth.themes.clustering import cluster
    lines = ["# Theme discovery benchmark\n", f"Machine: {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}; date {date.today()}; "
             f"commit {git_commit()}; "
             f"command `.venv/bin/python bench/bench_themes.py{' --quick' if a.quick else ''}`.\n",
             "## Quality (frozen all-MiniLM-L6-v2; NMI counts the unsorted pile as a cluster)\n",
             "Ours = `cluster(vectors, texts=texts)`, as the app and the CLI call it (keyword view "
             "on); \"no kw\" = `cluster(vectors)`, the embedding alone, for comparison.\n",
             "| set | n | k unknown: NMI (target) | themes | unsorted % | k given: ACC (target) "
             "| NMI | unsorted % | no kw: k unknown NMI | no kw: k given ACC "
             "| BERTopic defaults: NMI | unsorted % | topics | time ratio BERTopic/ours |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    name_rows = ["\nSuggested names (k unknown themes): how many lie nearest, in the embedding, to "
                 "the name of their theme's majority class among all the set's class names.\n",
                 "| set | themes | names chosen by meaning | c-TF-IDF only (before) |",
                 "|---|---|---|---|"]
    repeat_rows: list[str] = []
    for name in SETS:
        texts, y = load(name)
        x = embeddings(texts)
        t = time.perf_counter()
        u = cluster(x, seed=0, texts=texts)
        ours = time.perf_counter() - t
        g = cluster(x, k=len(set(y)), seed=0, texts=texts)
        u0 = cluster(x, seed=0)
        g0 = cluster(x, k=len(set(y)), seed=0)
        row = (f"| {name} | {len(y)} | {nmi(y, u.labels):.1f} ({TARGETS[name][0]}) | {u.k} | "
               f"{100 * (u.labels < 0).mean():.1f} | {acc(y, g.labels):.1f} ({TARGETS[name][1]}) | "
               f"{nmi(y, g.labels):.1f} | {100 * (g.labels < 0).mean():.1f} | "
               f"{nmi(y, u0.labels):.1f} | {acc(y, g0.labels):.1f} |")
        if not a.quick or name == "Banking77":
            bsecs, bn, bu, bk = bertopic_on(texts, x, y)
            row += f" {bn:.1f} | {bu:.1f} | {bk} | {bsecs / ours:.1f} ({bsecs:.1f} s / {ours:.1f} s) |"
        else:
            row += " – | – | – | – |"
        lines.append(row)
        print(row, load_avg(), flush=True)
        by_meaning, plain = name_hits(texts, x, y, class_names(name), u)
        name_rows.append(f"| {name} | {u.k} | {by_meaning} | {plain} |")
        print(name_rows[-1], flush=True)
        repeat_rows.append(repeats_row(name, x, y, texts))
        print(repeat_rows[-1], flush=True)
    lines += name_rows
    lines += ["\nRepeated texts (`with_repeats`: 2,000 of a set's distinct texts, each written "
              "1-50 times, Zipf 1.8; scored per row, so a text written 50 times counts 50 times; "
              "`cluster` clusters each distinct text once).\n",
              "| set | rows | distinct texts | k unknown: NMI | themes | unsorted % "
              "| k given: ACC | unsorted % |", "|---|---|---|---|---|---|---|---|"]
    lines += repeat_rows
    s = sample_study()
    if s:
        lines.append(sample_line(s))
        print(lines[-1], flush=True)

    lines += ["## Speed\n", "Load average beside each figure: the 2-core machine is shared with other "
              "engineers' test runs.\n",
              "| measure | median | runs | target |", "|---|---|---|---|"]
    so, _ = load("StackOverflow")
    from synth.themes.embeddings import LocalBackend
    b = LocalBackend()
    b.embed(so[:64])
    rates = []
    for r in range(a.repeats):
        chunk = so[2000 * r + 2000:2000 * r + 3000]
        t = time.perf_counter()
        b.embed(chunk)
        rates.append(len(chunk) / (time.perf_counter() - t))
    lines.append(f"| embedding rate, short texts/s (StackOverflow titles, batch 64) | "
                 f"{statistics.median(rates):.0f} | {', '.join(f'{v:.0f}' for v in rates)} ({load_avg()}) | ≥ 300 |")
    print(lines[-1], flush=True)
    with tempfile.TemporaryDirectory() as d:
        f2000 = Path(d) / "so2000.csv"
        write_texts(f2000, so[:2000])
        walls = [fresh([str(f2000), "--text-column", "text"]) for _ in range(a.repeats)]
        lines.append(f"| 2,000 texts, fresh process, CLI end to end (s) | "
                     f"{statistics.median(w[0] for w in walls):.1f} | "
                     f"{', '.join(f'{w[0]:.1f}' for w in walls)} (embedding "
                     f"{statistics.median(w[2]['embedding_seconds'] for w in walls):.1f} s of it; "
                     f"{load_avg()}) "
                     f"| ≤ 10 |")
        print(lines[-1], flush=True)
        x = embeddings(so[:2000])
        for label, kw in (("k unknown", {}), ("k = 20 given, keyword view on", {"k": 20})):
            times = []
            for _ in range(a.repeats):
                t = time.perf_counter()
                cluster(x, seed=0, texts=so[:2000], **kw)
                times.append(time.perf_counter() - t)
            lines.append(f"| recluster 2,000 cached texts, {label} (s) | "
                         f"{statistics.median(times):.2f} | "
                         f"{', '.join(f'{v:.2f}' for v in times)} ({load_avg()}) | ≤ 2 |")
            print(lines[-1], flush=True)
        if not a.quick:
            f20k = Path(d) / "so20k.csv"
            write_texts(f20k, so)
            lines.append(cli_row(f20k, "20,000 texts", "≤ 90"))
            print(lines[-1], flush=True)
            qa = Path(d) / "qa100k.csv"
            write_texts(qa, qa_shape(so))
            lines.append(cli_row(qa, "100,000 rows of 5,514 distinct texts (a QA export's shape)",
                                 "–"))
            print(lines[-1], flush=True)
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "themes.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
