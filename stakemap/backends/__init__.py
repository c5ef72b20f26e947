"""Storage backends behind one contract (``GraphStore``), opened by URL with ``open_store``.

A URL's scheme names the store class that opens it, through one table (``BACKENDS``:
scheme -> ``"module:Class"``) that installed packages extend through the entry-point group
``stakemap.backends`` (name: the scheme; value: ``"package.module:StoreClass"``). The class
is called as ``StoreClass(url, **options)``; docs/backends.md says how to write one.

Backend modules are imported only when their scheme is opened, and the installed packages'
entry points are read only for a scheme the table lacks, so ``import stakemap`` pays for
neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stakemap.backends.base import Capability, GraphStore
from stakemap.errors import MissingDependencyError, StoreURLError

__all__ = [
    "BACKENDS",
    "CONNECTION_POLICY",
    "ENTRY_POINT_GROUP",
    "NEO4J_SCHEMES",
    "SCHEMES",
    "Capability",
    "GraphStore",
    "StoreClass",
    "open_store",
    "redact_url",
    "store_class",
]

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
SCHEMES = ("memory", *NEO4J_SCHEMES)
"""The schemes stakemap itself implements."""

BACKENDS: dict[str, str] = {
    "memory": "stakemap.backends.memory:MemoryStore",
    **dict.fromkeys(NEO4J_SCHEMES, "stakemap.backends.neo4j:Neo4jStore"),
}
"""Built-in scheme -> ``"module:Class"``. A built-in scheme cannot be taken over by an entry
point: ``neo4j://`` always means stakemap's own Neo4j store."""

StoreClass = Callable[..., GraphStore]
"""What a scheme names: called as ``StoreClass(url, **options)``, it opens the store."""

CONNECTION_POLICY = ("prompt", "password_in_url")
"""Options every store class accepts, and one without credentials ignores: ``prompt`` (a
function asked for a password the URL and environment do not give) and
``password_in_url=False`` (refuse a URL that carries a password, as the CLI does for URLs
typed on its command line)."""

ENTRY_POINT_GROUP = "stakemap.backends"
"""Where installed packages register their stores: ``name = "scheme"``, ``value =
"package.module:StoreClass"``."""


def open_store(url: str | Any = "memory://", **options: Any) -> GraphStore:
    """Open the store ``url`` names, or wrap a ``neo4j.Driver`` given in its place.

    ``memory://`` is the embedded in-process default. ``neo4j://host:7687/db`` (and the
    ``bolt``, ``+s`` and ``+ssc`` variants) opens Neo4j; ``options`` go to ``Neo4jStore``
    (``database``, ``password``, ``batch_size``). Any other scheme opens the store an
    installed package registered for it (see ``store_class``), with the same ``options``.
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
        extra = sorted(set(options) - set(CONNECTION_POLICY))
        if extra:
            raise StoreURLError(f"memory:// takes no options (got {', '.join(extra)})")
    return store_class(scheme, url)(url, **options)


def store_class(scheme: str, url: str | None = None) -> StoreClass:
    """The store class that opens ``scheme://`` URLs: a built-in one from ``BACKENDS``, else
    the one an installed package registered under the entry-point group
    ``stakemap.backends``. ``url`` only makes the error messages name what was asked for."""
    scheme = scheme.lower()
    shown = redact_url(url) if url is not None else f"{scheme}://"
    target = BACKENDS.get(scheme)
    if target is None:
        target = _registered(scheme)
    if target is None:
        if scheme in ("http", "https"):
            raise StoreURLError(
                f"'{shown}' is an HTTP address; stakemap talks to Neo4j over Bolt: use "
                f"neo4j://host:7687 (7474 is the Neo4j Browser's HTTP port)")
        raise StoreURLError(f"unknown store scheme '{scheme}://' in '{shown}'; "
                            f"use one of: {_schemes(with_installed=True)}")
    return _load(scheme, target)


def _entry_points() -> list[Any]:
    """The installed packages' store entry points (read from their metadata: slow enough
    that it happens only when a URL's scheme is not built in)."""
    from importlib import metadata

    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


def _registered(scheme: str) -> str | None:
    found = [ep for ep in _entry_points() if ep.name.lower() == scheme]
    if len(found) > 1:
        owners = ", ".join(f"{_owner(ep)} ({ep.value})" for ep in found)
        raise StoreURLError(
            f"several installed packages register the store scheme '{scheme}://': {owners}; "
            f"uninstall all but one")
    if not found:
        return None
    value: str = found[0].value
    return value


def _owner(entry_point: Any) -> str:
    dist = getattr(entry_point, "dist", None)
    return str(getattr(dist, "name", None) or "an installed package")


def _load(scheme: str, target: str) -> StoreClass:
    from importlib.metadata import EntryPoint

    try:
        loaded = EntryPoint(name=scheme, value=target, group=ENTRY_POINT_GROUP).load()
    except (ImportError, AttributeError) as exc:
        raise MissingDependencyError(
            f"the store for '{scheme}://' ({target}) cannot be loaded: {exc}; reinstall the "
            f"package that provides it") from exc
    if not callable(loaded):
        raise StoreURLError(f"the store for '{scheme}://' ({target}) is not a class")
    cls: StoreClass = loaded
    return cls


def _schemes(*, with_installed: bool = False) -> str:
    schemes = list(SCHEMES)
    if with_installed:
        schemes += sorted({ep.name.lower() for ep in _entry_points()} - set(schemes))
    return ", ".join(s + "://" for s in schemes)


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
