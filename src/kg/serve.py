"""``kg serve``: the web app under waitress, the production WSGI server."""
from __future__ import annotations


def serve(store_name: str, host: str = "127.0.0.1", port: int = 8000) -> int:
    from waitress import serve as waitress_serve

    from webapp import create_app

    app = create_app({"STORE": store_name})  # the store is opened once, here
    print(f"serving the explorer and SPARQL endpoint on http://{host}:{port}/ (store: {store_name})")
    waitress_serve(app, host=host, port=port, threads=4)
    return 0
