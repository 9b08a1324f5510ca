"""Capitals joined by "&" are one word: the Bowling Green debate's theme of internet providers
listed "AT" among its keywords, from "AT&T" split at the "&"."""
from __future__ import annotations

from synth.themes.labels import token_runs, tokens
from tests.test_themes_written_forms import label_halves

# Bowling Green's statements about internet providers (Pol.is open data), and others about
# planning
CABLE = ["Our city should make a bid for Google Fiber to help compete with Spectrum and AT&T.",
         "We need to promote competition in town for Charter. AT&T isn't much better and "
         "doesn't serve everywhere. Need more fiber to the homes.",
         "Cable companies have no competition here, so internet rates keep going up",
         "BGMU should offer fiber internet to every home"]
PLANNING = ["Planning & Zoning Board needs an overhaul w/ fewer builders appointed, fair notice "
            "to opposition, stop rubber stamping by P&Z and City Comm.",
            "Planning & Zoning should listen to neighbours before approving builders",
            "The planning board approves every builder's request",
            "Zoning decisions should be made in public"]


def test_capitals_joined_by_an_ampersand_are_one_word():
    assert tokens("AT&T isn't much better") == ["AT&T", "better"]     # "much": a stop word
    assert tokens("We need to embrace R&D and micro factories") == [
        "embrace", "R&D", "micro", "factories"]
    assert tokens("AT&T's fiber") == ["AT&T", "fiber"]
    # a phrase of it, and "&" between words is no word
    assert token_runs("AT&T fiber service") == [["AT&T", "fiber", "service"]]
    assert tokens("Planning & Zoning, mom&pop shops") == ["planning", "zoning", "mom", "pop",
                                                          "shops"]


def test_the_keywords_show_the_company_not_at():
    cable, planning = label_halves(CABLE + PLANNING)
    assert "AT&T" in cable.keywords
    assert "AT" not in cable.keywords and "at" not in cable.keywords
    assert cable.name == "Fiber & AT&T"          # an "&" inside a word of the name
    assert planning.name == "Builders & planning"
