"""The Segments panel's form for defining a segment: a name (optional: the rule names it), and
the rule, made by ticking values of a participant characteristic ("Everyone who answered, except
those ticked" for the opposite) or written (``line_manager=yes & region!=London``).

The form only makes the rule: it asks the panel to define the segment (``asked``), which applies
the undoable operation and says how it went; a rule it cannot make is ``refused`` in words."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from synth.errors import UserError
from synth.votes.segment_figures import Characteristic
from synth.votes.segment_rules import resolve_rule
from synth.votes.segments import describe_rule, parse_rule

RULE_HELP = ("Write each condition as characteristic=value. Any of several values: "
             "grade=G6,G7. Everyone except: region!=London (those who gave another region; not "
             "those who gave none). Conditions joined with & must all "
             "hold: line_manager=yes & region!=London. A value holding & or a comma goes in "
             "double quotes: ethnicity=\"Black & Black British\".")


class SegmentForm(QWidget):
    asked = Signal(str, object)     # the name (the rule's when left blank) and the rule
    refused = Signal(str)           # why no rule could be made of what was ticked or written

    def __init__(self, project_provider: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.project_provider = project_provider
        self.characteristics: list[Characteristic] = []
        self._values_of: str | None = None      # the characteristic the values listed are of
        self.setAccessibleName("Define a segment")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name of the new segment")
        self.name_edit.setPlaceholderText("e.g. Line managers outside London (optional)")
        self.how = QTabWidget()
        self.how.setAccessibleName("How to define the segment")
        pick = QWidget()
        pl = QVBoxLayout(pick)
        self.characteristic_box = QComboBox()
        self.characteristic_box.setAccessibleName("Characteristic to pick values of")
        self.characteristic_box.currentIndexChanged.connect(self._fill_values)
        self.values_list = QListWidget()
        self.values_list.setAccessibleName("Values: tick those in the segment")
        self.except_box = QCheckBox("Everyone who answered, except those ticked")
        self.except_box.setAccessibleName("Everyone who gave a value, except the values ticked")
        self.except_box.setToolTip("Those who gave another value; those who gave none are not "
                                   "in the segment")
        pl.addWidget(self.characteristic_box)
        pl.addWidget(self.values_list)
        pl.addWidget(self.except_box)
        write = QWidget()
        wl = QVBoxLayout(write)
        self.rule_edit = QLineEdit()
        self.rule_edit.setAccessibleName("Rule of the new segment")
        self.rule_edit.setPlaceholderText("line_manager=yes & region!=London")
        self.rule_edit.returnPressed.connect(self._define)
        self.rule_help = QLabel(RULE_HELP)
        self.rule_help.setWordWrap(True)
        self.rule_help.setAccessibleName("How to write a rule")
        self.known_label = QLabel("")
        self.known_label.setWordWrap(True)
        self.known_label.setAccessibleName("Characteristics a rule may name")
        wl.addWidget(self.rule_edit)
        wl.addWidget(self.rule_help)
        wl.addWidget(self.known_label)
        wl.addStretch(1)
        self.how.addTab(pick, "Pick values")
        self.how.addTab(write, "Write a rule")
        self.define_button = QPushButton("Define segment")
        self.define_button.setAccessibleName("Define the segment")
        self.define_button.clicked.connect(self._define)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.how)
        lay.addWidget(self.define_button)

    def show_characteristics(self, characteristics: list[Characteristic],
                             writable: bool) -> None:
        """The project's characteristics to pick from and name; ``writable``: defining is
        possible (a project open, not read-only)."""
        self.characteristics = characteristics
        self.define_button.setEnabled(writable)
        box = self.characteristic_box
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        for c in characteristics:
            box.addItem(c.name, c.name)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)
        self._fill_values()
        self.known_label.setText("Characteristics: " + ", ".join(
            c.name for c in characteristics) if characteristics else
            "No participant characteristics in this project: import them (File → Import "
            "data) to define segments.")

    def _fill_values(self, *_: Any) -> None:
        name = self.characteristic_box.currentData()
        ticked = {self.values_list.item(i).data(Qt.UserRole)
                  for i in range(self.values_list.count())
                  if self.values_list.item(i).checkState() == Qt.Checked} \
            if name == self._values_of else set()
        self._values_of = name
        self.values_list.clear()
        c = next((c for c in self.characteristics if c.name == name), None)
        for value, n in (c.values if c else ()):
            item = QListWidgetItem(f"{value} ({n:,})")
            item.setData(Qt.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if value in ticked else Qt.Unchecked)
            self.values_list.addItem(item)

    def picked_rule(self) -> dict:
        """The rule the ticked values make: {"attribute": A, "in" (or "not_in"): [...]}."""
        name = self.characteristic_box.currentData()
        values = [self.values_list.item(i).data(Qt.UserRole)
                  for i in range(self.values_list.count())
                  if self.values_list.item(i).checkState() == Qt.Checked]
        if not name:
            raise UserError("no participant characteristics to pick from: write a rule, or "
                            "import the participants' characteristics first")
        if not values:
            raise UserError(f"tick at least one value of {name}")
        return {"attribute": name, "not_in" if self.except_box.isChecked() else "in": values}

    def _define(self) -> None:
        try:
            rule = self.picked_rule() if self.how.currentIndex() == 0 else \
                parse_rule(self.rule_edit.text())
        except UserError as e:
            self.refused.emit(f"Not defined: {e}.")
            return
        self.asked.emit(self.name_edit.text().strip() or self._named_by_rule(rule), rule)

    def clear(self) -> None:
        """A segment was defined: the next starts with no name and no rule written."""
        self.name_edit.clear()
        self.rule_edit.clear()

    def _named_by_rule(self, rule: dict) -> str:
        """A segment left unnamed is named by its rule as it is stored, in the data's spelling
        ("gender=Woman" for "gender=woman" typed), so its name and its rule read alike."""
        p = self.project_provider()
        if p is None:
            return describe_rule(rule)
        try:
            return describe_rule(resolve_rule(p, rule))
        except UserError:
            return describe_rule(rule)      # refused: defining it says why, in its words
