"""The pytest plugin of stakemap's store contract suite.

Enable it from a conftest with ``pytest_plugins = ["stakemap.testing.plugin"]``; it is not an
auto-loaded ``pytest11`` plugin, so installing stakemap changes nobody else's test runs.

Fixtures:

- ``store``: an empty store, once per backend under test, cleared again afterwards;
  tests marked ``@requires(Capability...)`` skip on a store that does not declare it;
- ``open_same_store``: opens another store on the database ``store`` is on (what a second
  process would see);
- ``reference_store``: a fresh in-memory store;
- ``parity``: ``Parity(reference, store)``, the two side by side;
- ``stakemap_backend``: the ``Backend`` the current test runs on;
- ``stakemap_neo4j_driver``: the session's driver to the Neo4j test server, checked to
  answer and to hold no data the tests could destroy (see ``stakemap.testing.neo4j_server``).

Options: ``--stakemap-backend NAME`` (repeatable) runs the store tests on those backends
only; by default on every backend the ``pytest_stakemap_backends`` hook returns, which is
``memory`` and ``neo4j`` unless a conftest says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from stakemap.backends import Capability, GraphStore
from stakemap.testing import hooks
from stakemap.testing.backend import MEMORY, NEO4J, Backend, Parity

__all__ = [
    "open_same_store",
    "parity",
    "reference_store",
    "stakemap_backend",
    "stakemap_neo4j_driver",
    "store",
]

_SELECTED = pytest.StashKey[list[Backend]]()


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("stakemap", "stakemap store contract suite")
    group.addoption(
        "--stakemap-backend", action="append", default=[], dest="stakemap_backends",
        metavar="NAME",
        help="run the store tests on this backend only (repeatable); default: every backend "
             "the conftest offers (memory and neo4j unless it says otherwise)")


@pytest.hookimpl(trylast=True)
def pytest_stakemap_backends(config: pytest.Config) -> list[Backend]:
    """stakemap's own backends: memory, and Neo4j on the test server."""
    return [MEMORY, NEO4J]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stakemap_requires(*capabilities): run only on stores that declare these "
                   "stakemap Capability members (use stakemap.testing.requires)")
    config.addinivalue_line(
        "markers", "neo4j: needs a Neo4j server (deselect with -m 'not neo4j')")
    offered: list[Backend] = config.hook.pytest_stakemap_backends(config=config) or []
    names = [b.name for b in offered]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise pytest.UsageError(f"stakemap backends offered twice: {', '.join(twice)}")
    wanted: list[str] = config.getoption("stakemap_backends") or names
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise pytest.UsageError(
            f"--stakemap-backend {unknown[0]}: no such backend; the conftest offers: "
            f"{', '.join(names) or 'none'}")
    by_name = {b.name: b for b in offered}
    config.stash[_SELECTED] = [by_name[n] for n in dict.fromkeys(wanted)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses a store once per selected backend."""
    if "stakemap_backend" not in metafunc.fixturenames:
        return
    selected = metafunc.config.stash[_SELECTED]
    metafunc.parametrize(
        "stakemap_backend",
        [pytest.param(b, marks=b.marks, id=b.name) for b in selected],
        indirect=True)


@pytest.fixture
def stakemap_backend(request: pytest.FixtureRequest) -> Backend:
    """The backend this test runs on (``pytest_generate_tests`` chooses)."""
    backend: Backend = request.param
    return backend


@pytest.fixture(scope="session")
def stakemap_neo4j_driver() -> Iterator[Any]:
    """One driver to the Neo4j test server for the session; fails (never skips) when the
    server cannot be reached or holds data (see ``stakemap.testing.neo4j_server``)."""
    from stakemap.testing.neo4j_server import connect_test_driver

    driver = connect_test_driver()
    try:
        yield driver
    finally:
        driver.close()


def _lacking(request: pytest.FixtureRequest, opened: GraphStore) -> list[Capability]:
    declared: frozenset[Capability] = getattr(opened, "capabilities", frozenset())
    needed = [c for mark in request.node.iter_markers("stakemap_requires") for c in mark.args]
    return [c for c in needed if c not in declared]


@pytest.fixture
def store(stakemap_backend: Backend, request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty store of the backend under test, cleared again after the test."""
    opened = stakemap_backend.open(request)
    lacking = _lacking(request, opened)
    if lacking:
        opened.close()
        pytest.skip(f"{type(opened).__name__} does not declare "
                    f"{', '.join(f'Capability.{c.name}' for c in lacking)}")
    try:
        opened.clear()
        yield opened
    finally:
        try:
            opened.clear()
        finally:
            opened.close()


@pytest.fixture
def open_same_store(store: GraphStore, stakemap_backend: Backend,
                    request: pytest.FixtureRequest) -> Iterator[Callable[[], GraphStore]]:
    """Opens another store on the database ``store`` is on, as a second process would; each
    is closed after the test (``store``'s own clean-up empties the database)."""
    opened: list[GraphStore] = []

    def open_again() -> GraphStore:
        again = stakemap_backend.open(request)
        opened.append(again)
        return again

    try:
        yield open_again
    finally:
        for again in opened:
            again.close()


@pytest.fixture
def reference_store() -> Iterator[GraphStore]:
    """A fresh in-memory store: the reference other stores are compared with."""
    from stakemap.backends.memory import MemoryStore

    with MemoryStore() as reference:
        yield reference


@pytest.fixture
def parity(reference_store: GraphStore, store: GraphStore) -> Parity:
    """The store under test beside the in-memory reference (see ``Parity``)."""
    return Parity(reference_store, store)
