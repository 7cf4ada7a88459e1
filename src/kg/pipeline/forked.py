"""A piece of the build run in a forked child, on another core.

Python runs one thread of Python code at a time; a forked child is a second
interpreter that starts with everything the build holds (copy-on-write, no
copy made or sent). The build gives a child a job whose result is small
(a file written, a count), runs its own share meanwhile, and then asks for
the child's result: its return value, or the error it raised, raised again
here. Where ``os.fork`` is missing, or ``KG_BUILD_JOBS=1``, the job runs in
this process when its result is asked for.

The child leaves with ``os._exit``: it runs no ``atexit`` handler, flushes
no buffer of its parent's and frees nothing one object at a time.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from typing import Callable

from kg.errors import KgError


def parallel() -> bool:
    return hasattr(os, "fork") and os.environ.get("KG_BUILD_JOBS", "") != "1"


class Forked:
    """``job()`` started in a child process; :meth:`result` waits for it."""

    def __init__(self, job: Callable[[], object]) -> None:
        self._job = job
        self._pid = None
        if not parallel():
            return
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            _run_child(job, write)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        """The job's return value; its error raised here."""
        if self._pid is None:
            return self._job()
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not data:
            raise KgError(f"a build process ended without a result ({_ended(status)}; out of memory?)")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child, whatever it is doing, and wait for it."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.close()

    def close(self) -> None:
        """Wait for the child, if it was not asked for its result (on the
        way out of a build that failed meanwhile), without running the job."""
        if self._pid is not None:
            os.close(self._read)
            os.waitpid(self._pid, 0)
            self._pid = None
        self._job = lambda: None


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _run_child(job, write: int) -> None:
    code = 0
    try:
        try:
            payload = (True, job())
        except BaseException as err:  # noqa: BLE001 (raised again in the parent)
            code = 1
            payload = (False, err)
        try:
            data = pickle.dumps(payload)
            pickle.loads(data)  # an exception whose class cannot be made again from its pickle
        except Exception as err:  # noqa: BLE001 (a value or an error that does not pickle: its one line)
            failed = payload[1] if code else err
            line = traceback.format_exception_only(type(failed), failed)[-1].strip()
            data = pickle.dumps((False, RuntimeError(line)))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)
