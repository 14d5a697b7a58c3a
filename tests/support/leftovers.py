"""What a stopped Sayso left behind: processes still running, and ports still listening.

A run is recognised by a folder only it uses (its log folder, in a temporary directory): every
process it starts inherits that folder in its environment, or names it on its command line
(PostgreSQL's data folder). This still finds children after their parent has gone and they
were handed to process 1, which is exactly the case to catch.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

#: How long processes may take to finish stopping once asked (PostgreSQL, Rasa saving state).
SETTLE_SECONDS = 60


def processes_marked_with(marker: str) -> list[str]:
    """ "pid command" for every live process whose environment or command line holds `marker`."""
    found = []
    needle = marker.encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():
            continue
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            environment = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if state != "Z" and (needle in command or needle in environment):
            words = command.replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{pid} {words[:120]}")
    return found


def listening(ports: list[int]) -> list[int]:
    """The ports that still accept a connection on loopback."""
    open_ports = []
    for port in ports:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                open_ports.append(port)
        except OSError:
            pass
    return open_ports


def left_behind(marker: str, ports: list[int]) -> tuple[list[str], list[int]]:
    """What is still running or listening once everything has had time to stop."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        running, open_ports = processes_marked_with(marker), listening(ports)
        if not (running or open_ports) or time.monotonic() > deadline:
            return running, open_ports
        time.sleep(0.5)
