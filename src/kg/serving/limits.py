"""The limits of a public endpoint, with their defaults: time and result
cap per query, request sizes, the worker processes that run queries, and the
request budget of one client. ``kg serve`` options and the app config
(``LIMITS``) override them."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0          # seconds a query may run before it is stopped (503)
    congested_timeout: float = 2.0 # seconds a query may run while a lighter client waits (503)
    max_results: int = 10_000      # rows (SELECT) or triples (CONSTRUCT) an answer may have (422)
    max_query_bytes: int = 64_000  # query text (413)
    max_body_bytes: int = 128_000  # POST body (413)
    max_url_bytes: int = 16_000    # path and query string of a GET (414)
    max_nesting: int = 24          # brackets { ( [ inside one another, checked before parsing (400)
    workers: int = 3               # query processes, each holding the store (two kept for light clients)
    queue_timeout: float = 30.0    # seconds a query may wait for a free worker (503 after)
    queue_length: int = 16         # queries that may wait for a worker at once (503 past it)
    worker_memory_mb: int = 2048   # address-space limit of a worker (MemoryError, not the OOM killer)
    rate: float = 50.0             # requests per second one client may sustain (0: no budget)
    burst: int = 500               # requests one client may send at once
    expensive_ttl: float = 600.0   # seconds a query that timed out is refused without running again
    trusted_proxy: str = ""        # the address of a reverse proxy whose X-Forwarded-For is believed

    def with_overrides(self, values: dict) -> "Limits":
        names = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if k in names and v is not None})
