"""The remote embedding backend: an OpenAI-compatible ``POST /v1/embeddings`` server (a team's
GPU box), spoken to with urllib so no extra client library is needed.

What a real server does to a request, and what this backend does about it: a 413 or a closed
connection halves the request, a timeout quarters it, a 429 or 503 waits (Retry-After) and asks
again, the size found grows back after a hiccup and is remembered in the project for the next
run; a server on this computer is never reached through a proxy; every other failure ends in a
message saying what the researcher can do. ``synth.themes.embeddings`` holds the backend
interface, the local backend and the cache, and re-exports this module's public names.
"""
from __future__ import annotations

import json
import os
import urllib.parse
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import UserError
from .embeddings import (Cancelled, EmbeddingCancelled, Progress, _no_progress, _opening,
                         normalise)

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
            # vLLM and OpenAI answer 404 for a model they do not serve, with their reason:
            # that, when given, says more than a guess about the address
            if detail and "model" in detail.lower():
                return (f"The embedding server {self.url} answered 404: {detail} (check the "
                        f"model name, “{self.model}”, in Candidate themes settings)")
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
