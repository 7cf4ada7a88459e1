"""Synthetic graphs of the real graph's shape: the asserted evidence
replicated N times with fresh IRIs (works, claims, excerpts, measurements get
a ``-copyK`` suffix), the ontology and the shared vocabulary once.

The vocabulary (settings, practitioner factors, outcomes, designs, concept
schemes), the propositions under test and the sources stay single: new
evidence is about the same settings and propositions, the way a new source
adds studies and claims, not a new world. Copying the settings too would make
``pe:trickierThan`` (an order between all settings) grow with the square of
the size and its transitive closure with the cube, which no real growth of
the evidence does. Excerpts keep their offsets into the same source texts,
so the excerpt checks still hold at every size."""
from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from pathlib import Path

from rdflib import BNode, URIRef

from kg.pipeline.load import input_files, load_dataset

ID = "https://w3id.org/practitioner-evidence/id/"
ROOT = Path(__file__).resolve().parent.parent  # the real project, whatever KG_PROJECT_DIR says
WORK = ROOT / "bench" / "work"


COPIED = ("ontology", "shapes", "rules", "sources")  # what the data was generated against
LINKED = ("queries",)  # read when querying: always the project's own, never a stale copy
STAMP = ".generated-from"  # the inputs a generated project was made from


SHARED = tuple(f"{ID}{kind}/" for kind in (
    "scheme", "setting", "factor", "outcome", "design", "concept", "proposition", "source"))


def _rename(term, k: int):
    if k and isinstance(term, URIRef) and str(term).startswith(ID) and not str(term).startswith(SHARED):
        return URIRef(f"{term}-copy{k}")
    if k and isinstance(term, BNode):
        return BNode(f"{term}c{k}")
    return term


def scaled_triples(factor: int) -> set:
    dataset, by_graph = load_dataset(input_files(ROOT))
    ontology, data = set(), set()
    for graph_iri, item in by_graph.items():
        target = ontology if item.layer == "ontology" else data
        target.update(dataset.graph(graph_iri))
    out = set(ontology)
    for k in range(factor):
        out.update(tuple(_rename(t, k) for t in triple) for triple in data)
    return out


def write_project(factor: int, dest: Path, progress=print) -> Path:
    """A project folder for ``kg build`` (KG_PROJECT_DIR=dest): the ontology,
    shapes, rules and sources as they are, a link to the project's queries,
    and each data file replaced by ``factor`` renamed copies of its triples
    (written as N-Triples, which Turtle reads). Whatever was in ``dest``
    goes, its build included."""
    if dest.exists():
        shutil.rmtree(dest)
    for folder in COPIED:
        shutil.copytree(ROOT / folder, dest / folder)
    for folder in LINKED:
        (dest / folder).symlink_to(ROOT / folder, target_is_directory=True)
    (dest / "data").mkdir(parents=True)
    dataset, by_graph = load_dataset(input_files(ROOT))
    written = 0
    for graph_iri, item in sorted(by_graph.items()):
        if item.layer == "ontology":
            continue
        triples = list(dataset.graph(graph_iri))
        tmp = dest / "data" / f"{item.path.stem}.ttl.tmp"
        with open(tmp, "w", encoding="utf-8") as out:
            for k in range(factor):
                for triple in triples:
                    out.write(" ".join(_rename(term, k).n3() for term in triple) + " .\n")
        tmp.replace(tmp.with_suffix(""))
        written += len(triples) * factor
        progress(f"{item.path.name}: {len(triples) * factor} triples")
    (dest / STAMP).write_text(inputs_stamp(factor) + "\n")
    return dest


def inputs_stamp(factor: int) -> str:
    """A hash of the factor and every file the generated project is made
    from (the data and what it was generated against)."""
    digest = hashlib.sha256(f"factor {factor}\n".encode())
    for folder in (*COPIED, "data"):
        for path in sorted(p for p in (ROOT / folder).rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(ROOT)}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_current(factor: int, dest: Path) -> bool:
    stamp = dest / STAMP
    return stamp.is_file() and stamp.read_text().strip() == inputs_stamp(factor) \
        and all((dest / folder).is_symlink() for folder in LINKED)


def ensure_project(factor: int, dest: Path | None = None, progress=print) -> Path:
    """The generated project of a size, (re)written when the project's data,
    ontology, shapes, rules or sources changed since it was made (a stale
    copy would measure old code against new)."""
    dest = dest or WORK / f"x{factor}"
    if not is_current(factor, dest):
        progress(f"writing the {factor}x project in {dest}")
        write_project(factor, dest, progress)
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic project of the real graph's shape.")
    parser.add_argument("factor", type=int, help="how many copies of the evidence (1 = the real graph)")
    parser.add_argument("--out", type=Path, help="folder to write (default bench/work/x<factor>)")
    args = parser.parse_args()
    if args.factor < 1:
        print("generate.py: factor: must be at least 1", file=sys.stderr)
        return 2
    dest = args.out or WORK / f"x{args.factor}"
    start = time.perf_counter()
    write_project(args.factor, dest, progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True))
    print(f"{dest} written in {time.perf_counter() - start:.1f} s; build it with "
          f"KG_PROJECT_DIR={dest} KG_BUILD_DIR={dest}/build kg build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
