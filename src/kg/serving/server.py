"""``kg serve``: the web app under waitress, the production WSGI server.

The serving process makes no outbound connection (except to a remote
store's host); queries to /sparql run in worker processes under the limits
given (see :mod:`kg.serving.limits`), and waitress refuses bodies and headers far
over them before Flask sees the request."""
from __future__ import annotations

from kg.serving.limits import Limits
from kg.offline import allowed_host, forbid_network


def serve(app, store_name: str, host: str = "127.0.0.1", port: int = 8000, limits: Limits = Limits()) -> int:
    """Serve ``app`` (the WSGI app the caller made, with the store opened once)."""
    from waitress import create_server

    print(f"serving the explorer and SPARQL endpoint on http://{host}:{port}/ (store: {store_name}; "
          f"time limit {limits.timeout:g} s, result cap {limits.max_results}, {limits.workers} query workers)",
          flush=True)
    server = create_server(app, host=host, port=port, threads=limits.workers + 4, channel_timeout=30,
                           max_request_body_size=limits.max_body_bytes * 2,
                           max_request_header_size=limits.max_url_bytes * 4, ident="kg")
    forbid_network(allowed_host(store_name))  # after binding, which looks the host up
    server.run()
    return 0
