"""Which explorer page a resource has, and the check of a slug before any query."""
from __future__ import annotations

import re

from flask import abort

from kg.errors import NotFound

from ..common import ID, SLUG, iri, run


def checked(kind: str, slug: str):
    if not re.match(SLUG, slug):
        abort(404)
    subject = iri(kind, slug)
    label = run("web-label", r=subject).rows
    if not label or not label[0]:
        raise NotFound(f"no such {kind}: {subject}")
    return subject, label[0]


def page_for(term) -> str | None:
    """The explorer page of an IRI, if it has one."""
    text = str(term)
    if not text.startswith(ID):
        return None
    kind, _, slug = text[len(ID):].partition("/")
    return f"/{kind}/{slug}" if kind in ("claim", "source", "work", "setting", "factor", "outcome", "proposition") else None
