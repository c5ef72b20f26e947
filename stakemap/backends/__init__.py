"""Storage backends behind one contract (``GraphStore``), opened by URL with ``open_store``.

Backend modules are imported only when their scheme is opened, so ``import stakemap`` does
not pay for drivers it does not use.
"""

from __future__ import annotations

from typing import Any

from stakemap.backends.base import GraphStore
from stakemap.errors import StoreURLError

__all__ = ["CONNECTION_POLICY", "NEO4J_SCHEMES", "SCHEMES", "GraphStore", "open_store",
           "redact_url"]

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
SCHEMES = ("memory", *NEO4J_SCHEMES)

CONNECTION_POLICY = ("prompt", "password_in_url")
"""Options every store class accepts, and one without credentials ignores: ``prompt`` (a
function asked for a password the URL and environment do not give) and
``password_in_url=False`` (refuse a URL that carries a password, as the CLI does for URLs
typed on its command line)."""


def open_store(url: str | Any = "memory://", **options: Any) -> GraphStore:
    """Open the store ``url`` names, or wrap a ``neo4j.Driver`` given in its place.

    ``memory://`` is the embedded in-process default. ``neo4j://host:7687/db`` (and the
    ``bolt``, ``+s`` and ``+ssc`` variants) opens Neo4j; ``options`` go to ``Neo4jStore``
    (``database``, ``password``, ``batch_size``).
    """
    if not isinstance(url, str):
        if callable(getattr(url, "execute_query", None)):
            from stakemap.backends.neo4j import Neo4jStore

            return Neo4jStore(driver=url, **options)
        raise StoreURLError(f"cannot open a store from {type(url).__name__}; give a URL")
    scheme, sep, _ = url.partition("://")
    scheme = scheme.lower()
    if not sep:
        raise StoreURLError(
            f"store URL '{redact_url(url)}' has no scheme; use one of: {_schemes()}")
    if scheme == "memory":
        from stakemap.backends.memory import MemoryStore

        extra = sorted(set(options) - set(CONNECTION_POLICY))
        if extra:
            raise StoreURLError(f"memory:// takes no options (got {', '.join(extra)})")
        return MemoryStore(url)
    if scheme in NEO4J_SCHEMES:
        from stakemap.backends.neo4j import Neo4jStore

        return Neo4jStore(url, **options)
    if scheme in ("http", "https"):
        raise StoreURLError(
            f"'{redact_url(url)}' is an HTTP address; stakemap talks to Neo4j over Bolt: use "
            f"neo4j://host:7687 (7474 is the Neo4j Browser's HTTP port)")
    raise StoreURLError(f"unknown store scheme '{scheme}://' in '{redact_url(url)}'; "
                        f"use one of: {_schemes()}")


def _schemes() -> str:
    return ", ".join(s + "://" for s in SCHEMES)


def redact_url(url: str) -> str:
    """``url`` with any password removed, for messages and logs (works on broken URLs too)."""
    head, sep, tail = url.partition("://")
    if not sep:
        head, tail = "", url
    authority, slash, path = tail.partition("/")
    if "@" in authority:
        userinfo, _, host = authority.rpartition("@")
        authority = f"{userinfo.split(':', 1)[0]}@{host}"
    return f"{head}{sep}{authority}{slash}{path}"
