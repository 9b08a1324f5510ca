"""A theme's three representative texts are central and diverse: maximal marginal relevance
over the whole theme took outliers for diversity (QA: "Loding", the least central of 21 cards,
stood for "Activities & youth"; "Jake@pubbynovo.com" for a theme of shopping; a quarter of
the Pol.is debates' representatives lay in the least central quarter of their theme)."""
from __future__ import annotations

import numpy as np

from synth.themes.labels import label_themes, representatives

PARKS = ["More parks and green spaces for families", "Keep the parks clean and safe",
         "A new park by the river would be lovely", "Parks need more benches and shade",
         "Fund park rangers for the big parks", "Playgrounds in every neighbourhood park",
         "Dog parks so dogs are off the streets", "Open the park toilets all year",
         "Loding"]


def _theme(n: int, outliers: int, seed: int = 0, spread: float = 0.35
           ) -> tuple[np.ndarray, np.ndarray]:
    """``n`` unit vectors of one theme: most near its centre, the last ``outliers`` far out,
    each in a direction of its own (what maximal marginal relevance prizes)."""
    rng = np.random.default_rng(seed)
    d = 40
    centre = np.zeros(d, np.float32)
    centre[0] = 1
    x = centre + spread * rng.standard_normal((n, d)).astype(np.float32)
    for j in range(outliers):
        x[n - 1 - j] = 0.45 * centre
        x[n - 1 - j, 5 + j] = 1.0
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    c = x.mean(0)
    return x, c / np.linalg.norm(c)


def _ranks(x: np.ndarray, centre: np.ndarray, chosen: list[int]) -> list[int]:
    order = list(np.argsort(-(x @ centre), kind="stable"))
    return [order.index(i) + 1 for i in chosen]


def test_representatives_come_from_the_central_half_and_differ():
    x, centre = _theme(21, 2)
    chosen = representatives(x, centre)
    ranks = _ranks(x, centre, chosen)
    assert ranks[0] == 1                          # the most central first, as before
    assert len(set(chosen)) == 3 and max(ranks) <= 11    # all in the more central half
    assert 19 not in chosen and 20 not in chosen  # not the two outliers
    # diverse within that half: not simply the three most central texts
    assert sorted(ranks) != [1, 2, 3]


def test_the_outlier_card_no_longer_stands_for_the_theme():
    x, centre = _theme(len(PARKS), 1, seed=1, spread=0.15)   # MMR over all took "Loding"
    labels = np.zeros(len(PARKS), int)
    (lab,) = label_themes(PARKS, x, labels, centre[None, :])
    shown = [PARKS[i] for i in lab.representatives]
    assert "Loding" not in shown and len(shown) == 3
    assert max(_ranks(x, centre, lab.representatives)) <= 5


def test_no_address_link_or_wordless_text_represents_a_theme():
    texts = ["Jake@pubbynovo.com", "12345", "see www.mall.example for the plans",
             "https://example.org/mall", "😀😀", "An indoor mall with a cinema",
             "Upscale shops at the mall", "The mall needs a food court", "A mall for the west side",
             "Bring a department store to the mall"]
    x, _ = _theme(len(texts), 0, seed=1)
    # the first five are the most central texts of all
    centre = x[:5].mean(0) + 0.3 * x[5:].mean(0)
    centre /= np.linalg.norm(centre)
    labels = np.zeros(len(texts), int)
    (lab,) = label_themes(texts, x, labels, centre[None, :])
    assert len(lab.representatives) == 3
    assert all(i >= 5 for i in lab.representatives), [texts[i] for i in lab.representatives]
    # a theme of nothing else is still shown by its texts
    only = texts[:5]
    (lab,) = label_themes(only, x[:5], np.zeros(5, int), centre[None, :])
    assert len(lab.representatives) == 3
    assert lab.representatives[0] == int(np.argmax(x[:5] @ centre))


def test_too_few_usable_texts_are_topped_up_from_the_others():
    x, centre = _theme(6, 0, seed=2)
    chosen = representatives(x, centre, usable=lambda i: i == 4)
    assert chosen[0] == 4 and len(set(chosen)) == 3
