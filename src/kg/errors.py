"""One exception hierarchy: every error a user can cause, with its exit code
(CLI) and HTTP status (web). Messages are one line naming the file and line,
or the parameter, and what was expected."""
from __future__ import annotations


class KgError(Exception):
    """Base: a problem the user can fix. Exit code 2, HTTP 400."""

    exit_code = 2
    status = 400


class InputError(KgError):
    """A source file of the build is unreadable or malformed."""

    def __init__(self, path, line: int, col: int, message: str):
        self.path, self.line, self.col, self.message = str(path), line, col, message
        super().__init__(f"{self.path}:{line}:{col}: {message}")

    def __reduce__(self):  # pickled whole (the build hands errors between processes)
        return type(self), (self.path, self.line, self.col, self.message)


class ValidationFailed(KgError):
    """The data does not conform to the shapes (pySHACL's exit 1 is ours 2)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))

    def __reduce__(self):
        return type(self), (self.lines,)


class QueryError(KgError):
    """A query is malformed, unknown or has bad parameters."""


class NotFound(KgError):
    status = 404


class StoreError(KgError):
    """A store is unknown, unreachable or failed."""

    status = 502


class Refused(KgError):
    """A request this read-only, offline endpoint will not run: an update,
    SERVICE, LOAD, or a FROM naming a graph it does not hold."""

    status = 403


class TooLarge(KgError):
    """A query text or request body over its size limit."""

    status = 413


class ResultTooLarge(KgError):
    """An answer over the result cap: refused whole, never truncated."""

    status = 422


class QueryTimeout(KgError):
    """A query that ran past its time limit, was stopped for others, or
    found every worker busy; ``retry_after`` seconds go in Retry-After."""

    status = 503

    def __init__(self, message: str, retry_after: int = 5):
        self.retry_after = retry_after
        super().__init__(message)

    def __reduce__(self):
        return type(self), (str(self), self.retry_after)


class TooManyRequests(KgError):
    """A client over its request budget, or with a query already running."""

    status = 429

    def __init__(self, message: str, retry_after: int = 1):
        self.retry_after = retry_after
        super().__init__(message)

    def __reduce__(self):
        return type(self), (str(self), self.retry_after)


class EngineFailure(KgError):
    """The query engine crashed or ran out of memory on a query."""

    status = 500
