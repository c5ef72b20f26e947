"""Stores a third party might write, for testing backend discovery and the shipped suite:
one that keeps the contract, and two that each break one promise the suite must catch."""

from __future__ import annotations

from typing import Any, ClassVar

from stakemap.backends import Capability
from stakemap.backends.memory import MemoryStore
from stakemap.model.enums import NodeKind
from stakemap.model.nodes import Node


class SharedMemoryStore(MemoryStore):
    """An in-memory store whose graph belongs to its URL, not to the object: a second store
    on the same URL sees the first one's data, so it declares ``PERSISTENT`` truthfully
    (within one process)."""

    capabilities: frozenset[Capability] = frozenset({Capability.PERSISTENT})
    _graphs: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, url: str, **options: Any) -> None:
        shared = self._graphs.get(url)
        if shared is None:
            super().__init__(url)
            self._graphs[url] = self.__dict__
        else:
            self.__dict__ = shared


class AnyMatchStore(MemoryStore):
    """Answers a filtered ``nodes()`` with what matches *any* filter: the bug the suite's
    conjunctive-filter test exists for."""

    def __init__(self, url: str, **options: Any) -> None:
        super().__init__(url)

    def nodes(self, kind: NodeKind | None = None, **where: Any) -> list[Node]:
        if len(where) < 2:
            return super().nodes(kind, **where)
        found = {n.id: n for field, value in where.items()
                 for n in super().nodes(kind, **{field: value})}
        return [found[i] for i in sorted(found)]


class ForgetfulStore(MemoryStore):
    """Declares ``PERSISTENT`` but keeps nothing past the object: the persistence test
    must fail on it."""

    capabilities: frozenset[Capability] = frozenset({Capability.PERSISTENT})

    def __init__(self, url: str, **options: Any) -> None:
        super().__init__(url)


class RecordingStore(MemoryStore):
    """Remembers how it was called, to show ``open_store`` passes ``(url, **options)``."""

    def __init__(self, url: str, **options: Any) -> None:
        super().__init__(url)
        self.options = options
