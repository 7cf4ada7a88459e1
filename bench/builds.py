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

With ``--against REV`` (e.g. ``--against main``) the cold build and the no-op
rebuild of that commit's code (its ``src/``, taken with ``git archive``) are
measured too, on the same project, just before this checkout's, and the two
artefacts are compared: the same quads in every named graph (blank nodes
matched by shape at sizes up to --full-compare-max, counted above it).
Up to --owlrl-max, plain owlrl's closure of the same triples is timed too
(the goal: a whole cold build at least ten times faster than that alone).

Writes bench/results/builds.json."""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from resultfile import write_json  # noqa: E402
from tree_memory import TreeMemory  # noqa: E402

from generate import ensure_project  # noqa: E402
from servers import kg_command, kg_serving  # noqa: E402

RDFLIB_SERVE_MAX = 10  # rdflib holds the graph in memory once per worker: past 10x that is gigabytes each


def project(size: int) -> Path:
    return ensure_project(size, progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True))


def timed_kg(root: Path, *args: str, src: Path | None = None, build: str = "build", sample: bool = False) -> dict:
    """Run kg in a child process (``src``: another commit's code): wall
    time and the peak RSS (MB) of its largest process (``ru_maxrss``); with
    ``sample``, the peak PSS of the process and its children summed
    (``tree_memory``, every 0.1 s: reading a large process's PSS takes the
    kernel a tenth of a second at 100x, so this run's time is not the
    build's)."""
    env = {**os.environ, "KG_PROJECT_DIR": str(root), "KG_BUILD_DIR": str(root / build)}
    command = kg_command()
    if src is not None:
        env["PYTHONPATH"] = str(src)
        command = [sys.executable, "-c", "from kg.cli import main; raise SystemExit(main())"]
    start = time.perf_counter()
    child = subprocess.Popen([*command, *args], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    tree = TreeMemory(child.pid, interval=0.1) if sample else None
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    tree_peak = tree.stop() if tree is not None else None
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed with exit code {child.returncode} in {root}")
    row = {"wall_s": round(wall, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}
    return {**row, "peak_tree_pss_mb": tree_peak} if sample else row


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


def extract(rev: str, into: Path) -> tuple[Path, str]:
    """Another commit's ``src/`` in ``into``, and its short hash."""
    root = BENCH.parent
    archive = subprocess.run(["git", "-C", str(root), "archive", rev, "src"], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", rev], capture_output=True, text=True,
                            check=True).stdout.strip()
    return into / "src", commit


def cold_and_noop(root: Path, src: Path | None = None, build: str = "build") -> dict:
    shutil.rmtree(root / build, ignore_errors=True)
    row = {"cold": timed_kg(root, "build", src=src, build=build)}
    manifest = json.loads((root / build / "manifest.json").read_text(encoding="utf-8"))
    row["stages_s"] = manifest["timings"]
    row["asserted"], row["inferred"] = manifest["asserted_triples"], manifest["inferred_triples"]
    row["noop_s"] = statistics.median(timed_kg(root, "build", src=src, build=build)["wall_s"] for _ in range(5))
    # the memory of the build with the processes it forks, in a run of its own
    row["cold"]["peak_tree_pss_mb"] = timed_kg(root, "build", "--force", src=src, build=build,
                                               sample=True)["peak_tree_pss_mb"]
    return row


def artefact_digest(path: Path, full: bool) -> dict:
    """Per named graph: the sha256 of its sorted quads without blank nodes
    (as Oxigraph writes them, whoever wrote the file) and how many have
    one; with ``full``, its blank-node quads as an rdflib graph made
    canonical (blank nodes matched by shape)."""
    import pyoxigraph as ox
    plain, blank = {}, {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        line = f"{quad.subject} {quad.predicate} {quad.object}"
        key = str(quad.graph_name)
        (blank if "_:" in line else plain).setdefault(key, []).append(line)
    out = {g: {"plain": hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16]} for g, lines in plain.items()}
    for g, lines in blank.items():
        entry = out.setdefault(g, {})
        entry["blank"] = len(lines)
        if full:
            from rdflib import Graph
            from rdflib.compare import to_canonical_graph
            graph = Graph().parse(data=" .\n".join(lines) + " .\n", format="nt")
            canonical = sorted(" ".join(t.n3() for t in triple) for triple in to_canonical_graph(graph))
            entry["blank_canonical"] = hashlib.sha256("\n".join(canonical).encode()).hexdigest()[:16]
    return out


OWLRL_CLOSURE = """
import sys, time, owlrl
from rdflib import Graph
from kg.pipeline.load import load_graphs
graph = Graph()
graph.addN((s, p, o, graph) for s, p, o in load_graphs()[0].asserted())
start = time.perf_counter()
owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
print(round(time.perf_counter() - start, 3))
"""


def owlrl_closure_s(root: Path) -> float:
    """Plain owlrl's closure of the project's asserted triples alone (not
    the parsing, not the copy into its graph), in a child process."""
    env = {**os.environ, "KG_PROJECT_DIR": str(root)}
    done = subprocess.run([sys.executable, "-c", OWLRL_CLOSURE], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def bench_size(size: int, stores: list[str], against: tuple[Path, str] | None = None, full_max: int = 1,
               owlrl_max: int = 1) -> dict:
    root = project(size)
    row = {"size": size}
    if size <= owlrl_max:
        print(f"… {size}x: plain owlrl's closure alone", file=sys.stderr, flush=True)
        row["owlrl_closure_s"] = owlrl_closure_s(root)
    if against is not None:
        src, commit = against
        print(f"… {size}x: cold build and no-op rebuild of {commit}", file=sys.stderr, flush=True)
        row["before"] = {"code": commit, **cold_and_noop(root, src, build="build-before")}
    print(f"… {size}x: cold build", file=sys.stderr, flush=True)
    row.update(cold_and_noop(root))
    if against is not None:
        print(f"… {size}x: comparing the two artefacts", file=sys.stderr, flush=True)
        mine, theirs = (artefact_digest(root / build / "kg.nq", size <= full_max) for build in ("build", "build-before"))
        row["same_artefact_content"] = mine == theirs
        row["artefact_compared"] = "every quad" if size <= full_max else "quads without blank nodes; blank-node quads counted"
        shutil.rmtree(root / "build-before", ignore_errors=True)

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
    parser.add_argument("--against", help="also measure this commit's build (its src/), e.g. main")
    parser.add_argument("--full-compare-max", type=int, default=1,
                        help="largest size whose artefacts are compared blank node for blank node")
    parser.add_argument("--owlrl-max", type=int, default=1,
                        help="largest size at which plain owlrl's closure is timed, for the goal's ratio")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "builds.json")
    args = parser.parse_args(argv)
    stores = [s for s in args.serve_stores.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        against = extract(args.against, Path(tmp)) if args.against else None
        rows = [bench_size(int(size), stores, against, args.full_compare_max, args.owlrl_max)
                for size in args.sizes.split(",")]
    if args.out.exists():  # keep the figures of sizes not run this time
        done = {r["size"] for r in rows}
        earlier = json.loads(args.out.read_text(encoding="utf-8")).get("runs", [])
        rows = sorted(rows + [r for r in earlier if r["size"] not in done], key=lambda r: r["size"])
    write_json(args.out, {"cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d"), "runs": rows})
    for r in rows:
        if "before" in r:
            print(f"{r['size']:>4}x  before ({r['before']['code']}): cold {r['before']['cold']['wall_s']:8.1f} s "
                  f"({r['before']['cold']['peak_rss_mb']:.0f} MB)  no-op {r['before']['noop_s']:.2f} s  "
                  f"same artefact content: {r['same_artefact_content']}")
        if "owlrl_closure_s" in r:
            print(f"{r['size']:>4}x  plain owlrl's closure alone {r['owlrl_closure_s']:.1f} s: "
                  f"{r['owlrl_closure_s'] / r['cold']['wall_s']:.1f}x the whole cold build")
        print(f"{r['size']:>4}x  cold {r['cold']['wall_s']:8.1f} s ({r['cold']['peak_rss_mb']:.0f} MB, "
              f"{r['cold'].get('peak_tree_pss_mb') or 0:.0f} MB with its children, PSS)  "
              f"no-op {r['noop_s']:.2f} s  one file changed {r['one_file_changed']['wall_s']:.1f} s  "
              f"source text changed {r.get('source_text_changed', {}).get('wall_s', float('nan')):.1f} s  "
              f"serve {r['serve_start_s']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
