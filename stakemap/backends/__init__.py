"""Storage backends behind one contract (``GraphStore``), opened by URL with ``connect``.

Backend modules are imported only when their scheme is opened, so ``import stakemap`` does
not pay for drivers it does not use.
"""

from __future__ import annotations

from stakemap.backends.base import GraphStore
from stakemap.errors import StoreURLError

__all__ = ["SCHEMES", "GraphStore", "open_store"]

SCHEMES = ("memory",)


def open_store(url: str = "memory://") -> GraphStore:
    """Open the store a URL names: ``memory://`` is the embedded in-process default."""
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise StoreURLError(
            f"store URL '{url}' has no scheme; use one of: {', '.join(s + '://' for s in SCHEMES)}")
    if scheme == "memory":
        from stakemap.backends.memory import MemoryStore

        return MemoryStore(url)
    raise StoreURLError(
        f"unknown store scheme '{scheme}://' in '{url}'; use one of: "
        f"{', '.join(s + '://' for s in SCHEMES)}")
