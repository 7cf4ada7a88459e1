"""The build's helpers for using the second core (kg/pipeline/forked.py) and
for freeing what it made without the cyclic garbage collector."""
from __future__ import annotations

import gc
import os

import pytest

from kg.errors import InputError
from kg.pipeline.forked import Forked


def test_a_forked_job_returns_its_value_and_runs_in_another_process():
    assert Forked(lambda: ("done", os.getpid())).result() != ("done", os.getpid())
    assert Forked(lambda: "done").result() == "done"


def test_a_forked_jobs_error_is_raised_in_the_parent_as_it_was():
    def fails():
        raise InputError("data/x.ttl", 3, 1, "bad")
    with pytest.raises(InputError, match="data/x.ttl:3:1: bad"):
        Forked(fails).result()


def test_the_builds_errors_cross_between_processes_whole():
    from kg.errors import QueryTimeout, ValidationFailed
    for error in (ValidationFailed(["data/a.ttl:1: one", "data/b.ttl:2: two"]), QueryTimeout("slow", 7)):
        def fails(error=error):
            raise error
        with pytest.raises(type(error)) as raised:
            Forked(fails).result()
        assert str(raised.value) == str(error) and vars(raised.value) == vars(error)


def test_a_value_that_does_not_pickle_is_one_line_of_error():
    with pytest.raises(RuntimeError, match="pickle"):
        Forked(lambda: (lambda: None)).result()


def test_a_child_that_dies_without_a_result_is_one_line_of_error_not_a_hang():
    from kg.errors import KgError
    with pytest.raises(KgError, match="ended without a result \\(exit status 3"):
        Forked(lambda: os._exit(3)).result()


def test_a_child_still_at_work_is_stopped_when_cancelled():
    import time
    job = Forked(lambda: time.sleep(60))
    started = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - started < 10


def test_one_job_at_a_time_when_asked(monkeypatch):
    monkeypatch.setenv("KG_BUILD_JOBS", "1")
    assert Forked(lambda: os.getpid()).result() == os.getpid()


def test_a_child_not_asked_for_its_result_is_waited_for():
    job = Forked(lambda: 1)
    job.close()
    assert job.result() is None  # closed: the job is not run again here


def test_after_a_build_nothing_it_made_waits_for_the_cyclic_collector(project_copy):
    """The engine and the build's frames are not in reference cycles, so
    the graph and its closure are freed as soon as the build returns
    (before, about a million objects at 10x waited for the collector, which
    then took most of a second)."""
    from kg.pipeline.build import build
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        manifest = build(force=True).manifest
        left = gc.collect()
    finally:
        if collecting:
            gc.enable()
    # what is left is the same ten thousand or so at any size (parsers, reports); before, the graph
    assert left < manifest["inferred_triples"], f"{left} objects were left in reference cycles"


def test_a_build_in_one_process_writes_what_the_forked_build_writes(project_copy, monkeypatch):
    from kg.pipeline.build import build
    out = project_copy / "build"

    def written():
        manifest = build(force=True).manifest
        lines = (out / "kg.nq").read_text(encoding="utf-8").splitlines()
        rows = (out / "derivations.jsonl").read_text(encoding="utf-8").splitlines()
        plain = sorted(line for line in lines if "_:" not in line)  # blank-node labels differ between builds
        return manifest["graphs"], manifest["triples"], plain, len(lines), len(rows)

    forked = written()
    monkeypatch.setenv("KG_BUILD_JOBS", "1")
    assert written() == forked
