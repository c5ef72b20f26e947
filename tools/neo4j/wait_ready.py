"""Wait until a Neo4j server answers over Bolt, using the driver's own connectivity check.

Usage: wait_ready.py URL [SECONDS]. The password is STAKEMAP_NEO4J_PASSWORD (stakemap-test).
Exit 0 when ready, 1 when the deadline passes.
"""

from __future__ import annotations

import os
import sys
import time

import neo4j


def main() -> int:
    url = sys.argv[1]
    deadline = time.monotonic() + float(sys.argv[2] if len(sys.argv) > 2 else 60)
    auth = ("neo4j", os.environ.get("STAKEMAP_NEO4J_PASSWORD", "stakemap-test"))
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with neo4j.GraphDatabase.driver(url, auth=auth) as driver:
                driver.verify_connectivity()
            print(f"neo4j answers at {url}")
            return 0
        except Exception as exc:
            last = exc
            time.sleep(0.5)
    print(f"neo4j at {url} did not answer: {last}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
