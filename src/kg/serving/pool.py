"""The public endpoint's query runner: a few worker processes (see
:mod:`kg.serving.worker`), each holding the store, handed out fairly between
clients (:mod:`kg.serving.fair`).

A query waits for a worker in the fair queue (503 if none frees up in
``queue_timeout``). It runs up to the time limit, or, when a lighter client
is waiting, up to the shorter ``congested_timeout``: then the worker is
interrupted (a signal; the worker answers "interrupted" and stays) and the
client gets 503 with Retry-After. While a light client's query runs, the
workers running heavy clients' queries are paused (:mod:`kg.serving.pause`).
A worker that does not answer the interrupt within a second (an engine busy
outside Python) is killed and a fresh one started in the background, so a
query that hangs or crashes an engine never takes the server down and the
next request is served normally. A query that timed out is remembered (by its text, whitespace
folded) and refused at once for a while instead of costing a worker again.
"""
from __future__ import annotations

import atexit
import hashlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib import Graph

from kg import errors
from kg.errors import EngineFailure, KgError, QueryTimeout, StoreError
from kg.query.stores.base import Result, Store
from kg.serving.fair import ANY, HEAVY_GRACE, LIGHT, FairQueue, Ticket
from kg.serving.limits import Limits
from kg.serving.pause import Pauser

log = logging.getLogger("kg.serving.pool")
FORWARDED = {cls.__name__: cls for cls in (errors.QueryError, errors.ResultTooLarge, errors.StoreError,
                                           errors.EngineFailure, errors.Refused)}
MEMO_SIZE = 10_000  # queries remembered as too costly
START_TIMEOUT = 120.0  # seconds a new worker may take to load the store
STOP_GRACE = 1.0  # seconds an interrupted worker has to answer before it is killed
SLICE = 0.05  # seconds between looks at a running query's time and the queue
# CPU priority of a worker by its lane (see kg.serving.fair): the shared
# lane, where heavy and new clients run, at the lowest, so that it gets the
# cores the web server and the light lane leave; pausing (kg.serving.pause)
# stops heavy queries outright while pages and light queries run. Measured
# by bench/hostile_load.py on a quiet machine: the good clients kept 84 % of
# their throughput (76 % at nice 5). The price: on a machine busy with other
# work, a new client's first query (never paused) runs slowly
NICENESS = {LIGHT: 0, ANY: 19}


class Worker:
    """One worker process and the parent's end of its connection."""

    def __init__(self, store_name: str, out: Path, limits: Limits, lane: str = ANY):
        self.lane = lane
        self.closing, self.killed = threading.Lock(), False
        parent, child = socket.socketpair()
        command = [sys.executable, "-m", "kg.serving.worker", store_name, str(out), str(child.fileno()),
                   str(limits.worker_memory_mb), str(NICENESS[lane])]
        self.process = subprocess.Popen(command, pass_fds=[child.fileno()], stdin=subprocess.DEVNULL)
        child.close()
        self.connection = Connection(parent.detach())

    def wait_ready(self) -> None:
        if not self.connection.poll(START_TIMEOUT):
            self.kill()
            raise StoreError("a query worker did not start in time")
        message = self.connection.recv()
        if message[0] != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open the store: {message[1]}")

    def interrupt(self) -> None:
        """Ask the worker to stop its query (it answers "Interrupted")."""
        self.signal(signal.SIGUSR1)

    def signal(self, number: int) -> bool:
        if self.killed:
            return False
        try:
            os.kill(self.process.pid, number)
            return True
        except ProcessLookupError:
            return False

    def kill(self) -> None:
        """Stop the process and close the connection, once, whichever thread
        asks first (a second close of the descriptor could close another
        worker's connection that was given the same number meanwhile)."""
        with self.closing:
            if self.killed:
                return
            self.killed = True
        self.process.kill()
        self.process.wait()
        self.connection.close()


