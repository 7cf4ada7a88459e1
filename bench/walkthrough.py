"""The scripted walk-through of CONTRIBUTING's "Add a source", timed.

    python bench/walkthrough.py [--suite] [--keep DIR]

Runs tests/walkthrough.py (kg source add, kg excerpt --from --into, works
and claims, kg validate, kg build, the stress test query, kg explain) in a
fresh copy of the project and records each step's wall time. The machine's
time only: a person's reading and typing is not in it.

--suite then runs the tests that read the built graph (competency
questions, data coverage, sources and excerpts, web pages) against the
walked project, the new source included, and records whether they pass:
adding a correct source must break none of them.

Writes bench/results/walkthrough.json.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))
from resultfile import write_json  # noqa: E402
from walkthrough import copy_project, walk  # noqa: E402

DATA_TESTS = ["tests/test_competency_questions.py", "tests/test_data_coverage.py",
              "tests/test_sources_and_excerpts.py", "tests/test_web.py", "tests/test_reviewer.py"]


def run_suite(project: Path) -> dict:
    """The data-reading tests with KG_PROJECT_DIR on the walked project."""
    env = {**os.environ, "KG_PROJECT_DIR": str(project)}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATA_TESTS],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    summary = (result.stdout.strip().splitlines() or [""])[-1]
    return {"tests": DATA_TESTS, "exit": result.returncode, "summary": summary,
            "wall_s": round(time.perf_counter() - started, 1),
            "failures": [line for line in result.stdout.splitlines() if line.startswith("FAILED")]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="then run the data-reading tests on the walked project")
    parser.add_argument("--keep", type=Path, help="walk in this (new) folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = args.keep or Path(scratch) / "project"
        copy_project(project)
        print(f"… walking through 'Add a source' in {project}", file=sys.stderr, flush=True)
        steps = walk(project)
        row = {"steps_s": {name: seconds for name, seconds, _result in steps},
               "total_s": round(sum(seconds for _name, seconds, _result in steps), 2)}
        if args.suite:
            print("… the data-reading tests on the walked project", file=sys.stderr, flush=True)
            row["suite"] = run_suite(project)
    write_json(BENCH / "results" / "walkthrough.json", row)
    for name, seconds in row["steps_s"].items():
        print(f"{name:24} {seconds:6.2f} s")
    print(f"{'total':24} {row['total_s']:6.2f} s")
    if "suite" in row:
        print(f"data-reading tests on the walked project: {row['suite']['summary']}")
    return 0 if row.get("suite", {}).get("exit", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
