"""Analysis → Candidate themes…: what a run keeps of the team's work and what it may move; how
many themes (Synth chooses, or exactly N), the seed, and the embedding model (the bundled one,
another model folder on this computer, or the team's OpenAI-compatible embeddings server). The
dialog only reads the project; ``settings()`` gives what the window stores (project settings
``themes.k``, ``themes.seed``, ``embedding_backend``) before it runs the discovery on the task
runner."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (QApplication, QButtonGroup, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox,
                               QVBoxLayout, QWidget)

from synth.themes.clustering import SEED_MAX
from synth.themes.project_themes import saved_k, saved_seed, sortable_count
from synth.themes.placements import RerunOutlook, describe_outlook, rerun_outlook

from .panels.reading import Reads

BUNDLED, FOLDER, SERVER = "local", "folder", "remote"
MODEL_CHOICES = ((BUNDLED, "all-MiniLM-L6-v2, bundled with Synth (on this computer)"),
                 (FOLDER, "Another sentence-transformers model folder on this computer"),
                 (SERVER, "Our team's embeddings server (OpenAI-compatible /v1/embeddings)"))
MOST_THEMES = 500
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def backend_config(kind: str, folder: str = "", url: str = "", model: str = "",
                   key_env: str = "") -> tuple[dict[str, Any] | None, str]:
    """The ``embedding_backend`` setting for the fields, or None and what is wrong with them."""
    if kind == BUNDLED:
        return {"kind": "local"}, ""
    if kind == FOLDER:
        path = Path(folder.strip()).expanduser()
        if not folder.strip():
            return None, "Choose the model folder."
        if not path.is_dir():
            return None, f"“{path}” is not a folder."
        if not any((path / f).is_file() for f in ("modules.json", "config.json")):
            return None, (f"“{path}” holds no sentence-transformers model "
                          "(no modules.json or config.json).")
        return {"kind": "local", "model_dir": str(path)}, ""
    url, model, key_env = url.strip(), model.strip(), key_env.strip()
    if not re.match(r"https?://[^/\s]+", url):
        return None, "The server address must start with http:// or https://."
    if not model:
        return None, "Give the model's name on the server."
    if key_env and not ENV_NAME.match(key_env):
        return None, (f"“{key_env}” is not an environment variable name "
                      "(letters, digits and _ only).")
    cfg: dict[str, Any] = {"kind": "remote", "url": url, "model": model}
    if key_env:
        cfg["api_key_env"] = key_env
    return cfg, ""


class SeedSpin(QDoubleSpinBox):
    """A whole number from 0 to ``SEED_MAX`` (2^32 − 1), the seeds the clustering and the
    command line take: a QSpinBox holds a C int and stops at 2^31 − 1. ``value()`` is an int."""

    def __init__(self) -> None:
        super().__init__()
        self.setDecimals(0)
        self.setRange(0, SEED_MAX)

    def value(self) -> int:  # type: ignore[override]
        return int(super().value())


class ThemesDialog(QDialog):
    def __init__(self, project: Any, parent: QWidget | None = None,
                 background: Any = None) -> None:
        """``background(read, on_done) -> bool``: the window's reader, for counting a big
        project's embedded cards off the GUI thread (None: counted here)."""
        super().__init__(parent)
        self.project = project
        self.background = background
        self.reads = Reads(lambda: self.project, lambda: self.background)
        self.setWindowTitle("Candidate themes")
        self.setAccessibleName("Candidate themes dialog")
        lay = QVBoxLayout(self)

        keeps = QGroupBox("What a run keeps and what it may move")
        kl = QVBoxLayout(keeps)
        self.keep_label = QLabel()
        self.keep_label.setWordWrap(True)
        self.keep_label.setAccessibleName("What a run keeps and what it may move")
        kl.addWidget(self.keep_label)
        lay.addWidget(keeps)

        count = QGroupBox("How many themes")
        cl = QVBoxLayout(count)
        self.auto_radio = QRadioButton("Let Synth &choose (the grouping most stable when a fifth "
                                       "of the texts is left out)")
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.exact_radio = QRadioButton("&Exactly")
        self.k_spin = QSpinBox()
        self.k_spin.setRange(2, MOST_THEMES)
        self.k_spin.setAccessibleName("Number of themes")
        rl.addWidget(self.exact_radio)
        rl.addWidget(self.k_spin)
        rl.addWidget(QLabel("themes"))
        rl.addStretch(1)
        group = QButtonGroup(self)
        group.addButton(self.auto_radio)
        group.addButton(self.exact_radio)
        cl.addWidget(self.auto_radio)
        cl.addWidget(row)
        self.pinned_label = QLabel()
        self.pinned_label.setWordWrap(True)
        cl.addWidget(self.pinned_label)
        lay.addWidget(count)

        model = QGroupBox("Embedding model")
        form = QFormLayout(model)
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Embedding model")
        for kind, label in MODEL_CHOICES:
            self.model_combo.addItem(label, kind)
        form.addRow(self.model_combo)
        self.folder_edit = QLineEdit()
        self.folder_edit.setAccessibleName("Model folder")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the model folder")
        browse.clicked.connect(self._browse)
        self.folder_row = QWidget()
        fl = QHBoxLayout(self.folder_row)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.folder_edit, 1)
        fl.addWidget(browse)
        form.addRow("Folder:", self.folder_row)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("http://gpu-box:8080/v1")
        self.url_edit.setAccessibleName("Server address")
        self.remote_model_edit = QLineEdit()
        self.remote_model_edit.setAccessibleName("Model name on the server")
        self.key_env_edit = QLineEdit()
        self.key_env_edit.setPlaceholderText("optional, e.g. SYNTH_EMBEDDINGS_KEY")
        self.key_env_edit.setAccessibleName("Environment variable holding the API key")
        form.addRow("Server:", self.url_edit)
        form.addRow("Model:", self.remote_model_edit)
        form.addRow("API key from:", self.key_env_edit)
        self.server_warning = QLabel(
            "The cards' texts are sent to this server to be embedded. Use only a server your "
            "team runs and may send participants' words to. The key stays in the environment "
            "variable; it is never written into the project.")
        self.server_warning.setWordWrap(True)
        self.server_warning.setStyleSheet("color: #8a4b00;")
        form.addRow(self.server_warning)
        self.cache_label = QLabel()
        self.cache_label.setWordWrap(True)
        form.addRow(self.cache_label)
        lay.addWidget(model)

        seed_row = QWidget()
        sl = QHBoxLayout(seed_row)
        sl.setContentsMargins(0, 0, 0, 0)
        self.seed_spin = SeedSpin()
        self.seed_spin.setAccessibleName("Seed")
        sl.addWidget(QLabel("Seed:"))
        sl.addWidget(self.seed_spin)
        sl.addWidget(QLabel("the same cards and seed give the same themes"))
        sl.addStretch(1)
        lay.addWidget(seed_row)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setAccessibleName("What is wrong")
        lay.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Find themes")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self._load()
        self.exact_radio.toggled.connect(self.k_spin.setEnabled)
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        for edit in (self.folder_edit, self.url_edit, self.remote_model_edit):
            edit.editingFinished.connect(self._show_cache)
        self._on_model_changed()
        self.setMinimumWidth(620)
        self._fit()

    # ------------------------------------------------------------------ state
    def _load(self) -> None:
        p = self.project
        k = saved_k(p)
        # "Exactly" starts from the number asked for last, else the themes on the board now
        on_board = int(p.scalar("SELECT count(*) FROM themes WHERE parent_id IS NULL "
                                "AND pinned = 0"))
        self.k_spin.setValue(min(MOST_THEMES, k or max(2, on_board)))
        # no more themes than cards to sort: counted on the window's reader over a big project
        # (~70 ms with a theme pinned at 120,000 cards); the bound comes when it is known
        self.sortable: int | None = None
        if self.reads.ask("sortable", sortable_count, self._show_sortable,
                          failed=lambda e: self.k_spin.setToolTip(
                              f"At most {MOST_THEMES} (the cards to sort could not be "
                              "counted)")):
            self.k_spin.setToolTip("Counting the cards to sort…")
        (self.exact_radio if k else self.auto_radio).setChecked(True)
        self.k_spin.setEnabled(k is not None)
        self.seed_spin.setValue(saved_seed(p))
        pinned = int(p.scalar("SELECT count(*) FROM themes WHERE pinned = 1"))
        self.pinned_label.setText(
            f"{pinned} pinned theme{'s' if pinned != 1 else ''} and "
            f"{'its' if pinned == 1 else 'their'} cards are not counted in the number above."
            if pinned else
            "Accept a theme to keep its cards through a rerun (new cards may still join it); "
            "pin it to keep new cards out too.")
        if self.reads.ask("outlook", rerun_outlook, self._show_outlook,
                          failed=lambda e: self.keep_label.setText(
                              "What a run would keep could not be read.")):
            self.keep_label.setText("Reading what a run would keep…")
        cfg = p.setting("embedding_backend", None) or {"kind": "local"}
        if cfg.get("kind") == "remote":
            kind = SERVER
            self.url_edit.setText(str(cfg.get("url", "")))
            self.remote_model_edit.setText(str(cfg.get("model", "")))
            self.key_env_edit.setText(str(cfg.get("api_key_env", "") or ""))
        elif cfg.get("model_dir"):
            kind = FOLDER
            self.folder_edit.setText(str(cfg["model_dir"]))
        else:
            kind = BUNDLED
        self.model_combo.setCurrentIndex(self.model_combo.findData(kind))

    def _show_outlook(self, outlook: RerunOutlook | None) -> None:
        """What Find themes keeps of the team's work (accepted and pinned themes, cards placed
        by hand) and what it may move, before the researcher runs it."""
        if outlook is None:             # no project
            return
        self.keep_label.setText(describe_outlook(outlook))
        self._fit()

    def _show_sortable(self, sortable: int | None) -> None:
        """Bound the number of themes by the cards to sort (a theme of one card is the least
        there is); the number shown drops to the bound if it was above."""
        if sortable is None:            # no project
            return
        self.sortable = sortable
        most = max(2, min(MOST_THEMES, sortable))
        self.k_spin.setRange(2, most)
        self.k_spin.setToolTip(f"At most {most}: the cards to sort ({sortable:,}) "
                               "make no more themes" if most < MOST_THEMES else
                               f"At most {MOST_THEMES}")

    def _fit(self) -> None:
        """As tall as every wrapped line needs at the dialog's width, no taller (shown rows
        change with the model chosen, and the cache line with the count). A label's new text
        reaches the group box around it by a posted layout request: those are sent first, or the
        box's old height is measured."""
        QApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        self.layout().invalidate()
        self.layout().activate()
        width = max(self.width(), self.minimumWidth())
        height = self.layout().heightForWidth(width) if self.layout().hasHeightForWidth() \
            else self.sizeHint().height()
        self.resize(width, max(height, self.minimumSizeHint().height()))

    def _on_model_changed(self) -> None:
        kind = self.model_combo.currentData()
        form = self.folder_row.parentWidget().layout()
        for w in (self.folder_row, self.url_edit, self.remote_model_edit, self.key_env_edit):
            label = form.labelForField(w)
            visible = (kind == FOLDER) if w is self.folder_row else (kind == SERVER)
            w.setVisible(visible)
            if label is not None:
                label.setVisible(visible)
        self.server_warning.setVisible(kind == SERVER)
        self.error_label.clear()
        self._show_cache()
        self._fit()

    def _show_cache(self) -> None:
        """How many cards already have a vector from the chosen model (a new model embeds every
        card again, once); counted on the window's reader over a big project."""
        cfg, _ = self._config()
        if cfg is None:
            self.reads.forget("count")
            self._show_cache_text("")
            return
        from synth.board import cards
        from synth.themes.embeddings import backend_from_config, cached_among
        model = backend_from_config(cfg).model_name

        def read(p: Any) -> tuple[int, int, int]:
            texts = [c.text for c in cards(p)]
            return (*cached_among(p, model, texts), len(texts))

        def show(counts: tuple[int, int, int]) -> None:
            done, total, n_cards = counts
            # texts, not cards: cards with the same words share one vector
            same = (f" ({n_cards:,} cards; {n_cards - total:,} repeat another card's words "
                    "and share its vector)" if n_cards > total else "")
            self._show_cache_text(
                f"{done:,} of the {total:,} different card texts already embedded with this "
                f"model{same}"
                + ("." if done >= total else "; the rest are embedded when the themes are "
                                              "found (saved in the project)."))
        if self.reads.ask("count", read, show):
            self._show_cache_text("Counting the cards this model has already embedded…")

    def _show_cache_text(self, text: str) -> None:
        """The cache line, with the dialog as tall as its lines then need: a longer line in a
        dialog of the same height squeezed the server warning above it."""
        if text != self.cache_label.text():
            self.cache_label.setText(text)
            self._fit()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Model folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
            self._show_cache()

    def _config(self) -> tuple[dict[str, Any] | None, str]:
        return backend_config(self.model_combo.currentData(), self.folder_edit.text(),
                              self.url_edit.text(), self.remote_model_edit.text(),
                              self.key_env_edit.text())

    # ------------------------------------------------------------------ result
    def settings(self) -> dict[str, Any]:
        """What the window stores and runs with: ``k`` (None: Synth chooses), ``seed``,
        ``backend`` (the ``embedding_backend`` setting)."""
        cfg, _ = self._config()
        return {"k": self.k_spin.value() if self.exact_radio.isChecked() else None,
                "seed": self.seed_spin.value(), "backend": cfg}

    def accept(self) -> None:
        cfg, problem = self._config()
        if cfg is None:
            self.error_label.setText(problem)
            self._fit()
            return
        super().accept()
