"""Shared fixtures. ``store`` runs a test once per backend: the contract suite is the spec.

Neo4j tests use the server ``make test`` starts (``tools/neo4j/neo4j.sh run``), or the one
``STAKEMAP_TEST_NEO4J_URL`` names. A server that cannot be reached fails those tests; it never
skips them. Deselect them on purpose with ``-m "not neo4j"``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import stakemap
from stakemap.backends import GraphStore

if TYPE_CHECKING:
    from stakemap.backends.neo4j import Neo4jURL

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BACKENDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def neo4j_test_url() -> str:
    """The server under test, as a URL without a password (that comes from the env)."""
    return (os.environ.get("STAKEMAP_TEST_NEO4J_URL")
            or f"bolt://127.0.0.1:{os.environ.get('STAKEMAP_NEO4J_PORT', '7687')}")


def neo4j_test_env() -> dict[str, str]:
    """Environment that gives the test server's credentials to a child ``stakemap``."""
    if os.environ.get("STAKEMAP_TEST_NEO4J_URL"):
        return {}
    return {"NEO4J_USERNAME": "neo4j",
            "NEO4J_PASSWORD": os.environ.get("STAKEMAP_NEO4J_PASSWORD", "stakemap-test")}


def neo4j_test_server() -> Neo4jURL:
    """The server under test taken apart; the launcher's credentials unless the URL is the
    user's own (then NEO4J_USERNAME / NEO4J_PASSWORD apply, as for any URL)."""
    from stakemap.backends.neo4j import Neo4jURL

    where = Neo4jURL.parse(neo4j_test_url())
    if os.environ.get("STAKEMAP_TEST_NEO4J_URL"):
        return where
    return dataclasses.replace(where, user="neo4j",
                               password=neo4j_test_env()["NEO4J_PASSWORD"])


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[Any]:
    import neo4j

    where = neo4j_test_server()
    driver = neo4j.GraphDatabase.driver(
        where.address, auth=(where.user, where.password or ""),
        notifications_min_severity="OFF")
    try:
        driver.verify_connectivity()
    except Exception as exc:
        driver.close()
        pytest.fail(
            f"no Neo4j at {where.redacted}: {exc}. Run the suite with `make test` (it starts "
            f"one), start one with `make neo4j`, or set STAKEMAP_TEST_NEO4J_URL; "
            f"`-m 'not neo4j'` deselects these tests.", pytrace=False)
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n",
                                         database_=where.database)
    held = records[0]["n"]
    if held and not os.environ.get("STAKEMAP_TEST_NEO4J_ALLOW_WIPE"):
        driver.close()
        pytest.fail(
            f"the Neo4j database at {where.redacted} holds {held} nodes, and the tests would "
            f"delete stakemap's nodes in it. Use an empty database, or set "
            f"STAKEMAP_TEST_NEO4J_ALLOW_WIPE=1 if losing them is fine.", pytrace=False)
    try:
        yield driver
    finally:
        driver.close()


def _open(backend: str, request: pytest.FixtureRequest) -> GraphStore:
    from stakemap.backends import open_store

    if backend == "neo4j":
        driver = request.getfixturevalue("neo4j_driver")
        opened = open_store(driver, database=neo4j_test_server().database)
        opened.clear()
        return opened
    return open_store(f"{backend}://")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    opened = _open(request.param, request)
    try:
        yield opened
    finally:
        opened.clear()
        opened.close()


@pytest.fixture
def graph(store: GraphStore) -> stakemap.StakeholderGraph:
    return stakemap.StakeholderGraph(store)


@pytest.fixture
def neo4j_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty Neo4j store, for tests about Neo4j alone (parity, import, failures)."""
    opened = _open("neo4j", request)
    try:
        yield opened
    finally:
        opened.clear()
        opened.close()
