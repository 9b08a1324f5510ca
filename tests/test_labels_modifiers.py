"""A name's word that the theme says before another, as a modifier, is completed by it: QA read
"Pools & indoor", "Transit system & public" and "Pay & annual" (Pol.is debates about Bowling
Green, a workshop canvas) on the shared screen."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import _tally, name_by_meaning
from tests.test_themes_written_forms import label_halves

# Bowling Green's statements (Pol.is open data)
POOLS = ["A couple of indoor swimming pools that seniors can use and that are heated",
         "An indoor, heated olympic size pool is EXTREMELY needed for adult exercise. The one "
         "at Total Fitness is totally inadequate.",
         "Warren County needs an indoor aquatic facility that is open to citizens daily.",
         "Indoor swimming pools for public use and therapy year around without time "
         "restrictions due to special swim leagues. Encourage healthier life",
         "Year round indoor swimming facility is needed.",
         "There are large fees with the few currently available indoor pools.",
         "I think BG/Warren Co. needs an indoor public swimming pool.  There are large fees "
         "with the few currently available indoor pools.",
         "Swimming lessons and water safety should be free for every child"]
TRANSIT = ["BG will have a comprehensive public transit system in 2050",
           "Improve local transit service. Maybe add buses/trolleys with character so commuters "
           "don't feel \"intimidated\" for using public transportation",
           "Our public transit options should be more inclusive.",
           "Hope that people value and use the public transit system.",
           "A public transit system that reaches all areas of the city and reaches into the "
           "county to service students and workers.",
           "Ensure neighborhoods with highest transportation barriers have access to public "
           "transportation",
           "Can our public transit also go to county parks please",
           "I hope we have a more comprehensive and accessible public transportation system in "
           "town"]
# a Keep | Ditch | Add canvas of a workshop (QA's)
PAY = ["Annual pay review", "Pay freeze for junior staff", "Transparent pay bands",
       "Bonus only for senior roles"]
IT = ["New laptops", "The old HR system", "One login for everything", "IT helpdesk chat"]


def test_a_modifier_leads_with_the_noun_it_is_said_with():
    pools, transit = label_halves(POOLS + TRANSIT)
    assert pools.name == "Indoor pools & swimming"               # was "Indoor & pools"
    assert transit.name == "Public transit & system"
    pay, _ = label_halves(PAY + IT)
    assert pay.name == "Annual pay & bands"                      # was "Pay & annual"


def test_by_meaning_a_second_word_said_as_a_modifier_is_completed():
    counts = _tally(POOLS, np.zeros(len(POOLS), int), 1)[0][0]
    cands = ["pools", "indoor", "swimming", "water safety"]
    vectors = np.eye(4, dtype=np.float32)
    centre = np.array([0.8, 0.6, 0.0, 0.0], np.float32)
    assert name_by_meaning(cands, vectors, centre) == "Pools & indoor"            # as before
    assert name_by_meaning(cands, vectors, centre, phrases=counts) == \
        "Indoor pools & swimming"
    # "indoor" said before "swimming" and "pools" but never before the name's first word: the
    # phrase it is said in most
    assert name_by_meaning(["facility", "indoor"], np.eye(2, dtype=np.float32),
                           np.array([0.8, 0.6], np.float32), phrases=counts) == \
        "Facility & indoor swimming"
    # nor with a word that may not be in a name (a person's, written with a capital)
    assert name_by_meaning(["facility", "indoor"], np.eye(2, dtype=np.float32),
                           np.array([0.8, 0.6], np.float32), phrases=counts,
                           fits=lambda w: w != "swimming") == "Facility & indoor pools"


def test_a_word_said_alone_or_after_others_is_not_completed():
    # "legalized" stands alone ("should be legalized"); "transit" is said after "public" as
    # often as before "system": neither is a modifier
    texts = ["Marijuana should be legalized", "Legalized marijuana would bring tax revenue",
             "Medical marijuana should be legalized now", "Marijuana is legalized in many states",
             "Transit system needs buses", "public transit is slow", "local transit works",
             "Bus routes are poor"]
    counts = _tally(texts, np.zeros(len(texts), int), 1)[0][0]
    two = np.eye(2, dtype=np.float32)
    centre = np.array([0.8, 0.6], np.float32)
    assert name_by_meaning(["marijuana", "legalized"], two, centre, phrases=counts) == \
        "Marijuana & legalized"
    assert name_by_meaning(["buses", "transit"], two, centre, phrases=counts) == \
        "Buses & transit"
