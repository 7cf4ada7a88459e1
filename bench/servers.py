"""Servers the benchmarks start on a free loopback port and stop again:
`kg serve`, and a bare `oxigraph serve` (the oxigraph CLI from PyPI) for the
benchmarks that compare against it or query it remotely."""
from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kg_command() -> list[str]:
    kg = Path(sys.executable).with_name("kg")
    return [str(kg)] if kg.exists() else [sys.executable, "-c", "from kg.cli import main; raise SystemExit(main())"]


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_ready(base: str, process: subprocess.Popen, probe: str = "/sparql?query=ASK%7B%7D",
               timeout: float = 300) -> None:
    """Until ``base + probe`` answers 200; SystemExit when the server exits or never answers."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server on {base} exited with code {process.returncode}; see its log")
        try:
            with urllib.request.urlopen(base + probe, timeout=30) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer on {base} within {timeout:.0f} s")
            time.sleep(0.3)


@contextmanager
def kg_serving(store: str, log_path: Path, options: tuple = (), env: dict | None = None, timeout: float = 300):
    """Yield (base URL, process) of `kg serve --store STORE` once /sparql answers; stopped on exit."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen([*kg_command(), "serve", "--store", store, "--host", "127.0.0.1",
                                    "--port", str(port), *options], env={**os.environ, **(env or {})},
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, process, timeout=timeout)
            yield base, process
        finally:
            stop(process)


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise SystemExit("the oxigraph CLI was not found: pip install oxigraph")
    return found


def _loaded(nq: Path, location: Path) -> None:
    """Load ``nq`` into a store folder once; reloaded when the file changed."""
    stamp = hashlib.sha256(f"{nq.stat().st_size}:{nq.stat().st_mtime_ns}".encode()).hexdigest()
    marker = location / ".loaded-from"
    if marker.exists() and marker.read_text() == stamp:
        return
    shutil.rmtree(location, ignore_errors=True)
    location.mkdir(parents=True)
    print(f"… oxigraph load {nq}", file=sys.stderr, flush=True)
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(nq)],
                   check=True, capture_output=True)
    marker.write_text(stamp)


@contextmanager
def oxigraph_serving(nq: Path, location: Path, timeout: float = 120):
    """Yield the base URL of `oxigraph serve --union-default-graph` on the
    dataset ``nq`` (loaded into ``location``); stopped on exit."""
    _loaded(nq, location)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(location.parent / f"{location.name}.log", "wb") as log:
        server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location),
                                   "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                  stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_ready(base, server, probe="/query?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=timeout)
            yield base
        finally:
            stop(server, grace=10)
