"""Everything Qt: the main window, the board, panels, undo commands, background tasks."""
