"""The scripted walk-through of CONTRIBUTING.md's "Add a source", as a new
researcher runs it: a small two-page source (made up for this script: it is
no real document and never enters data/), two works, a new setting at the
top of the formal-power scale and three claims, added to a copy of the
project with nothing but the ``kg`` command and a text editor (here:
appending Turtle to the starter file). Used by tests/test_walkthrough.py
and timed by bench/walkthrough.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("ontology", "shapes", "data", "rules", "queries", "sources")
SLUG = "family-court-practice"
CLAIM = "family-court-warmth-honesty"
CENTRAL = "prop:trickier-situation-worker-matters"

SOURCE = """\
Family court practice notes (a made-up source for the walk-through)

K A warm and honest worker matters most in care proceedings (2019). Interviews with twelve parents \
in care proceedings found that a worker’s warmth and honesty mattered more to them than any \
service the worker arranged.

R Supervision styles in family court work (2017). A review of studies of social workers’ \
supervision of families under court orders.

In care proceedings the court may remove a child from the family; the worker’s report weighs \
in that decision.
\f
Page 2

The review found that “directive” supervision alone did not keep families engaged — parents \
stayed engaged where the worker also listened.
"""

QUOTES = """\
A warm and honest worker matters most in care proceedings (2019)
a worker’s warmth and honesty mattered more to them than any service the worker arranged
Supervision styles in family court work (2017)
In care proceedings the court may remove a child from the family
parents stayed engaged where the worker also listened
"""

# What the researcher writes after `kg excerpt` printed the names (the
# names are the ones it prints: ex:fcp-START-END).
ENCODED = """
setting:care-proceedings a pe:Setting ; skos:inScheme scheme:settings ;
    skos:broader setting:child-protection ;
    skos:prefLabel "Care proceedings"@en ;
    skos:definition "Court proceedings in which a child may be removed from the family (the walk-through's made-up source)."@en ;
    pe:formalPower 3 ;
    pe:formalPowerBasis pe:StatedBySource ;
    pe:groundedIn ex:{remove} .

work:family-court-warm-honest-worker-2019 a pe:Study ;
    rdfs:label "A warm and honest worker matters most in care proceedings"@en ;
    dcterms:title "A warm and honest worker matters most in care proceedings" ;
    pe:year "2019"^^xsd:gYear ;
    pe:matrixCategory "K" ;
    pe:listedIn src:{slug} ;
    pe:setting setting:care-proceedings ;
    pe:groundedIn ex:{title1} .

work:family-court-supervision-styles-2017 a pe:Review ;
    rdfs:label "Supervision styles in family court work"@en ;
    dcterms:title "Supervision styles in family court work" ;
    pe:year "2017"^^xsd:gYear ;
    pe:matrixCategory "R" ;
    pe:listedIn src:{slug} ;
    pe:groundedIn ex:{title2} .

claim:{claim} a pe:Claim ;
    rdfs:label "Parents in care proceedings valued a worker's warmth and honesty more than the services arranged"@en ;
    pe:statedIn work:family-court-warm-honest-worker-2019 ;
    pe:evidence ex:{warmth} ;
    pe:supports prop:trickier-situation-worker-matters ;
    pe:setting setting:care-proceedings ;
    pe:factor factor:worker-client-relationship ;
    pe:qualifiedRelation rel:{claim}--trickier-situation-worker-matters .

rel:{claim}--trickier-situation-worker-matters a pe:EvidenceRelation ;
    pe:proposition prop:trickier-situation-worker-matters ;
    pe:direction pe:Supports ;
    pe:basis pe:JudgedByModeller ;
    pe:rationale "Parents in the trickiest setting valued the worker's warmth and honesty above services, which we read as support for the rule."@en ;
    pe:evidence ex:{warmth} .

claim:family-court-listening-keeps-families-engaged a pe:Claim ;
    rdfs:label "Families stayed engaged where the worker also listened"@en ;
    pe:statedIn work:family-court-supervision-styles-2017 ;
    pe:evidence ex:{listened} ;
    pe:setting setting:care-proceedings ;
    pe:outcome outcome:engagement .

claim:family-court-court-may-remove-child a pe:Claim ;
    rdfs:label "In care proceedings the court may remove a child from the family"@en ;
    pe:statedIn src:{slug} ;
    pe:evidence ex:{remove} ;
    pe:setting setting:care-proceedings .
"""


def kg(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_PROJECT_DIR": str(project), "KG_BUILD_DIR": str(project / "build")}
    command = [sys.executable, "-m", "kg.cli", *args]
    return subprocess.run(command, cwd=project, env=env, input=stdin, capture_output=True, text=True, timeout=600)


def copy_project(target: Path) -> Path:
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, target / folder)
    return target


def walk(project: Path) -> list[tuple[str, float, subprocess.CompletedProcess]]:
    """Every step of the walk-through, timed; stops at the first that fails."""
    steps = []

    def step(name, *args, stdin=None):
        started = time.perf_counter()
        result = kg(project, *args, stdin=stdin)
        steps.append((name, round(time.perf_counter() - started, 2), result))
        if result.returncode != 0:
            raise AssertionError(f"{name}: kg {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result

    (project / "incoming").mkdir(exist_ok=True)
    (project / "incoming" / "family-court-notes.txt").write_text(SOURCE, encoding="utf-8")
    (project / "incoming" / "quotes.txt").write_text(QUOTES, encoding="utf-8")
    step("source add", "source", "add", "incoming/family-court-notes.txt", "--title",
         "Family court practice notes", "--kind", "practice notes", "--slug", SLUG, "--prefix", "fcp")
    written = step("excerpt --from --into", "excerpt", SLUG, "--from", "incoming/quotes.txt",
                   "--into", f"data/{SLUG}.ttl").stdout
    names = [line.split()[0][3:] for line in written.splitlines()]
    keys = dict(zip(("title1", "warmth", "title2", "remove", "listened"), names))
    with open(project / "data" / f"{SLUG}.ttl", "a", encoding="utf-8") as handle:
        handle.write(ENCODED.format(slug=SLUG, claim=CLAIM, **keys))
    step("validate", "validate")
    step("build", "build")
    step("stress test (cq01)", "query", "cq01-claims-on-central-rule", "--format", "csv")
    step("explain", "explain", f"claim:{CLAIM}", "pe:bearsOn", CENTRAL)
    return steps

