"""Qt panels for coding, evidence and recommendations. Each takes
``(project_provider, parent=None)`` and has ``refresh()``; they apply changes as operations
through ``project.history`` (so the window's undo stack mirrors them)."""
from __future__ import annotations

from .codebook_panel import CodebookPanel
from .common import CARDS_MIME, cards_mime, refs_from_mime
from .document_viewer import DocumentPanel
from .quotes_panel import QuotesPanel
from .recommendations_panel import RecommendationsPanel

PANELS = [("Codebook", CodebookPanel), ("Document", DocumentPanel),
          ("Recommendations", RecommendationsPanel), ("Quotes", QuotesPanel)]

__all__ = ["CodebookPanel", "DocumentPanel", "RecommendationsPanel", "QuotesPanel", "PANELS",
           "CARDS_MIME", "cards_mime", "refs_from_mime"]
