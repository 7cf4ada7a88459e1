"""Per-page latency of the reviewer's explorer: `kg serve` on each store,
one request at a time (no concurrency: what one reviewer waits), on the
real graph (1x).

    python bench/pages.py [--stores rdflib,oxigraph] [--requests 200]

For each store the script starts `kg serve --store NAME` on a free loopback
port, times the first request to each page (cold: its queries run and its
answers are kept), then `--requests` more one after another (warm), and
writes p50, p95 and the slowest of the warm ones, and the cold one, to
bench/results/pages.json, printing a table. Pages: home (the stress-test
chart), the central proposition, a claims-list page with facets, a search
for two words, and a "why?" derivation.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resultfile import write_json  # noqa: E402
from servers import kg_serving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pages.json"
CENTRAL = "trickier-situation-worker-matters"
CLAIM = "b5-therapist-relationship-completion-criminal-justice"
PAGES = {
    "home": "/",
    "proposition": f"/proposition/{CENTRAL}",
    "claims list page": "/claims?" + urlencode({"proposition": CENTRAL, "relation": "supports", "page": 1}),
    "search": "/search?" + urlencode({"q": "therapist relationship"}),
    "why?": "/why?" + urlencode({"s": f"claim:{CLAIM}", "p": "pe:supports", "o": f"prop:{CENTRAL}"}),
}


def timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=60) as r:
        r.read()
        if r.status != 200:
            raise SystemExit(f"{url}: status {r.status}")
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(base: str, requests: int) -> dict:
    out = {}
    for name, path in PAGES.items():
        cold = timed_get(base + path)
        warm = [timed_get(base + path) for _ in range(requests)]
        out[name] = {"path": path, "cold_ms": round(cold, 1), "p50_ms": round(statistics.median(warm), 1),
                     "p95_ms": round(percentile(warm, 95), 1), "max_ms": round(max(warm), 1), "requests": requests}
        print(f"  {name:18} cold {cold:7.1f} ms   p50 {out[name]['p50_ms']:6.1f}   p95 {out[name]['p95_ms']:6.1f}"
              f"   max {out[name]['max_ms']:6.1f}", flush=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="rdflib,oxigraph")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    results = {"machine": platform.platform(), "python": platform.python_version(), "size": "1x",
               "method": "one request at a time after one cold request per page", "stores": {}}
    for store in args.stores.split(","):
        print(f"{store}:", flush=True)
        log = ROOT / "bench" / "work" / f"pages-{store}.log"
        with kg_serving(store, log, options=("--rate-limit", "0")) as (base, _process):
            results["stores"][store] = measure(base, args.requests)
    write_json(RESULTS, results)
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
