"""Side panels of the main window: each a self-contained widget with ``refresh()``."""
