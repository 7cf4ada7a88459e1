"""kg publish: every named graph into a remote store with the SPARQL 1.1
Graph Store Protocol (HTTP PUT of N-Triples per graph)."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from kg.query.artefact import load_artefact
from kg.errors import StoreError


def publish(url: str):
    if not url.startswith(("http://", "https://")):
        raise StoreError(f"publish: expected an http(s) URL, got '{url}'")
    dataset = load_artefact()
    for graph in dataset.graphs():
        if not len(graph) or graph.identifier == dataset.default_graph.identifier:
            continue
        body = graph.serialize(format="nt", encoding="utf-8")
        target = f"{url}?{urllib.parse.urlencode({'graph': str(graph.identifier)})}"
        request = urllib.request.Request(target, data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
        except urllib.error.HTTPError as err:
            raise StoreError(f"publish: {target}: the store answered {err.code} {err.reason}") from None
        except (urllib.error.URLError, OSError) as err:
            raise StoreError(f"publish: {url}: {getattr(err, 'reason', err)}") from None
        yield str(graph.identifier), len(graph)
