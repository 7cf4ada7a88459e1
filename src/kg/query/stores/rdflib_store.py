"""The default store: the built artefact in memory with rdflib."""
from __future__ import annotations

from rdflib import Dataset, Variable

from kg.query.artefact import load_artefact
from kg.errors import KgError, QueryError
from kg.query.stores.base import Result, Store, from_rdflib_result
from kg.query.stores.rdflib_join import install as install_hash_join
from kg.query.syntax import parse_query

install_hash_join()


class RdflibStore(Store):
    name = "rdflib"

    def __init__(self, dataset: Dataset):
        dataset.default_union = True
        self.dataset = dataset

    @classmethod
    def from_build(cls, out=None) -> "RdflibStore":
        return cls(load_artefact(out))

    def query(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        init = {Variable(k): v for k, v in (bindings or {}).items()}
        try:
            result = self.dataset.query(parse_query(text), initBindings=init)
            return from_rdflib_result(result, max_rows)
        except (KgError, MemoryError, RecursionError):
            raise
        except Exception as err:
            raise QueryError(f"query failed: {err}".splitlines()[0]) from None
