"""Shared fixtures. ``store`` runs a test once per backend: the contract suite is the spec."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import stakemap
from stakemap.backends import GraphStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BACKENDS = ["memory"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    from stakemap.backends import open_store

    opened = open_store(f"{request.param}://")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def graph(store: GraphStore) -> stakemap.StakeholderGraph:
    return stakemap.StakeholderGraph(store)
