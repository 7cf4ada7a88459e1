"""Heavy clients get the time light ones leave: while a light client's
query runs, the workers running heavy clients' queries are paused (SIGSTOP)
and go on (SIGCONT) when no light query runs.

Why not only a lower CPU priority: on a machine of two cores a CPU-bound
query on one core slows the other core's work too (shared caches and
memory bandwidth), whatever its priority, and light clients' small queries
took twice as long beside a heavy one (bench/hostile_load.py). A paused
query's time limit keeps running: a heavy query on a busy server is
stopped at its time limit like any other.
"""
from __future__ import annotations

import signal
import threading

from kg.serving.fair import Ticket


class Pauser:
    def __init__(self):
        self.lock = threading.Lock()
        self.light_running = 0
        self.heavy_running: set = set()  # tickets
        self.paused: set = set()  # workers (kg.serving.pool.Worker)

    def begin(self, ticket: Ticket) -> None:
        """A query starts on ``ticket.worker``."""
        with self.lock:
            if ticket.heavy:
                self.heavy_running.add(ticket)
                if self.light_running:
                    self._pause(ticket.worker)
            else:
                self.light_running += 1
                for heavy in self.heavy_running:
                    self._pause(heavy.worker)

    def end(self, ticket: Ticket) -> None:
        """Once per ticket, whichever path comes first."""
        with self.lock:
            if ticket.ended:
                return
            ticket.ended = True
            if ticket.heavy:
                self.heavy_running.discard(ticket)
                self._resume(ticket.worker)
            else:
                self.light_running -= 1
                if not self.light_running:
                    for heavy in self.heavy_running:
                        self._resume(heavy.worker)

    def _pause(self, worker) -> None:
        if worker not in self.paused and worker.signal(signal.SIGSTOP):
            self.paused.add(worker)

    def _resume(self, worker) -> None:
        if worker in self.paused:
            self.paused.discard(worker)
            worker.signal(signal.SIGCONT)
