"""Neo4j import speed: batched UNWIND/MERGE against one row per transaction, in one run.

    make bench-neo4j                        # starts a throwaway Neo4j, runs this, stops it
    python benchmarks/neo4j_import.py --customers 1000 --runs 3   # against a running server

The server is ``STAKEMAP_TEST_NEO4J_URL`` or bolt://127.0.0.1:$STAKEMAP_NEO4J_PORT (7687), with
the launcher's password unless NEO4J_PASSWORD is set. Like the tests, it refuses a database
that holds data unless STAKEMAP_TEST_NEO4J_ALLOW_WIPE=1.

Both paths go through ``Neo4jStore`` and ``StakeholderGraph.from_portfolio``; the baseline
only sets ``batch_size=1``, so the difference is the batching and nothing else. The baseline
imports a smaller portfolio (it is slow by design); both figures are rates, into an empty
database each run. Medians over ``--runs`` runs are printed with the ratio.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from typing import Any

from _server import open_bench_store

import stakemap
from stakemap.generate import generate_portfolio
from stakemap.model.portfolio import Portfolio


def _rate(portfolio: Portfolio, batch_size: int, runs: int) -> tuple[float, list[float]]:
    rows = len(portfolio.nodes) + len(portfolio.edges)
    rates = []
    store = open_bench_store(batch_size)
    try:
        for _ in range(runs):
            store.clear()
            started = time.perf_counter()
            stakemap.StakeholderGraph.from_portfolio(portfolio, store)
            rates.append(rows / (time.perf_counter() - started))
        store.clear()
    finally:
        store.close()
    return statistics.median(rates), rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--baseline-customers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-sizes", default="1000,5000,20000",
                        help="comma-separated batch sizes to compare (the default is 5000)")
    args = parser.parse_args(argv)

    probe = open_bench_store(1)
    version = probe._read("CALL dbms.components() YIELD versions RETURN versions[0] AS v")[0]["v"]
    probe.close()

    big = generate_portfolio(args.customers, seed=1)
    small = generate_portfolio(args.baseline_customers, seed=1)
    big_rows = len(big.nodes) + len(big.edges)
    small_rows = len(small.nodes) + len(small.edges)
    print(f"# Neo4j import, {time.strftime('%Y-%m-%d')}: Neo4j {version}, "
          f"python {platform.python_version()}, neo4j driver {_driver_version()}, "
          f"{os.cpu_count()} cores")
    print(f"batched: {args.customers} customers = {big_rows:,} rows "
          f"({len(big.nodes):,} nodes, {len(big.edges):,} edges); baseline: "
          f"{args.baseline_customers} customers = {small_rows:,} rows; {args.runs} runs each")

    # Warm-up, not counted: compiles the Cypher plans and lets the JVM's JIT kick in.
    _rate(small, 1, 1)
    _rate(small, 5_000, 1)
    baseline, base_runs = _rate(small, 1, args.runs)
    print(f"one row per transaction: median {baseline:,.0f} rows/s  "
          f"(runs: {', '.join(f'{r:,.0f}' for r in base_runs)})")
    for size in (int(s) for s in args.batch_sizes.split(",")):
        median, runs = _rate(big, size, args.runs)
        print(f"batch {size:>6}: median {median:,.0f} rows/s = {median / baseline:,.0f}x baseline"
              f"  (runs: {', '.join(f'{r:,.0f}' for r in runs)})")
    return 0


def _driver_version() -> Any:
    import neo4j

    return neo4j.__version__


if __name__ == "__main__":
    sys.exit(main())
