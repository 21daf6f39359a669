"""Errors raised for input that cannot be read or understood."""

from __future__ import annotations


class InspectorError(Exception):
    """A model source the tool cannot read or understand.

    `str(error)` is one line naming the source and the problem, fit to print as is.

    >>> str(InspectorError("model.keras", "not a zip archive"))
    'model.keras: not a zip archive'
    """

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(f"{source}: {self.problem}")


class ConfigError(ValueError):
    """A configuration value that a rule or the graph builder cannot use.

    Raised without knowing the file name; the caller turns it into an InspectorError or
    into a not-derived row.
    """
