"""`evidence --json` writes participants' words as every other export does (QA 44: a quote's
confirmed "[phone number]" redaction was not applied, and 07700 900123 was in the file)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import main as synth_main
from synth.board import CreateTheme

from coding.evidence import LinkEvidence
from coding.quotes import MarkQuote
from coding.recommendations import AddRecommendation
from coding.redaction import ConfirmRedaction
from exports.content import STRIP_SETTING
from tests.coding_study import build

ROOT = Path(__file__).resolve().parent.parent
SAID = "Ask Kwame Mensah. You could ring me on 07700 900123 or mail kw@example.org."


def test_evidence_json_applies_redactions_and_masks(project, tmp_path):
    ids = build(project, tmp_path)
    note = ids["notes"]["m1"]
    with project.transaction() as db:
        db.execute("UPDATE notes SET text = ? WHERE id = ?", (SAID, note))
    theme = project.history.apply(CreateTheme("Panels"))
    q = project.history.apply(MarkQuote("note", note))
    start = SAID.index("Kwame Mensah")
    project.history.apply(ConfirmRedaction(q, start, start + len("Kwame Mensah"), "[name]"))
    project.history.apply(LinkEvidence([("quote", q)], theme_id=theme, role="shared"))
    rec = project.history.apply(AddRecommendation(theme, "Pay young people"))
    # the note itself (not its quote) as a recommendation's evidence: the redaction confirmed
    # in its quote holds wherever it is written
    project.history.apply(LinkEvidence([("note", note)], recommendation_id=rec))
    project.close()
    out = tmp_path / "evidence.json"
    assert synth_main.main(["evidence", str(tmp_path / "study.synth"), "--json", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "07700" not in text and "kw@example.org" not in text and "Kwame" not in text
    (t,) = json.loads(text)["themes"]
    masked = "Ask [name]. You could ring me on [phone number] or mail [e-mail address]."
    assert t["what_participants_shared"]["evidence"][0]["text"] == masked
    assert t["recommendations"][0]["evidence"][0]["text"] == masked


def test_evidence_json_strips_names_when_the_project_asks(project, tmp_path):
    ids = build(project, tmp_path)
    note = ids["notes"]["m1"]
    with project.transaction() as db:
        db.execute("UPDATE notes SET text = ? WHERE id = ?", ("Ask Aisha at the youth club",
                                                             note))
    theme = project.history.apply(CreateTheme("Panels"))
    project.history.apply(LinkEvidence([("note", note)], theme_id=theme, role="want"))
    project.set_setting(STRIP_SETTING, True)
    project.close()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "evidence",
                           str(tmp_path / "study.synth"), "--json", "-"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    (t,) = json.loads(done.stdout)["themes"]
    assert t["what_participants_want_to_see"]["evidence"][0]["text"] == \
        "Ask [name] at the youth club"
