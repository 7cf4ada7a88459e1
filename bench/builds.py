"""Builds and server start-up at each size.

    python bench/builds.py [--sizes 1,10,100] [--serve-stores rdflib,oxigraph]

For each size, on the project ``bench/generate.py N`` writes under
bench/work/xN (size 1 is the real data, rewritten as N-Triples):

- a cold ``kg build`` (the build folder removed first): wall time, the
  stages' times from the manifest, and the peak memory of the process;
- ``kg build`` again with nothing changed (median of 5);
- ``kg build`` after a comment is added to one data file (the file's hash
  changes, its triples do not);
- ``kg build`` after a line is added to the end of one source text (the
  excerpts are checked again, nothing is reasoned);
- ``kg serve`` started on the existing artefact until /sparql answers, for
  each store: the first start (the oxigraph store is made from the artefact)
  and a second one (the on-disk store is reused).

Writes bench/results/builds.json."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from resultfile import write_json  # noqa: E402

from generate import ensure_project  # noqa: E402
from servers import kg_command, kg_serving  # noqa: E402

RDFLIB_SERVE_MAX = 10  # rdflib holds the graph in memory once per worker: past 10x that is gigabytes each


def project(size: int) -> Path:
    return ensure_project(size, progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True))


def timed_kg(root: Path, *args: str) -> dict:
    """Run kg in a child process: wall time, peak RSS (MB), exit code."""
    env = {**os.environ, "KG_PROJECT_DIR": str(root), "KG_BUILD_DIR": str(root / "build")}
    start = time.perf_counter()
    child = subprocess.Popen([*kg_command(), *args], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed with exit code {child.returncode} in {root}")
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def serve_start(root: Path, store: str) -> float:
    env = {"KG_PROJECT_DIR": str(root), "KG_BUILD_DIR": str(root / "build")}
    start = time.perf_counter()
    with kg_serving(store, BENCH / "work" / f"serve-start-{root.name}-{store}.log", env=env, timeout=1800):
        return round(time.perf_counter() - start, 2)


def rebuild_after_appending(root: Path, path: Path, extra: bytes) -> dict:
    """The figures of a ``kg build`` after ``extra`` is appended to an input;
    the input is then put back and built again (not timed). A source text's
    new sha256 is recorded in sources/SHA256SUMS, as for a corrected copy
    (else the build refuses the changed text)."""
    original = path.read_bytes()
    sums = path.parent / "SHA256SUMS"
    recorded = sums.read_bytes() if path.parent.name == "sources" else None
    try:
        path.write_bytes(original + extra)
        if recorded is not None:
            digest = hashlib.sha256(original + extra).hexdigest()
            sums.write_text("".join(f"{digest}  {path.name}\n" if line.endswith(f"  {path.name}") else line + "\n"
                                    for line in recorded.decode("utf-8").splitlines()), encoding="utf-8")
        return {"file": path.name, **timed_kg(root, "build")}
    finally:
        path.write_bytes(original)
        if recorded is not None:
            sums.write_bytes(recorded)
        timed_kg(root, "build")


def bench_size(size: int, stores: list[str]) -> dict:
    root = project(size)
    shutil.rmtree(root / "build", ignore_errors=True)
    print(f"… {size}x: cold build", file=sys.stderr, flush=True)
    row = {"size": size, "cold": timed_kg(root, "build")}
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    row["stages_s"] = manifest["timings"]
    row["asserted"], row["inferred"] = manifest["asserted_triples"], manifest["inferred_triples"]
    print(f"… {size}x: rebuild with nothing changed", file=sys.stderr, flush=True)
    row["noop_s"] = statistics.median(timed_kg(root, "build")["wall_s"] for _ in range(5))

    data_file = sorted((root / "data").glob("*.ttl"))[0]
    print(f"… {size}x: rebuild after a comment is added to {data_file.name}", file=sys.stderr, flush=True)
    row["one_file_changed"] = rebuild_after_appending(root, data_file, b"\n# touched by bench/builds.py\n")
    source = sorted((root / "sources").glob("*.txt"))[0]
    print(f"… {size}x: rebuild after a line is added to the source text {source.name}", file=sys.stderr, flush=True)
    row["source_text_changed"] = rebuild_after_appending(root, source, b"\nA line added by bench/builds.py.\n")

    row["serve_start_s"] = {}
    for store in stores:
        if store == "rdflib" and size > RDFLIB_SERVE_MAX:
            continue
        print(f"… {size}x: kg serve --store {store}", file=sys.stderr, flush=True)
        first = serve_start(root, store)
        row["serve_start_s"][store] = {"first": first, "again": serve_start(root, store)}
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--serve-stores", default="rdflib,oxigraph")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "builds.json")
    args = parser.parse_args(argv)
    stores = [s for s in args.serve_stores.split(",") if s]
    rows = [bench_size(int(size), stores) for size in args.sizes.split(",")]
    if args.out.exists():  # keep the figures of sizes not run this time
        done = {r["size"] for r in rows}
        earlier = json.loads(args.out.read_text(encoding="utf-8")).get("runs", [])
        rows = sorted(rows + [r for r in earlier if r["size"] not in done], key=lambda r: r["size"])
    write_json(args.out, {"cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d"), "runs": rows})
    for r in rows:
        print(f"{r['size']:>4}x  cold {r['cold']['wall_s']:8.1f} s ({r['cold']['peak_rss_mb']:.0f} MB)  "
              f"no-op {r['noop_s']:.2f} s  one file changed {r['one_file_changed']['wall_s']:.1f} s  "
              f"source text changed {r.get('source_text_changed', {}).get('wall_s', float('nan')):.1f} s  "
              f"serve {r['serve_start_s']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
