"""Full gap report on a large generated portfolio, in memory and in Neo4j.

    make bench-gaps                                   # L: 1,000 customers, about 50,000 people
    make bench-gaps BENCH_ARGS="--customers 100"      # M

Prints the median report time per backend over ``--runs`` runs, checks the two reports are
identical, and the peak RSS of this (client) process. The Neo4j server is the one
``STAKEMAP_TEST_NEO4J_URL`` or port ``STAKEMAP_NEO4J_PORT`` names (see neo4j_import.py).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date

from _server import open_bench_store

import stakemap
from stakemap.backends.memory import MemoryStore
from stakemap.generate import generate_portfolio

AS_OF = date(2026, 11, 1)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--playbook", default="default")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    portfolio = generate_portfolio(args.customers, seed=1)
    people = sum(1 for n in portfolio.nodes if n.kind == "person")
    print(f"# gap report, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores: "
          f"{args.customers} customers, {people:,} people, {len(portfolio.nodes):,} nodes, "
          f"{len(portfolio.edges):,} edges (generated in {time.perf_counter() - started:.1f} s)")

    memory = stakemap.StakeholderGraph.from_portfolio(portfolio, MemoryStore())
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        in_memory = stakemap.find_gaps(memory, playbook=args.playbook, as_of=AS_OF)
        times.append(time.perf_counter() - started)
    print(f"memory: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)}); {len(in_memory.findings):,} findings")
    rss_before_neo4j = _peak_rss_mib()

    store = open_bench_store()
    try:
        store.clear()
        started = time.perf_counter()
        stakemap.StakeholderGraph.from_portfolio(portfolio, store)
        took = time.perf_counter() - started
        rows = len(portfolio.nodes) + len(portfolio.edges)
        print(f"neo4j import: {took:.1f} s ({rows / took:,.0f} rows/s)")
        del memory, portfolio
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            in_neo4j = stakemap.find_gaps(store, playbook=args.playbook, as_of=AS_OF)
            times.append(time.perf_counter() - started)
        print(f"neo4j: median {statistics.median(times):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)}); "
              f"{len(in_neo4j.findings):,} findings; identical to memory: {in_neo4j == in_memory}")
        store.clear()
    finally:
        store.close()
    print(f"client peak RSS: {rss_before_neo4j:,.0f} MiB after the in-memory part "
          f"(the Neo4j part pulls findings only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
