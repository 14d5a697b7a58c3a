"""Ctrl+C, SIGTERM and a closed terminal stop Sayso once, and the stop always finishes.

The first SIGINT, SIGTERM or SIGHUP raises KeyboardInterrupt in the main thread. That ends
whatever `sayso run` was doing (setting up, training, starting, watching) and leads to stopping
every process. Any later one is ignored. A second signal is common: `make` passes SIGTERM on to
its child after the whole process group has already had it, and people press Ctrl+C twice.
Each of those used to interrupt the stop itself, leaving servers running with no parent.

While a child process is being started (`held`), a signal waits until the child is recorded,
so no child is ever started without being stopped later.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _State:
    """What this process has been asked to do, shared by the handler and the code it stops."""

    stopping = False
    held = 0
    waiting = False


def install() -> None:
    """Handle the stop signals, even where a script started Sayso with SIGINT ignored.

    Except an ignored SIGHUP: that is `nohup`, asking for Sayso to outlive its terminal.
    """
    for number in STOP_SIGNALS:
        if number == signal.SIGHUP and signal.getsignal(number) == signal.SIG_IGN:
            continue
        signal.signal(number, _on_signal)


def _on_signal(_number: int, _frame: FrameType | None) -> None:
    if _State.stopping:
        return
    if _State.held:
        _State.waiting = True
        return
    _State.stopping = True
    raise KeyboardInterrupt


def begin() -> None:
    """Sayso has decided to stop (a signal, or a child that crashed): ignore signals from now."""
    _State.stopping = True


@contextmanager
def held() -> Iterator[None]:
    """Keep a stop signal from cutting this block short; act on it as soon as the block ends."""
    _State.held += 1
    try:
        yield
    finally:
        _State.held -= 1
    if _State.waiting and not _State.held and not _State.stopping:
        _State.waiting = False
        _State.stopping = True
        raise KeyboardInterrupt
