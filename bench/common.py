"""Helpers shared by the benchmarks: medians, the machine, writing a result fragment."""
from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared" / "data"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores ({cpu or platform.processor()}), {mem}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def median_time(fn: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None
                = None) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def peak_rss_mib() -> float:
    """This process's own peak resident memory (VmHWM). Not ru_maxrss: Linux carries that over
    exec from the parent that forked us, so a child of a big process reports the parent's."""
    import re
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    except (OSError, AttributeError):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_fragment(name: str, title: str, lines: list[str]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.md"
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    # Each section names the commit it measured: `make bench` may rerun one section only, and
    # BENCHMARKS.md gathers sections measured at different commits.
    text = [f"## {title}", "", f"_Measured {stamp} at commit {git_commit()} on {machine()}._",
            "", *lines, ""]
    out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))
    return out


def git_commit() -> str:
    """HEAD's short hash, with "+changes" when the work tree differs from it (tracked files)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "synth", "ui", "coding",
                                "exports", "bench", ":!bench/results", "main.py"],
                               cwd=ROOT).returncode == 1
    except OSError:
        return ""
    return head + ("+changes" if head and dirty else "")
