"""No outbound connections from this process: the lowest guard.

Whatever inside rdflib, pyshacl or a parser might try to reach the network
(a SERVICE clause, an unknown FROM graph, a remote JSON-LD ``@context``, an
external entity in RDF/XML, an ``owl:imports``), it has to resolve a name
or open a socket, and Python raises an audit event for both before it does.
The hook below refuses them all, except the one SPARQL server the process
was told to use. Audit hooks cannot be removed, so this is for processes
that serve or build, never for a library user's interpreter.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

# audit events that precede a lookup or a connection; the first argument after
# the socket (or the first one) names the host
NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                  "socket.gethostbyaddr", "socket.sendto", "urllib.Request"}


class NetworkRefused(OSError):
    """An outbound request in a process that makes none."""


def allowed_host(url: str | None) -> str | None:
    """The host a remote store lives on (the only one a process may reach)."""
    if url and url.startswith(("http://", "https://")):
        return urlsplit(url).hostname
    return None


def forbid_network(allowed: str | None = None) -> None:
    """From now on this whole process opens no connection, except to
    ``allowed`` (a host name; its address is looked up once, before)."""
    global _PROCESS_HOSTS
    _install_hook()
    _PROCESS_HOSTS = _addresses(allowed)


@contextmanager
def offline():
    """No connection at all while the block runs (in this thread), e.g. a build."""
    _install_hook()
    token = _BLOCK_HOSTS.set(frozenset())
    try:
        yield
    finally:
        _BLOCK_HOSTS.reset(token)


_PROCESS_HOSTS: frozenset | None = None  # hosts a whole process may reach; None: no process-wide rule
_BLOCK_HOSTS: ContextVar = ContextVar("kg_offline_hosts", default=None)
_HOOKED = []


def _install_hook() -> None:
    if _HOOKED:
        return
    _HOOKED.append(True)

    def hook(event: str, args: tuple) -> None:
        if event not in NETWORK_EVENTS:
            return
        allowed = _BLOCK_HOSTS.get()
        if allowed is None:
            allowed = _PROCESS_HOSTS
        if allowed is not None and _host(event, args) not in allowed:
            raise NetworkRefused(f"outbound request refused ({event} {_host(event, args)}): "
                                 "this process makes none")

    sys.addaudithook(hook)


def _addresses(host: str | None) -> frozenset:
    if not host:
        return frozenset()
    import socket
    try:
        return frozenset({host, socket.gethostbyname(host)})
    except OSError:
        return frozenset({host})


def _host(event: str, args: tuple):
    if event == "urllib.Request":
        return urlsplit(args[0]).hostname
    if event in ("socket.connect", "socket.sendto"):
        address = args[1]
        return address[0] if isinstance(address, tuple) else address
    return args[0]
