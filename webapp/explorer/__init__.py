"""The explorer: server-rendered pages that follow the evidence chain
proposition → components → claims → work → excerpt in its source."""
from . import claims_list, diagram, overview, pages, search, why  # noqa: F401  (their routes register on bp)
from .blueprint import bp

__all__ = ["bp"]
