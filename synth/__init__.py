"""Synth's engine: data model, project file, importers and analyses. No Qt below this line."""
__version__ = "0.1.0"
