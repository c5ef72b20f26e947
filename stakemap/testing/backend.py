"""What the plugin parametrizes over: a ``Backend`` (a name and how to open its test store),
the ``requires`` marker, and the ``Parity`` pair."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from stakemap.backends import Capability, GraphStore
from stakemap.model.portfolio import Portfolio

__all__ = ["MEMORY", "NEO4J", "Backend", "Parity", "requires"]

T = TypeVar("T")

Opener = Callable[[pytest.FixtureRequest], GraphStore]
"""Opens the backend's test store, given the requesting fixture (so it can use other
fixtures, as the Neo4j one uses the session's checked driver). Every call opens the *same*
database: the persistence test writes through one store and reads through another."""


@dataclass(frozen=True)
class Backend:
    """A backend the store tests run on: ``name`` is the test id (``store[name]``) and what
    ``--stakemap-backend`` selects; ``open`` opens its test store, which need not be empty
    (the plugin clears it before and after each test); ``marks`` go on its tests (the Neo4j
    backend's ``neo4j`` mark lets ``-m "not neo4j"`` deselect it)."""

    name: str
    open: Opener
    marks: tuple[pytest.MarkDecorator, ...] = ()

    @classmethod
    def from_url(cls, url: str, *, name: str | None = None,
                 marks: Iterable[pytest.MarkDecorator] = (), **options: Any) -> Backend:
        """The backend that ``stakemap.connect(url, **options)`` opens: the way to test a
        store registered under the ``stakemap.backends`` entry-point group, through the same
        lookup users go through. ``name`` defaults to the URL's scheme."""
        from stakemap.backends import open_store

        def opener(request: pytest.FixtureRequest) -> GraphStore:
            return open_store(url, **options)

        return cls(name or url.partition("://")[0], opener, tuple(marks))


def _open_memory(request: pytest.FixtureRequest) -> GraphStore:
    from stakemap.backends.memory import MemoryStore

    return MemoryStore()


def _open_neo4j(request: pytest.FixtureRequest) -> GraphStore:
    from stakemap.backends import open_store
    from stakemap.testing.neo4j_server import neo4j_test_server

    driver = request.getfixturevalue("stakemap_neo4j_driver")
    return open_store(driver, database=neo4j_test_server().database)


MEMORY = Backend("memory", _open_memory)
"""The in-memory store; also the reference every other store is compared with."""

NEO4J = Backend("neo4j", _open_neo4j, (pytest.mark.neo4j,))
"""The Neo4j store on the test server (see ``stakemap.testing.neo4j_server``)."""


def requires(*capabilities: Capability) -> pytest.MarkDecorator:
    """Mark a test as needing ``capabilities``: it runs on a store that declares them all in
    ``store.capabilities`` and is skipped, saying why, on one that does not."""
    for capability in capabilities:
        if not isinstance(capability, Capability):
            raise TypeError(f"requires() takes Capability members, not {capability!r}")
    return pytest.mark.stakemap_requires(*capabilities)


@dataclass(frozen=True)
class Parity:
    """The store under test beside a fresh in-memory reference store: load one portfolio
    into both, ask both the same question, compare. One fixture instead of a hand-written
    memory-versus-X test per analysis."""

    reference: GraphStore
    store: GraphStore

    def load(self, portfolio: Portfolio) -> None:
        """Write ``portfolio`` into both stores, the way ``stakemap import`` does."""
        from stakemap.graph import StakeholderGraph

        for target in (self.reference, self.store):
            StakeholderGraph.from_portfolio(portfolio, target)

    def both(self, ask: Callable[[GraphStore], T]) -> tuple[T, T]:
        """``(ask(reference), ask(store))``: what the reference says, then the store."""
        return ask(self.reference), ask(self.store)
