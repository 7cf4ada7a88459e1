"""A request budget per client: a token bucket by remote address. Each
request takes a token; tokens come back at ``rate`` a second up to
``burst``. A client with none left gets 429 and a Retry-After."""
from __future__ import annotations

import math
import threading
import time

from kg.errors import TooManyRequests

MAX_CLIENTS = 10_000  # buckets kept; full ones are forgotten first


class Budget:
    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self.lock = threading.Lock()

    def charge(self, client: str) -> None:
        """Take one token from the client's bucket, or raise TooManyRequests."""
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self.lock:
            tokens, when = self.buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - when) * self.rate)
            if tokens < 1:
                self.buckets[client] = (tokens, now)
                wait = max(1, math.ceil((1 - tokens) / self.rate))
                raise TooManyRequests(f"429 Too Many Requests: this client's request budget is spent; "
                                      f"retry in {wait} s", wait)
            self.buckets[client] = (tokens - 1, now)
            if len(self.buckets) > MAX_CLIENTS:
                self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        for client, (tokens, when) in list(self.buckets.items()):
            if tokens + (now - when) * self.rate >= self.burst:
                del self.buckets[client]
