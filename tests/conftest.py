"""Test set-up: Qt offscreen before anything imports Qt; shared fixtures for data and projects."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
POLIS = SHARED / "polis"
SAMPLE = ROOT / "sample_data"


@pytest.fixture
def project(tmp_path):
    from synth.project import Project
    p = Project.create(tmp_path / "study.synth")
    yield p
    p.close()


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory):
    """The bundled sample study imported once per test run (read-only use: copy it to change)."""
    from synth.importers import import_path
    from synth.project import Project
    path = tmp_path_factory.mktemp("sample") / "sample.synth"
    with Project.create(path) as p:
        import_path(p, SAMPLE)
    return path


@pytest.fixture
def sample_project(sample_project_file, tmp_path):
    """A private, writable copy of the imported sample study."""
    import shutil
    from synth.project import Project
    path = tmp_path / "sample.synth"
    shutil.copy(sample_project_file, path)
    p = Project.open(path)
    yield p
    p.close()


@pytest.fixture
def debates(tmp_path):
    """The two-debate study of ``tests/debates_study.py`` (North and South, each with its own
    opinion-group run), open; closed after the test."""
    from tests import debates_study
    p = debates_study.build(tmp_path / "debates.synth")
    yield p
    p.close()


@pytest.fixture
def debates_file(tmp_path):
    """The same two-debate study as a closed file, for a window to open: its path."""
    from tests import debates_study
    path = tmp_path / "debates.synth"
    debates_study.build(path).close()
    return path


@pytest.fixture
def north(tmp_path):
    """Debate North of ``tests/debates_study.py`` alone, open; closed after the test."""
    from tests import debates_study
    p = debates_study.build(tmp_path / "north.synth", debates=1)
    yield p
    p.close()
