"""Which loopback ports are taken, and by which process.

`sayso run` checks its ports before starting anything. Otherwise an old server left running
answers the new run's health check, the new run says "Sayso is running", and only later does
its own server fail with "address already in use".
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from pathlib import Path

#: The state /proc/net/tcp gives a listening socket.
LISTEN = "0A"


def in_use(port: int) -> bool:
    """Whether a server could not listen on this loopback port now.

    SO_REUSEADDR, as servers use: connections closing on the port do not count, a listener
    does (on this address or on every address).
    """
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def busy(ports: Iterable[int]) -> list[int]:
    return [port for port in dict.fromkeys(ports) if in_use(port)]


def listening_inodes(port: int) -> set[str]:
    """The socket inodes listening on this TCP port, IPv4 or IPv6."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == LISTEN:
                inodes.add(fields[9])
    return inodes


def holder(port: int) -> str:
    """ "process 4109 (python -m rasa_sdk ...)", or "" when it cannot be seen (another user)."""
    wanted = {f"socket:[{inode}]" for inode in listening_inodes(port)}
    if not wanted:
        return ""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
            if links & wanted:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                return f"process {pid} ({command.decode(errors='replace').strip()[:100]})"
        except OSError:
            continue
    return ""
