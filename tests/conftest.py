"""Shared fixtures. The store fixtures come from ``stakemap.testing.plugin``, the same plugin a
third-party backend's tests use: ``store`` runs a test once per backend (memory and neo4j),
``parity`` pairs a store with the in-memory reference.

Neo4j tests use the server ``make test`` starts (``tools/neo4j/neo4j.sh run``), or the one
``STAKEMAP_TEST_NEO4J_URL`` names. A server that cannot be reached fails those tests; it never
skips them. Deselect them on purpose with ``-m "not neo4j"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import stakemap
from stakemap.backends import GraphStore
from stakemap.testing import NEO4J
from stakemap.testing.neo4j_server import neo4j_test_env, neo4j_test_server, neo4j_test_url

pytest_plugins = ["stakemap.testing.plugin", "pytester"]

__all__ = ["BACKENDS", "EXAMPLES", "ROOT", "neo4j_test_env", "neo4j_test_server",
           "neo4j_test_url"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BACKENDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]
"""Backend names, for tests parametrized by hand rather than through the ``store`` fixture."""


@pytest.fixture(scope="session")
def neo4j_driver(stakemap_neo4j_driver: Any) -> Any:
    """The session's checked driver to the Neo4j test server (see the plugin)."""
    return stakemap_neo4j_driver


@pytest.fixture
def graph(store: GraphStore) -> stakemap.StakeholderGraph:
    return stakemap.StakeholderGraph(store)


@pytest.fixture
def neo4j_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty Neo4j store, for tests about Neo4j alone (import, layout, failures)."""
    opened = NEO4J.open(request)
    try:
        opened.clear()
        yield opened
    finally:
        opened.clear()
        opened.close()
