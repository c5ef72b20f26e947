"""The Neo4j server a benchmark runs against, opened the way the tests open theirs."""

from __future__ import annotations

import os
import sys

from stakemap.backends.neo4j import Neo4jStore


def open_bench_store(batch_size: int = 5_000) -> Neo4jStore:
    """``STAKEMAP_TEST_NEO4J_URL`` or the launcher's port and password. Like the tests, it
    refuses a database that holds data unless STAKEMAP_TEST_NEO4J_ALLOW_WIPE=1."""
    url = (os.environ.get("STAKEMAP_TEST_NEO4J_URL")
           or f"bolt://127.0.0.1:{os.environ.get('STAKEMAP_NEO4J_PORT', '7687')}")
    password = os.environ.get("NEO4J_PASSWORD") or os.environ.get(
        "STAKEMAP_NEO4J_PASSWORD", "stakemap-test")
    store = Neo4jStore(url, password=password, batch_size=batch_size)
    held = store._read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if held and not os.environ.get("STAKEMAP_TEST_NEO4J_ALLOW_WIPE"):
        store.close()
        sys.exit(f"the database at {store.url} holds {held} nodes; use an empty one or set "
                 f"STAKEMAP_TEST_NEO4J_ALLOW_WIPE=1")
    return store
