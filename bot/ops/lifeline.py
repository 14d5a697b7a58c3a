"""Each child of `sayso run` stops when `sayso run` is gone, even after `kill -9`.

SIGKILL gives `sayso run` no chance to stop its children, so they ask Linux in advance:
PR_SET_PDEATHSIG sends the child a signal when its parent ends. It is set in the child between
fork and exec, so it works for any program (Rasa, PostgreSQL, nginx) and survives the exec. The
signal is each program's own stop signal, so it stops what it started in turn: PostgreSQL its
backends, nginx its workers.

Linux sends the signal when the *thread* that started the child ends, not the process. So it is
armed only for children started by the main thread, which lives as long as `sayso run`. A child
started by a helper thread (a benchmark restarting servers) is stopped by that harness instead.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable

#: From <linux/prctl.h>.
PR_SET_PDEATHSIG = 1

# Loaded once here: the child runs as little Python as possible between fork and exec.
_prctl = ctypes.CDLL(None, use_errno=True).prctl


def exit_with_parent(stop_signal: int) -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get `stop_signal` when this process ends."""
    if threading.current_thread() is not threading.main_thread():
        return None
    parent = os.getpid()
    number = int(stop_signal)

    def arm() -> None:
        _prctl(PR_SET_PDEATHSIG, number, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request was in place
            os._exit(1)

    return arm