class QueryPool(Store):
    name = "pool"

    def __init__(self, store_name: str, out: Path, limits: Limits = Limits()):
        self.store_name, self.out, self.limits = store_name, Path(out), limits
        self.fair = FairQueue(limits.workers, limits.queue_length, limits.queue_timeout)
        self.workers: set = set()
        self.pauser = Pauser()
        self.expensive: dict[str, tuple] = {}  # fingerprint -> (until, the error to answer)
        self.lock = threading.Lock()
        self.closed = False
        for n in range(limits.workers):
            self._start_worker(lane_of(n, limits.workers))
        atexit.register(self.close)

    def _start_worker(self, lane: str) -> None:
        def start():
            try:
                worker = Worker(self.store_name, self.out, self.limits, lane)
                with self.lock:
                    self.workers.add(worker)
                worker.wait_ready()
            except (KgError, OSError, EOFError) as err:
                if not self.closed:  # a pool closed while its workers start stops them on purpose
                    log.error("query worker did not start: %s", str(err) or type(err).__name__)
                return
            if self.closed:
                worker.kill()
            else:
                self.fair.add(worker)
        threading.Thread(target=start, daemon=True, name="kg-worker-start").start()

    def query(self, text: str, bindings: dict | None = None, max_rows: int | None = None,
              client: str | None = None) -> Result:
        return to_result(self._ask(text, bindings, max_rows, None, client))

    def query_serialized(self, text: str, fmt: str, client: str | None = None) -> tuple[str, bytes]:
        """(kind, the whole answer written in ``fmt`` by the worker): see
        :mod:`kg.query.formats` for the formats."""
        reply = self._ask(text, None, None, fmt, client)
        if reply[0] == "error":
            to_result(reply)  # raises the forwarded error
        return reply[1], reply[2]

    def _ask(self, text: str, bindings, max_rows: int | None, fmt: str | None, client: str | None) -> tuple:
        key = fingerprint(text)
        self._refuse_if_expensive(key)
        ticket = self._live_worker(client)
        request = (text, bindings, max_rows if max_rows is not None else self.limits.max_results, fmt)
        self.pauser.begin(ticket)
        try:
            reply, stopped = self._run(ticket, request)
        except (EOFError, OSError):
            self.pauser.end(ticket)
            self._replace(ticket.worker)
            self.fair.release(ticket)
            raise EngineFailure("the query engine failed on this query (its worker was restarted)") from None
        self.pauser.end(ticket)
        if reply is None:  # it did not answer the interrupt
            self._replace(ticket.worker)
            self.fair.release(ticket)
        else:
            self.fair.release(ticket, ticket.worker)
        if stopped and (reply is None or reply[:2] == ("error", "Interrupted")):
            raise self._stopped(key, stopped)
        if reply[0] == "error" and reply[1] == "ResultTooLarge":  # the data is fixed: so is the answer
            self._remember(key, errors.ResultTooLarge(reply[2]))
        return reply

    def _live_worker(self, client: str | None) -> Ticket:
        """A ticket on a worker whose process is alive: one that died while
        idle (killed from outside, out of memory) is replaced, not used."""
        for _ in range(self.limits.workers + 1):
            ticket = self.fair.acquire(client)
            if ticket.worker.process.poll() is None:
                return ticket
            self._replace(ticket.worker)
            self.fair.release(ticket)
        raise EngineFailure("the query workers keep dying; see the server's log")

    def _run(self, ticket: Ticket, request: tuple) -> tuple[tuple | None, str | None]:
        """(the worker's reply or None, why it was stopped: None, "timeout" or "congested")."""
        worker, stopped, stop_at = ticket.worker, None, 0.0
        worker.connection.send(request)
        began = time.monotonic()
        while not worker.connection.poll(SLICE):
            now = time.monotonic()
            if stopped is None:
                if now - began >= self.limits.timeout:
                    stopped = "timeout"
                elif now - began >= self._grace(ticket) and self.fair.congested_for(ticket):
                    stopped = "congested"
                if stopped:
                    self.pauser.end(ticket)  # a paused worker must run to answer
                    worker.interrupt()
                    stop_at = now
            elif now - stop_at > STOP_GRACE:
                return None, stopped
        return worker.connection.recv(), stopped

    def _grace(self, ticket: Ticket) -> float:
        """Seconds a query runs on while a lighter client waits."""
        return min(HEAVY_GRACE, self.limits.congested_timeout) if ticket.heavy else self.limits.congested_timeout

    def _stopped(self, key: str, why: str) -> QueryTimeout:
        if why == "timeout":
            self._remember(key, QueryTimeout("this query ran past the time limit recently and is not run "
                                             "again for now", 60))
            return QueryTimeout(f"the query ran past the time limit of {self.limits.timeout:g} s and was stopped",
                                10)
        return QueryTimeout("503 Service Unavailable: the server is busy and this client used much of it "
                            "lately: the query was stopped while others waited (it may run up to "
                            f"{self.limits.timeout:g} s when the server is not busy); try again later", 10)

    def _remember(self, key: str, error: KgError) -> None:
        with self.lock:
            if len(self.expensive) >= MEMO_SIZE:  # many distinct offenders: start afresh, never grow without bound
                self.expensive.clear()
            self.expensive[key] = (time.monotonic() + self.limits.expensive_ttl, error)

    def _refuse_if_expensive(self, key: str) -> None:
        """A query that timed out or broke the cap lately is answered the same, without running."""
        with self.lock:
            until, error = self.expensive.get(key, (None, None))
            if until is not None and until < time.monotonic():
                del self.expensive[key]
                error = None
        if error is not None:
            raise error

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self.lock:
            self.workers.discard(worker)
        if not self.closed:
            self._start_worker(worker.lane)

    def ready(self, timeout: float = START_TIMEOUT) -> bool:
        """Wait until every worker has started (for tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while self.fair.idle_count() < self.limits.workers and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.fair.idle_count() >= self.limits.workers

    def pids(self) -> list[int]:
        with self.lock:
            return [w.process.pid for w in self.workers]

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.kill()


def lane_of(n: int, workers: int) -> str:
    """The lane of the ``n``-th of ``workers`` workers: a third of them (at
    least one) in the ``ANY`` lane, the rest kept for light clients."""
    return LIGHT if n < workers - max(1, workers // 3) else ANY


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def to_result(reply: tuple) -> Result:
    if reply[0] == "error":
        raise FORWARDED.get(reply[1], EngineFailure)(reply[2])
    _ok, kind, names, rows, boolean, triples = reply
    graph = None
    if triples is not None:
        graph = Graph()
        for triple in triples:
            graph.add(triple)
    return Result(kind, names, rows, boolean, graph)
