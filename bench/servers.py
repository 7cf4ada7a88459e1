"""A bare `oxigraph serve` (the oxigraph CLI from PyPI) on a free loopback
port, for the benchmarks that compare against it or query it remotely."""
from __future__ import annotations

import hashlib
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
            deadline = time.monotonic() + timeout
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"oxigraph serve exited with code {server.returncode}")
                try:
                    probe = base + "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
                    with urllib.request.urlopen(probe, timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"oxigraph serve did not answer on {base}")
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
