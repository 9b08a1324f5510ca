"""`python main.py evidence PROJECT --json OUT.json`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from synth.board import CreateTheme

from coding.evidence import LinkEvidence
from coding.quotes import MarkQuote
from coding.recommendations import AddRecommendation, SetThemeSummary
from tests.coding_study import build

ROOT = Path(__file__).resolve().parent.parent


def test_evidence_json(project, tmp_path):
    ids = build(project, tmp_path)
    theme = project.history.apply(CreateTheme("Hybrid work"))
    project.history.apply(CreateTheme("Kit", parent_id=theme))
    project.history.apply(SetThemeSummary(theme, shared="Most value flexibility."))
    q = project.history.apply(MarkQuote("note", ids["notes"]["m1"]))
    project.history.apply(LinkEvidence([("quote", q)], theme_id=theme, role="shared"))
    rec = project.history.apply(AddRecommendation(theme, "Keep hybrid working"))
    project.history.apply(LinkEvidence([("statement", ids["statements"][1])],
                                       recommendation_id=rec))
    project.close()
    out = tmp_path / "evidence.json"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "evidence",
                           str(tmp_path / "study.synth"), "--json", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    (t,) = data["themes"]
    assert (t["number"], t["name"]) == ("1", "Hybrid work")
    assert t["what_participants_shared"]["text"] == "Most value flexibility."
    (quoted,) = t["what_participants_shared"]["evidence"]
    assert quoted["attribution"] == "Manchester co-design participant"
    (r,) = t["recommendations"]
    assert r["number"] == "1.1"
    fig = r["evidence"][0]["figures"]
    assert fig["overall"] == {"agree": 5, "disagree": 3, "pass": 2, "n": 10, "pct_agree": 50.0}
    assert fig["groups"]["B"]["pct_agree"] == 25.0
    assert [w["code"] for w in r["strength"]["warnings"]] == ["low_group_agreement"]
    assert t["sub_themes"][0]["name"] == "Kit"

