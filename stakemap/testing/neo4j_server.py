"""The Neo4j server the store tests run against, and the rules that keep its data safe.

The server is ``STAKEMAP_TEST_NEO4J_URL`` when set (the user's own Neo4j: its credentials come
from ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` like any URL's), else the throwaway one
``tools/neo4j/neo4j.sh`` starts on ``127.0.0.1:$STAKEMAP_NEO4J_PORT`` (7687) with user
``neo4j`` and password ``$STAKEMAP_NEO4J_PASSWORD`` (``stakemap-test``).

Two rules, because a test run must never cost anyone data or hide a broken setup:

- a server that cannot be reached **fails** the tests that need it, it never skips them
  (``-m "not neo4j"`` deselects them on purpose);
- a database that already holds nodes is **not touched** (the tests clear stakemap's nodes)
  unless ``STAKEMAP_TEST_NEO4J_ALLOW_WIPE`` is set.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from stakemap.backends.neo4j import Neo4jURL

__all__ = ["connect_test_driver", "neo4j_test_env", "neo4j_test_server", "neo4j_test_url"]


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


def connect_test_driver() -> Any:
    """A ``neo4j.Driver`` to the server under test, once it is known to answer and to hold
    nothing the tests could destroy; otherwise the calling test fails, saying what to do."""
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
    return driver
