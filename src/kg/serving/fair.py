"""Which waiting query gets the next free worker: fair queuing between
clients by the worker time each used recently, as public endpoints budget
per client.

- **Usage** is the worker-seconds a client's queries took, decaying with a
  half-life of ``HALF_LIFE`` seconds; divided by its mean life it is the share
  of one worker the client used lately (0.5: half a worker, all the time).
- **Order**: a free worker goes to the waiting query whose client used the
  least; ties go to the one that came first.
- **One at a time**: a client with a query running or waiting gets 429 for
  a second one (a client cannot take several workers by sending in parallel).
- **A lane of their own for light clients**: each worker is in a lane,
  ``LIGHT`` (the first worker, when there are several) or ``ANY``. Only a
  client known to be light (its queries lately took under ``HEAVY_QUERY``
  seconds on average) runs in the ``LIGHT`` lane; heavy clients and new
  ones run in the ``ANY`` lane, whose workers the pool also pauses while a
  light client's query runs, so a client sending small queries never waits
  behind the long ones of others, for a worker or for a core, nor behind
  the first long query of a new client.
- **Stopped sooner under congestion**: :meth:`FairQueue.congested_for` tells
  the pool that a query has a lighter client waiting behind it, counting
  the time the running query has taken so far; the pool then stops it
  after ``congested_timeout``, or at once (``HEAVY_GRACE``) when its client
  is heavy: a heavy client is served with the time light ones leave.
- **A bounded queue**: when ``queue_length`` queries wait, a new one from
  a lighter client takes the place of the heaviest waiting one (which gets
  503); otherwise the newcomer gets 503. Every refusal carries Retry-After.

Thread-safe: the web server's threads call :meth:`FairQueue.acquire` and
:meth:`FairQueue.release` around each query.
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from dataclasses import dataclass

from kg.errors import QueryTimeout, TooManyRequests

HALF_LIFE = 10.0    # seconds: how long a client's past use counts against it
HEAVY_GRACE = 0.2  # seconds a heavy client's query runs on while a lighter client waits
HEAVY_QUERY = 0.5  # seconds a client's queries took on average lately, above which it is heavy
LIGHT, ANY = "light", "any"  # worker lanes
MAX_CLIENTS = 10_000  # usage records kept; the lightest are forgotten first
LOCAL = "(this process)"  # the client of calls made from Python, not through the web
DECAY = math.log(2) / HALF_LIFE


class Usage:
    """Worker-seconds and queries per client, both decaying exponentially."""

    def __init__(self):
        self.table: dict[str, tuple[float, float, float]] = {}  # client -> (worker-seconds, queries, when)

    def share(self, client: str, now: float) -> float:
        """The share of one worker the client used lately (0 to about 1)."""
        seconds, _queries, when = self.table.get(client, (0.0, 0.0, now))
        return seconds * math.exp(-DECAY * (now - when)) * DECAY

    def heavy(self, client: str) -> bool:
        """Its queries took long, on average, lately."""
        seconds, queries, _when = self.table.get(client, (0.0, 0.0, 0.0))
        return queries > 0 and seconds / queries > HEAVY_QUERY

    def known_light(self, client: str) -> bool:
        """It sent queries lately, and they were quick on average."""
        _seconds, queries, _when = self.table.get(client, (0.0, 0.0, 0.0))
        return queries > 0 and not self.heavy(client)

    def charge(self, client: str, seconds: float, now: float) -> None:
        old_seconds, queries, when = self.table.get(client, (0.0, 0.0, now))
        fade = math.exp(-DECAY * (now - when))
        self.table[client] = (old_seconds * fade + seconds, queries * fade + 1, now)
        if len(self.table) > MAX_CLIENTS:
            for name in sorted(self.table, key=lambda c: self.share(c, now))[: MAX_CLIENTS // 2]:
                del self.table[name]


@dataclass(eq=False)
class Ticket:
    """One query's claim on a worker, from waiting until released."""

    client: str
    order: int
    worker: object = None
    heavy: bool = False  # its client was heavy when it started: stopped at once for a lighter one
    started: float = 0.0
    ended: bool = False  # the pool's bookkeeping of its run is done
    refused: Exception | None = None


