"""Heavy clients get the time light ones leave: while a light client's
query runs, or the web server itself answers a request (a page, a Linked
Data document: :meth:`Pauser.foreground_begin`), the workers running heavy
clients' queries are paused (SIGSTOP) and go on (SIGCONT) when neither is
left. A client is heavy once its queries took long on average lately
(:mod:`kg.serving.fair`): a new client's first query is never paused.

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
        self.light_running = 0  # light clients' queries and requests the web server answers itself
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
                self._light_begins()

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
                self._light_ends()

    def foreground_begin(self) -> None:
        """The web server starts answering a request itself: heavy queries
        wait meanwhile, as for a light client's query."""
        with self.lock:
            self._light_begins()

    def foreground_end(self) -> None:
        """Once for each :meth:`foreground_begin`."""
        with self.lock:
            self._light_ends()

    # ------------------------------------------------------------ under the lock
    def _light_begins(self) -> None:
        self.light_running += 1
        for heavy in self.heavy_running:
            self._pause(heavy.worker)

    def _light_ends(self) -> None:
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
