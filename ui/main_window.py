"""The main window (a first shell: the board issue fills it)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from synth.project import Project, ProjectError


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.setWindowTitle("Synth")
        self.label = QLabel("Open a project (File → Open) or import data to begin.")
        self.label.setAccessibleName("Project summary")
        self.setCentralWidget(self.label)
        self.resize(1200, 800)

    def open_project(self, path: Path) -> None:
        try:
            self.project = Project.open(path)
        except ProjectError as e:
            QMessageBox.warning(self, "Synth", str(e))
            return
        s = self.project.summary()
        self.setWindowTitle(f"{path.name} — Synth")
        self.label.setText(f"{s.statements:,} statements · {s.votes:,} votes · {s.notes:,} notes")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.project is not None:
            self.project.close()
        super().closeEvent(event)
