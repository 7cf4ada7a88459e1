"""The layout follows the data flow (DESIGN.md, "Layers"): a layer imports
only from layers before it, and no module imports itself back in a cycle.

Every import in every module is read with ``ast``, those inside functions
too (they run all the same)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"kg": ROOT / "src" / "kg", "webapp": ROOT / "webapp"}

# Layers in the order data flows; a module may import its own layer and any before it.
# The shared root modules come first; the CLI, the public facade (kg/__init__) and the
# web app sit on top.
LAYERS = ["shared", "pipeline", "query", "serving", "interface"]
SHARED = {"kg.errors", "kg.paths", "kg.terms", "kg.offline", "kg.nesting", "kg.version"}


def layer_of(module: str) -> str:
    if module in SHARED:
        return "shared"
    for name in ("pipeline", "query", "serving"):
        if module == f"kg.{name}" or module.startswith(f"kg.{name}."):
            return name
    return "interface"  # kg (the facade), kg.cli, webapp.*


def modules() -> dict[str, Path]:
    found = {}
    for top, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``module`` imports (a name imported from a package that
    is itself a module counts as that module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {name for name in found if name in known}


def test_layers_import_only_from_layers_before_them():
    known = modules()
    wrong = []
    for module, path in sorted(known.items()):
        mine = LAYERS.index(layer_of(module))
        for target in sorted(imports(module, path, set(known))):
            if LAYERS.index(layer_of(target)) > mine:
                wrong.append(f"{path}: {module} ({layer_of(module)}) imports "
                             f"{target} ({layer_of(target)})")
    assert not wrong, "imports that run back up the layers:\n" + "\n".join(wrong)


def test_no_import_cycles():
    known = modules()
    graph = {m: imports(m, p, set(known)) - {m} for m, p in known.items()}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("bad", ["import kg.serving.limits", "from kg.query.stores import open_store"])
def test_a_pipeline_module_importing_a_later_layer_is_caught(tmp_path, monkeypatch, bad):
    """The direction test itself fails on a pipeline module that imports a later layer."""
    fake = tmp_path / "kg"
    for path in PACKAGES["kg"].rglob("*.py"):
        target = fake / path.relative_to(PACKAGES["kg"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    load = fake / "pipeline" / "load.py"
    load.write_text(load.read_text(encoding="utf-8") + f"\n{bad}\n", encoding="utf-8")
    monkeypatch.setitem(PACKAGES, "kg", fake)
    with pytest.raises(AssertionError, match="kg.pipeline.load"):
        test_layers_import_only_from_layers_before_them()


def test_the_public_api_builds_reasons_queries_and_explains(built):
    """``from kg import …`` offers what the README names, each reaching its layer."""
    import kg
    from kg import build, explain, reason
    from kg.query import run

    assert build(out=built).rebuilt is False  # the session's build is current: not redone
    rows = run("cq01-claims-on-central-rule", out=built).rows
    assert len(rows) >= 10
    tree = explain("claim:b5-therapist-relationship-completion-criminal-justice", "pe:bearsOn",
                   "prop:trickier-situation-worker-matters", out=built)
    assert tree["rule"] and tree["premises"], "an inferred triple comes with its rule and premises"
    from rdflib import OWL, RDF, RDFS, URIRef
    a, b, c = (URIRef(f"urn:x:{n}") for n in "abc")
    closure = reason({(a, RDFS.subClassOf, b), (b, RDFS.subClassOf, c), (c, RDF.type, OWL.Class)}, rules=[])
    assert (a, RDFS.subClassOf, c) in closure.inferred
    assert kg.__version__
