"""Errors meant for the researcher: their message is shown as it is, never a traceback."""
from __future__ import annotations


class UserError(Exception):
    """Something the researcher can act on: a missing file, a wrong argument, bad data."""


class ImportProblem(UserError):
    """A file cannot be imported. The message names the file and, where known, row and column.
    Nothing of the import has been written when this is raised."""

    def __init__(self, path: object, message: str, *, row: int | None = None,
                 column: str | None = None) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.detail = message
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column “{column}”"
        super().__init__(f"{where}: {message}")
