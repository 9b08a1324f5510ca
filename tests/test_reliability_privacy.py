"""Privacy: nothing leaves the machine unless the researcher chooses the remote embedding server,
and logs never hold participants' words.

The whole pipeline (import, opinion groups, themes with the local model, the Word report) runs
in a child process whose every network attempt is recorded by a Python audit hook, with the
Hugging Face offline switches *removed* from its environment (so the app itself must keep the
model offline), and every log record at DEBUG level captured. Then a scan of the source tree
checks that only the remote embedding backend can open a connection and that nothing writes
log files.
"""
from __future__ import annotations

import ast
import json
import os
import sqlite3
import subprocess
import sys

from conftest import ROOT
from reliability_figures import record, source_files

WATCHED = (
    "import io, json, logging, socket, sys\n"
    "events = []\n"
    "def hook(event, args):\n"
    "    if event in ('socket.connect', 'socket.sendto', 'socket.getaddrinfo',\n"
    "                 'urllib.Request', 'http.client.connect'):\n"
    "        if event == 'socket.connect' and args[0].family == socket.AF_UNIX:\n"
    "            return\n"
    "        events.append([event, repr(args)[:200]])\n"
    "sys.addaudithook(hook)\n"
    "log = io.StringIO()\n"
    "handler = logging.StreamHandler(log)\n"
    "handler.setFormatter(logging.Formatter('%(name)s %(levelname)s %(message)s'))\n"
    "logging.basicConfig(level=logging.DEBUG, handlers=[handler], force=True)\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "sys.argv = ['synth'] + sys.argv[2:]\n"
    "import main\n"
    "code = main.main(sys.argv[1:])\n"
    "logging.shutdown()\n"
    "print('AUDIT ' + json.dumps({'code': code, 'events': events, 'log': log.getvalue()}))\n")


def test_whole_pipeline_opens_no_connection_and_logs_no_text(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    project = tmp_path / "sample.synth"
    r = subprocess.run([sys.executable, "-c", WATCHED, str(ROOT), "run", "--project",
                        str(project), "--new", "--out", str(tmp_path / "report.docx")],
                       capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    audit = json.loads(next(line[6:] for line in r.stdout.splitlines()
                            if line.startswith("AUDIT ")))
    assert audit["code"] == 0
    assert audit["events"] == [], "network attempted:\n" + "\n".join(map(str, audit["events"]))
    db = sqlite3.connect(project)
    texts = [t for (t,) in db.execute("SELECT text FROM statements UNION ALL "
                                      "SELECT text FROM notes") if len(t) >= 25]
    doc = db.execute("SELECT text FROM documents").fetchall()
    db.close()
    for (d,) in doc:
        texts += [line.split(":", 1)[-1].strip() for line in d.splitlines()
                  if len(line.split(":", 1)[-1].strip()) >= 25]
    logged = audit["log"] + r.stderr
    leaked = [t for t in texts if t in logged]
    record("privacy: pipeline", network_attempts=len(audit["events"]),
           log_characters=len(audit["log"]), texts_checked=len(texts), texts_in_logs=len(leaked))
    assert leaked == [], f"participants' text in logs: {leaked[:3]}"


# --------------------------------------------------------------------------- source scan
NETWORK_MODULES = {"socket", "urllib.request", "http.client", "requests", "httpx", "aiohttp",
                   "ftplib", "smtplib", "telnetlib", "websocket", "websockets", "paramiko",
                   "PySide6.QtNetwork", "webbrowser", "xmlrpc.client"}
# The one place that may talk to a network: the remote embedding server a researcher chooses.
ALLOWED_NETWORK = {"synth/themes/remote.py": "RemoteBackend, only when chosen in settings"}


def test_only_the_chosen_remote_backend_can_open_a_connection():
    problems = []
    for f in source_files():
        rel = f.relative_to(ROOT).as_posix()
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for n in names:
                if n in NETWORK_MODULES or n.split(".")[0] in {"requests", "httpx",
                                                               "aiohttp"}:
                    if rel not in ALLOWED_NETWORK:
                        problems.append(f"{rel}:{node.lineno}: imports {n}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "openUrl":
                arg = node.args[0] if node.args else None
                local = isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) \
                    and arg.func.attr == "fromLocalFile"
                if not local:
                    problems.append(f"{rel}:{node.lineno}: opens a URL that is not a local file")
    assert problems == [], "\n".join(problems)


def test_the_local_embedding_model_is_loaded_offline():
    """The default backend switches the Hugging Face hub off itself (not only in tests)."""
    text = (ROOT / "synth" / "themes" / "embeddings.py").read_text(encoding="utf-8")
    assert "HF_HUB_OFFLINE" in text or "local_files_only" in text


LOG_CALLS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
TEXTY = {"text", "body", "quote", "quotes", "note", "notes", "statement", "statements",
         "passage", "passages", "comment", "content", "transcript", "document", "row",
         "rows", "cell", "speaker"}


def test_logging_calls_never_name_participants_text():
    """Every call of a logger (``logging.x``, ``logger.x``, ``log.x`` on a Logger) is checked:
    its arguments must not mention text-bearing names, and no log file is ever written."""
    problems = []
    calls = 0
    for f in source_files():
        rel = f.relative_to(ROOT).as_posix()
        source = f.read_text(encoding="utf-8")
        if "FileHandler" in source or "basicConfig(filename" in source:
            problems.append(f"{rel}: writes a log file")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LOG_CALLS):
                continue
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else \
                owner.attr if isinstance(owner, ast.Attribute) else ""
            if not ("log" in owner_name.lower() or owner_name == "logging"):
                continue
            calls += 1
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                for sub in ast.walk(arg):
                    name = sub.id if isinstance(sub, ast.Name) else \
                        sub.attr if isinstance(sub, ast.Attribute) else None
                    if name and name.lower() in TEXTY:
                        problems.append(f"{rel}:{node.lineno}: logs “{name}”")
    record("privacy: logging calls", logging_calls_checked=calls)
    assert problems == [], "\n".join(problems)
