"""``kg serve``: the web app under waitress, the production WSGI server.

The serving process makes no outbound connection (except to a remote
store's host); queries to /sparql run in worker processes under the limits
given (see :mod:`kg.serving.limits`), and waitress refuses bodies and headers far
over them before Flask sees the request."""
from __future__ import annotations

import socket

from kg.errors import KgError
from kg.offline import allowed_host, forbid_network
from kg.serving.limits import Limits


def check_address(host: str, port: int) -> None:
    """One line, before the app and its workers start, if ``host:port``
    cannot be listened on (a port in use, a host that is not this machine's)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress does
            probe.bind(infos[0][4])
    except OSError as err:
        raise KgError(f"--host {host} --port {port}: cannot listen there: {err.strerror or err}") from None


def server_threads(limits: Limits) -> int:
    """Waitress threads: one per /sparql query running or waiting, and four
    more that no /sparql request may hold, for pages and static files."""
    return limits.workers + limits.queue_length + 4


def serve(app, store_name: str, host: str = "127.0.0.1", port: int = 8000, limits: Limits = Limits()) -> int:
    """Serve ``app`` (the WSGI app the caller made, with the store opened once)."""
    from waitress import create_server

    try:
        server = create_server(app, host=host, port=port, threads=server_threads(limits), channel_timeout=30,
                               max_request_body_size=limits.max_body_bytes * 2,
                               max_request_header_size=limits.max_url_bytes * 4, ident="kg")
    except OSError as err:  # taken between the check and now
        raise KgError(f"--host {host} --port {port}: cannot listen there: {err.strerror or err}") from None
    print(f"serving the explorer and SPARQL endpoint on http://{host}:{port}/ (store: {store_name}; "
          f"time limit {limits.timeout:g} s, result cap {limits.max_results}, {limits.workers} query workers)",
          flush=True)
    forbid_network(allowed_host(store_name))  # after binding, which looks the host up
    server.run()
    return 0
