"""The memory of a process and all its descendants, sampled.

``ru_maxrss`` from ``wait4`` gives the peak of the largest single process;
a build that forks children (``kg.pipeline.forked``) uses the memory of all
at once. :class:`TreeMemory` reads the proportional set size (PSS: each
page shared by n processes counted 1/n in each, so the sum is the memory
the tree holds; a forked child's resident set would count every page it
still shares with its parent again) of the process and of every descendant
from ``/proc/PID/smaps_rollup`` every ``interval`` seconds, and keeps the
largest sum seen. Linux only (elsewhere it reports None).
"""
from __future__ import annotations

import threading
from pathlib import Path

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
    """The process's PSS in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0.0


class TreeMemory:
    """Start with the root process's pid; ``stop()`` returns the peak (MB)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self._done.is_set():
            self.peak = max(self.peak, sum(_resident_mb(pid) for pid in _tree(self.pid)))
            self._done.wait(self.interval)

    def stop(self) -> float | None:
        self._done.set()
        self._thread.join()
        return round(self.peak, 1) if self.peak else None
