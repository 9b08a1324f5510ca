"""Vote figures of a study with more than one debate, and the report's reading of them: the
statements listed, the opinion groups (each debate's own), the opinion map."""
from __future__ import annotations

import numpy as np
import pytest

from tests import debates_study


@pytest.fixture
def debates(tmp_path):
    p = debates_study.build(tmp_path / "debates.synth")
    yield p
    p.close()


# --------------------------------------------------------------------------- statements listed
def test_the_report_lists_the_statements_the_engine_lists(debates):
    from exports import content
    from synth.votes.statement_figures import listed_statements
    with debates.transaction() as db:
        db.execute("UPDATE statements SET is_meta = 1 WHERE id = 2")
        db.execute("UPDATE statements SET is_seed = 1 WHERE id = 4")
    listed = content.statements(debates)
    assert list(listed) == [sid for sid, _text in listed_statements(debates)] == [1, 3, 4, 5]
    assert [(s.id, s.ref, s.text, s.is_seed, s.source_id) for s in listed.values()] == \
        [(r[0], str(r[2]), r[1], bool(r[3]), r[4])
         for r in listed_statements(debates, "external_id", "is_seed", "source_id")]
    assert listed[4].is_seed and listed[4].source_id == 2
    with pytest.raises(ValueError):
        listed_statements(debates, "text; DROP TABLE votes")
