"""Where the project's files are, whether installed editable or not.

The ontology, shapes, data, rules, queries and sources ship inside the
package as ``kg/_project`` when installed with ``pip install .``; in a
checkout (or ``pip install -e .``) they are the top-level folders.
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
FOLDERS = ("ontology", "shapes", "data", "rules", "queries", "sources")


def project_dir() -> Path:
    """The folder holding ontology/, data/, sources/ …"""
    override = os.environ.get("KG_PROJECT_DIR") or None
    if override:
        return Path(override)
    checkout = _PACKAGE.parent.parent
    if (checkout / "ontology").is_dir() and (checkout / "sources").is_dir():
        return checkout
    return _PACKAGE / "_project"


def build_dir() -> Path:
    """Where build artefacts go: ``KG_BUILD_DIR`` or ./build."""
    return Path(os.environ.get("KG_BUILD_DIR") or "build").resolve()
