"""The explorer: server-rendered pages that follow the evidence chain
proposition → components → claims → work → excerpt in its source."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("explorer", __name__, template_folder="templates")

from . import diagram, overview, pages, why  # noqa: E402,F401  (routes register on bp)
