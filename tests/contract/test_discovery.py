"""Backends found by URL scheme: the built-in table first, then the entry points installed
packages register under ``stakemap.backends``."""

from __future__ import annotations

import importlib.metadata
from importlib.metadata import EntryPoint, EntryPoints
from typing import Any

import pytest

import stakemap
from stakemap.backends import ENTRY_POINT_GROUP, open_store, store_class
from stakemap.backends.memory import MemoryStore
from stakemap.backends.neo4j import Neo4jStore
from stakemap.errors import MissingDependencyError, StoreURLError
from tests.contract.fake_backends import RecordingStore

FAKES = "tests.contract.fake_backends"


def _installed(monkeypatch: pytest.MonkeyPatch, *registered: tuple[str, str]) -> list[str]:
    """Pretend installed packages register ``(scheme, "module:Class")`` pairs; returns the
    entry-point groups read from then on."""
    read: list[str] = []

    def entry_points(**params: Any) -> EntryPoints:
        group = params.get("group", "")
        read.append(group)
        if group != ENTRY_POINT_GROUP:
            return EntryPoints(())
        return EntryPoints(EntryPoint(name, value, group) for name, value in registered)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return read


def test_an_installed_package_s_scheme_opens_its_store(monkeypatch: pytest.MonkeyPatch) -> None:
    read = _installed(monkeypatch, ("fake", f"{FAKES}:RecordingStore"))
    opened = open_store("fake://somewhere:1/db", colour="red")
    assert isinstance(opened, RecordingStore)
    assert (opened.url, opened.options) == ("fake://somewhere:1/db", {"colour": "red"})
    assert read == [ENTRY_POINT_GROUP]
    with stakemap.connect("FAKE://elsewhere") as graph:  # schemes are case-insensitive
        assert isinstance(graph.store, RecordingStore)


def test_built_in_schemes_never_read_entry_points_and_cannot_be_taken_over(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read = _installed(monkeypatch, ("memory", f"{FAKES}:RecordingStore"),
                      ("neo4j", f"{FAKES}:RecordingStore"))
    assert type(open_store("memory://")) is MemoryStore
    assert store_class("neo4j") is Neo4jStore
    assert store_class("bolt+ssc") is Neo4jStore
    assert read == []


def test_an_unknown_scheme_names_the_installed_ones_too(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, ("fake", f"{FAKES}:RecordingStore"))
    with pytest.raises(StoreURLError, match=r"unknown store scheme 'nosuch://'") as caught:
        open_store("nosuch://user:hunter2@host")
    message = str(caught.value)
    assert "memory://, neo4j://" in message
    assert message.endswith("fake://")
    assert "hunter2" not in message


def test_an_http_url_still_points_to_bolt(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch)
    with pytest.raises(StoreURLError, match="talks to Neo4j over Bolt"):
        open_store("http://localhost:7474")


def test_two_packages_registering_one_scheme_is_an_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, ("fake", f"{FAKES}:RecordingStore"),
               ("fake", f"{FAKES}:SharedMemoryStore"))
    with pytest.raises(StoreURLError, match="several installed packages") as caught:
        open_store("fake://x")
    assert "RecordingStore" in str(caught.value)
    assert "SharedMemoryStore" in str(caught.value)


def test_an_entry_point_that_cannot_be_imported_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, ("gone", "no_such_package.store:Store"),
               ("typo", f"{FAKES}:NoSuchStore"))
    with pytest.raises(MissingDependencyError, match=r"'gone://'.*no_such_package") as caught:
        open_store("gone://x")
    assert isinstance(caught.value, ImportError)
    with pytest.raises(MissingDependencyError, match="NoSuchStore"):
        open_store("typo://x")