class FairQueue:
    def __init__(self, workers: int, queue_length: int, queue_timeout: float):
        self.queue_length, self.queue_timeout = queue_length, queue_timeout
        self.usage = Usage()
        self.idle: list = []
        self.waiting: list[Ticket] = []
        self.clients: set[str] = set()  # with a query running or waiting
        self.counter = itertools.count()
        self.cond = threading.Condition()

    def acquire(self, client: str | None) -> Ticket:
        """A ticket holding a worker; TooManyRequests or QueryTimeout if none is given.
        ``client`` None: a caller in this process (a test, a script), not held to one at a time."""
        with self.cond:
            if client is None:
                return self._wait(self._enqueue(Ticket(LOCAL, next(self.counter))))
            if client in self.clients:
                raise TooManyRequests("429 Too Many Requests: this client already has a query running or "
                                      "waiting; send the next when it is answered", 1)
            ticket = self._enqueue(Ticket(client, next(self.counter)))
            self.clients.add(client)
            try:
                return self._wait(ticket)
            except BaseException:
                self.clients.discard(client)
                raise

    def release(self, ticket: Ticket, worker_back=None) -> None:
        """The query is done: charge its worker time; ``worker_back`` is idle again
        (None when the worker was killed; its replacement comes through :meth:`add`)."""
        now = time.monotonic()
        with self.cond:
            self.usage.charge(ticket.client, now - ticket.started, now)
            if ticket.client != LOCAL:
                self.clients.discard(ticket.client)
            if worker_back is not None:
                self.idle.append(worker_back)
            self.cond.notify_all()

    def add(self, worker) -> None:
        """A new worker is ready."""
        with self.cond:
            self.idle.append(worker)
            self.cond.notify_all()

    def congested_for(self, ticket: Ticket) -> bool:
        """Someone lighter than this ticket's client waits for a worker (the
        running query's time so far counts as if it had ended now)."""
        with self.cond:
            if not self.waiting:
                return False
            now = time.monotonic()
            mine = self.usage.share(ticket.client, now) + (now - ticket.started) * DECAY
            return any(self.usage.share(w.client, now) < mine for w in self.waiting)

    def share(self, client: str) -> float:
        with self.cond:
            return self.usage.share(client, time.monotonic())

    def idle_count(self) -> int:
        with self.cond:
            return len(self.idle)

    # ------------------------------------------------------------ under the lock
    def _enqueue(self, ticket: Ticket) -> Ticket:
        if len(self.waiting) >= self.queue_length:
            now = time.monotonic()
            heaviest = max(self.waiting, key=lambda w: (self.usage.share(w.client, now), w.order))
            if self.usage.share(heaviest.client, now) <= self.usage.share(ticket.client, now):
                raise QueryTimeout("503 Service Unavailable: every query worker is busy and the queue is full; "
                                   "try again shortly", 5)
            heaviest.refused = QueryTimeout("503 Service Unavailable: a lighter client took this query's place "
                                            "in the queue; try again later", 10)
            self.waiting.remove(heaviest)
            self.cond.notify_all()
        self.waiting.append(ticket)
        return ticket

    def _wait(self, ticket: Ticket) -> Ticket:
        deadline = time.monotonic() + self.queue_timeout
        while True:
            if ticket.refused is not None:
                raise ticket.refused
            chosen = self._next()
            if chosen is not None and chosen[0] is ticket:
                return self._start(ticket, chosen[1])
            left = deadline - time.monotonic()
            if left <= 0:
                self.waiting.remove(ticket)
                self.cond.notify_all()
                raise QueryTimeout("503 Service Unavailable: every query worker stayed busy; try again shortly", 5)
            self.cond.wait(left)

    def _next(self) -> tuple[Ticket, object] | None:
        """(the waiting ticket that gets an idle worker now, that worker), if any may."""
        if not self.idle:
            return None
        now = time.monotonic()
        for ticket in sorted(self.waiting, key=lambda w: (self.usage.share(w.client, now), w.order)):
            lanes = (LIGHT, ANY) if self.usage.known_light(ticket.client) else (ANY,)
            for lane in lanes:
                for worker in self.idle:
                    if worker.lane == lane:
                        return ticket, worker
        return None

    def _start(self, ticket: Ticket, worker) -> Ticket:
        self.waiting.remove(ticket)
        self.idle.remove(worker)
        ticket.worker, ticket.started = worker, time.monotonic()
        ticket.heavy = self.usage.heavy(ticket.client)
        self.cond.notify_all()  # the next in line may find another idle worker
        return ticket
