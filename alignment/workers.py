"""Which worker process runs a job, and whether that process is gone.

A job that a worker takes records the process as "HOST PID START": the host's name, the process id and the
process's start time (from /proc, in clock ticks since boot), so that a process id the system has handed to a
new process is not taken for the old one. A worker that starts on the same host, or a sweep there, can then tell
for certain that a job's process is gone and take the job back at once, without waiting for its heartbeat to go
stale. On another host nothing is certain: there the heartbeat tells (alignment.jobs.sweep).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def identity(pid: int | None = None) -> str:
    """This process (or ``pid``) as a job records it."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()} {pid} {_start(pid)[0]}"


def gone(worker: str) -> bool:
    """True only when certain that the process ``worker`` names has ended: it is on this host and its process id
    is free, belongs to a zombie (killed, not yet reaped by its parent) or now belongs to a younger process.
    False for a live process, for one on another host, and for "" (no worker recorded)."""
    host, pid, start = (worker.split(" ") + ["", "", ""])[:3]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    now, state = _start(int(pid))
    if not now:
        return Path("/proc/self/stat").exists() or not _signalable(int(pid))
    return state == "Z" or bool(start) and now != start


def _start(pid: int) -> tuple[str, str]:
    """(start time, state) of a process from /proc/PID/stat; ("", "") if there is no such process or no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "", ""
    # The name, field 2, is in parentheses and may hold spaces; the fields after it start with the state (3).
    fields = stat.rsplit(")", 1)[1].split()
    return fields[19], fields[0]  # field 22 is the start time


def _signalable(pid: int) -> bool:
    """Whether a process of that id exists, where there is no /proc to read."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
