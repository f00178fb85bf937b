"""Errors a user can fix, carrying a message key instead of a sentence.

A StationError is expected: bad input, a missing file, a refused action.
The CLI prints its message and exits 2; the UI shows it in a dialog.
Anything else is a bug: it is logged with its traceback and the user gets
a short sentence pointing at the log file.
"""

from __future__ import annotations

from station.i18n import t


class StationError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:  # what logs and tracebacks show
        return self.message()
