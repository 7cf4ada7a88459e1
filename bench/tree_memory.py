"""The memory of a process and all its descendants, sampled.

``ru_maxrss`` from ``wait4`` gives the peak of the largest single process;
a build that forks a child (``kg.pipeline.forked``) uses the memory of both
at once. :class:`TreeMemory` reads the resident set of the process and of
every descendant from ``/proc`` every ``interval`` seconds and keeps the
largest sum seen. Pages a forked child still shares with its parent are
counted in both, so the figure is an upper bound. Linux only (elsewhere it
reports None).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 0


def _parents() -> dict[int, int]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def _tree(root: int) -> list[int]:
    parents = _parents()
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(more)
        tree |= more
    return sorted(tree)


def _resident_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_MB
    except (OSError, IndexError, ValueError):
        return 0.0


class TreeMemory:
    """Start with the root process's pid; ``stop()`` returns the peak (MB)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        if not Path("/proc/self/statm").exists():
            return
        while not self._done.is_set():
            self.peak = max(self.peak, sum(_resident_mb(pid) for pid in _tree(self.pid)))
            self._done.wait(self.interval)

    def stop(self) -> float | None:
        self._done.set()
        self._thread.join()
        return round(self.peak, 1) if self.peak else None
