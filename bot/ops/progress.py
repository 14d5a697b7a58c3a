"""One line that shows how far a long step has got, written over itself on a terminal.

Training used to fill the terminal with Rasa's and TensorFlow's own output. Now that goes to
a log file, and this line is all a person sees: what is happening and how far along it is.
Where the output is not a terminal (a CI log, a file), each change is its own line instead,
and a percentage only every 20 points, so the file stays short.
"""

from __future__ import annotations

import sys
from typing import TextIO

#: Off a terminal, print a percentage only when it passes one of these.
MILESTONE_STEP = 20


class ProgressLine:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.in_place = self.stream.isatty()
        self.shown = ""
        self.milestone = -1

    def show(self, stage: str, percent: int | None = None) -> None:
        """Say what is happening now, and how far through it, if that is known."""
        text = f"  {stage}" + (f": {percent}%" if percent is not None else "")
        if text == self.shown:
            return
        if self.in_place:
            padding = " " * max(0, len(self.shown) - len(text))
            self.stream.write(f"\r{text}{padding}")
        elif percent is None or percent // MILESTONE_STEP != self.milestone:
            self.stream.write(f"{text}\n")
            self.milestone = -1 if percent is None else percent // MILESTONE_STEP
        self.stream.flush()
        self.shown = text

    def finish(self) -> None:
        """End the line, so what is printed next starts on a line of its own."""
        if self.in_place and self.shown:
            self.stream.write("\n")
            self.stream.flush()
        self.shown = ""
