"""Theme discovery: embed cards, cluster them into candidate themes, label the themes.

No Qt here and no heavy import at module import time: torch, sentence-transformers and
scikit-learn are imported inside the functions that need them.
"""
