"""The researcher's work on a study, without Qt: codebook, codes on passages, quotes and their
redaction, recommendations with their evidence, evidence strength, agreement between coders.

Every change is an ``Operation`` (``synth.operations``) applied with ``project.history.apply``;
the functions that only read take a ``Project`` and return plain dataclasses.
"""
