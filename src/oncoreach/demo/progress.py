"""A one-line, in-place progress display for the seeding stages (counts and elapsed time)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``with Progress("people", total) as p: p.advance(n)`` redraws one line on a terminal.

    Off a terminal (CI logs, pipes) it writes only the finished line, so logs stay short.
    """

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self._last_draw = 0.0

    def __enter__(self) -> Progress:
        self.started = time.monotonic()
        self._draw(force=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.done = self.total
        self._draw(force=True, final=True)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def _draw(self, *, force: bool = False, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not final and not (self.interactive and (force or now - self._last_draw > 0.1)):
            return
        self._last_draw = now
        line = f"  {self.label:<22} {self.done:>7,}/{self.total:<7,} {self.elapsed:6.1f} s"
        if self.interactive:
            self.stream.write("\r" + line + ("\n" if final else ""))
        elif final:
            self.stream.write(line + "\n")
        self.stream.flush()
