"""The Neo4j store: the same contract as memory, kept in a Neo4j 5 database over Bolt.

How the graph is laid out in Neo4j (stable: gap rules in Cypher rely on it):

- every stakemap node has the label ``StakemapNode`` plus one kind label (``Organization``,
  ``Person``, ``Service``, ``Agreement``, ``Meeting``); its properties are the model's fields,
  with ``kind`` kept as a property too. ``id`` is unique across kinds (a constraint).
- every edge is a relationship whose type comes from ``EdgeKind`` (``HOLDS_ROLE``, ...),
  directed source -> target, carrying the model's fields plus ``key`` (unique per type).
- the portfolio's name and custom roles sit on one ``StakemapPortfolio`` node.
- lists of models are one JSON text property (Neo4j properties hold no maps): the
  metadata node's ``roles`` and a person's ``assessments`` (``JSON_FIELDS``). The fields
  derived from the assessments (``stance``, ``influence``, ``interest``) are stored as
  ordinary properties beside it, so Cypher reads the current values directly.

Safety: labels and relationship types come only from the fixed tables below, never from user
text; every value travels as a query parameter. All driver calls go through ``_boundary``,
the one place driver errors become ``StoreError``s naming the password-free URL.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from stakemap.backends import NEO4J_SCHEMES, redact_url
from stakemap.backends.base import Capability, ClosesOnExit, misplaced_problem
from stakemap.errors import (
    MissingDependencyError,
    NotFoundError,
    Problem,
    StoreConnectionError,
    StoreDataError,
    StoreError,
    StoreURLError,
)
from stakemap.model.edges import EDGE_TYPES, Edge, EdgeBase, misplaced_edges
from stakemap.model.enums import EdgeKind, NodeKind, Phase
from stakemap.model.nodes import NODE_TYPES, Node
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition
from stakemap.rules import Account, AccountSizes, Hit, RuleBase
from stakemap.rules.network import PeopleNetwork

if TYPE_CHECKING:
    import neo4j

__all__ = ["DEFAULT_BATCH_SIZE", "Neo4jStore", "Neo4jURL", "url_has_password"]

DEFAULT_BATCH_SIZE = 5_000
"""Rows per transaction. Large enough to amortise the round trip, small enough for a 1 GB heap."""

_ENDPOINT_CHECK_IDS = 20_000
"""Ids per endpoint-existence check: a read, so independent of the write batch size."""

NODE = "StakemapNode"
META = "StakemapPortfolio"
LABELS: dict[NodeKind, str] = {
    NodeKind.ORGANIZATION: "Organization",
    NodeKind.PERSON: "Person",
    NodeKind.SERVICE: "Service",
    NodeKind.AGREEMENT: "Agreement",
    NodeKind.MEETING: "Meeting",
}
REL_TYPES: dict[EdgeKind, str] = {kind: kind.value.upper() for kind in EdgeKind}
_KIND_OF_TYPE = {rel_type: kind for kind, rel_type in REL_TYPES.items()}
_ALL_KIND_LABELS = ":".join(LABELS.values())

_SCHEMA = [
    f"CREATE CONSTRAINT stakemap_node_id IF NOT EXISTS FOR (n:{NODE}) REQUIRE n.id IS UNIQUE",
    # Gap rules find an account's people by this property (there is no membership edge).
    "CREATE INDEX stakemap_person_organization IF NOT EXISTS FOR (n:Person) ON (n.organization)",
    *(f"CREATE CONSTRAINT stakemap_{rel.lower()}_key IF NOT EXISTS "
      f"FOR ()-[r:{rel}]-() REQUIRE r.key IS UNIQUE" for rel in REL_TYPES.values()),
    # Two imports racing on a bare MERGE could both create the metadata node; with the
    # property unique, MERGE locks it and the second one matches the first's node. Earlier
    # versions' duplicates are merged into one first, or the constraint could not be created.
    f"MATCH (m:{META}) WITH m ORDER BY elementId(m) SKIP 1 DETACH DELETE m",
    f"CREATE CONSTRAINT stakemap_portfolio_singleton IF NOT EXISTS "
    f"FOR (m:{META}) REQUIRE m.singleton IS UNIQUE",
]


@dataclass(frozen=True)
class Neo4jURL:
    """A store URL taken apart: where to connect, as whom, and which database.

    ``redacted`` is the only form that is ever printed: it never contains the password.
    """

    scheme: str
    host: str
    port: int
    user: str
    password: str | None
    database: str | None
    query: str = ""

    @classmethod
    def parse(cls, url: str) -> Neo4jURL:
        """Read ``scheme://[user[:password]@]host[:port][/database]``; env fills the gaps.

        The username comes from the URL, else ``NEO4J_USERNAME``, else ``neo4j``; the password
        from the URL, else ``NEO4J_PASSWORD``; the database from the path, else
        ``NEO4J_DATABASE``, else the server's default.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in NEO4J_SCHEMES:
            raise StoreURLError(
                f"'{redact_url(url)}' is not a Neo4j URL; use one of: "
                f"{', '.join(s + '://' for s in NEO4J_SCHEMES)}")
        try:
            port = parts.port or 7687
        except ValueError:
            raise StoreURLError(
                f"'{redact_url(url)}' has an invalid port; write host:7687") from None
        if not parts.hostname:
            raise StoreURLError(f"'{redact_url(url)}' names no host; write {scheme}://host:7687")
        database = unquote(parts.path.strip("/")) or os.environ.get("NEO4J_DATABASE") or None
        if database and "/" in database:
            raise StoreURLError(
                f"'{redact_url(url)}': the path must be one database name, e.g. /neo4j")
        return cls(
            scheme=scheme,
            host=parts.hostname,
            port=port,
            user=unquote(parts.username) if parts.username
            else os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=unquote(parts.password) if parts.password is not None
            else os.environ.get("NEO4J_PASSWORD"),
            database=database,
            query=parts.query,
        )

    @property
    def address(self) -> str:
        """What the driver is given: no credentials, no database."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}" + (f"?{self.query}" if self.query else "")

    @property
    def redacted(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        database = f"/{self.database}" if self.database else ""
        return f"{self.scheme}://{self.user}@{host}:{self.port}{database}"


def url_has_password(url: str) -> bool:
    """Whether ``url`` carries a password itself (the CLI refuses those on its command line)."""
    try:
        return urlsplit(url).password is not None
    except ValueError:
        return False


def _quiet_driver_log() -> None:
    """The driver logs each retry as a warning; stakemap reports one error instead. A
    ``NullHandler`` keeps those warnings off stderr when the application configured no
    logging (Python's last-resort handler), and leaves them to its handlers when it did."""
    import logging

    logger = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _driver_module() -> Any:
    try:
        import neo4j
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise MissingDependencyError(
            "the Neo4j backend needs the neo4j driver; install it with: "
            "pip install 'stakemap[neo4j]'") from exc
    return neo4j


class Neo4jStore(ClosesOnExit):
    """Holds a portfolio graph in a Neo4j database. See ``stakemap.backends.base``.

    Open it with ``stakemap.connect("neo4j://host:7687/db")`` or give it a driver you already
    have (``Neo4jStore(driver=my_driver, database="db")``); a driver passed in is left open by
    ``close()``, because its owner may still use it.

    Writes go in ``batch_size`` rows per managed transaction, which the driver retries on
    transient failures for up to ``retry_seconds`` (``STAKEMAP_NEO4J_RETRY_SECONDS``, 30).
    """

    capabilities: frozenset[Capability] = frozenset({Capability.PERSISTENT})
    """The graph is in the database: another store on the same URL reads it back."""

    def __init__(
        self,
        url: str | None = None,
        *,
        driver: neo4j.Driver | None = None,
        database: str | None = None,
        password: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        retry_seconds: float | None = None,
        prompt: Callable[[str], str] | None = None,
        password_in_url: bool = True,
    ) -> None:
        if batch_size < 1:
            raise StoreError(f"batch size must be at least 1, not {batch_size}")
        self.batch_size = batch_size
        self._schema_ready = False
        if driver is not None:
            self._owns_driver = False
            self._driver = driver
            self._database = database
            self.url = f"neo4j driver/{database or ''}"
            self._hint = "check the driver you passed in"
        else:
            if url is None:
                raise StoreURLError("give a Neo4j URL (neo4j://host:7687/db) or a driver")
            if not password_in_url and url_has_password(url):
                raise StoreURLError(
                    f"'{redact_url(url)}' has a password in it, and a command line is visible "
                    f"to other users; remove it from the URL and set NEO4J_PASSWORD (or put "
                    f"the URL in STAKEMAP_STORE)")
            where = Neo4jURL.parse(url)
            self._database = database or where.database
            if password is None and where.password is None and prompt is not None:
                password = prompt(f"Neo4j password for {where.redacted}")
            where = Neo4jURL(where.scheme, where.host, where.port, where.user,
                             password if password is not None else where.password,
                             self._database, where.query)
            _quiet_driver_log()
            self.url = where.redacted
            self._hint = f"user '{where.user}'"
            neo4j = _driver_module()
            auth = (where.user, where.password) if where.password is not None else None
            if retry_seconds is None:
                retry_seconds = float(os.environ.get("STAKEMAP_NEO4J_RETRY_SECONDS", "30"))
            with self._boundary("connecting"):
                self._driver = neo4j.GraphDatabase.driver(
                    where.address, auth=auth, max_transaction_retry_time=retry_seconds,
                    notifications_min_severity="OFF")
            self._owns_driver = True
        try:
            # One auto-commit round trip (no retries, so a dead server fails fast) proves the
            # server, the credentials and the database at once.
            with self._boundary("connecting"), self._driver.session(
                    database=self._database) as session:
                session.run("RETURN 1 AS ok").consume()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"Neo4jStore({self.url!r})"

    # -- the one boundary where driver errors become stakemap errors ------------------------
    @contextmanager
    def _boundary(self, doing: str) -> Iterator[None]:
        from neo4j import exceptions as ne

        try:
            yield
        except ne.AuthError as exc:
            raise StoreConnectionError(
                f"Neo4j at {self.url} refused the credentials ({self._hint}); check "
                f"NEO4J_USERNAME and NEO4J_PASSWORD") from exc
        except ne.ServiceUnavailable as exc:
            raise StoreConnectionError(
                f"cannot reach Neo4j at {self.url} while {doing}: {_first_line(exc)}; check that "
                f"the server is running and the host and port are right") from exc
        except ne.SessionExpired as exc:
            raise StoreConnectionError(
                f"lost the connection to Neo4j at {self.url} while {doing}: {_first_line(exc)}; "
                f"check the server, then run the command again (writes are idempotent)") from exc
        except ne.ConfigurationError as exc:
            raise StoreURLError(f"Neo4j URL {self.url}: {_first_line(exc)}") from exc
        except ne.Neo4jError as exc:
            code = getattr(exc, "code", None) or ""
            if code.endswith("DatabaseNotFound"):
                raise StoreError(
                    f"Neo4j at {self.url} has no database '{self._database}'; check the URL's "
                    f"path or NEO4J_DATABASE (SHOW DATABASES lists them)") from exc
            if "Security" in code:
                raise StoreConnectionError(
                    f"Neo4j at {self.url} refused {doing} ({self._hint}): "
                    f"{_first_line(exc)}") from exc
            raise StoreError(
                f"Neo4j at {self.url} failed while {doing}: {code or type(exc).__name__}: "
                f"{_first_line(exc)}") from exc
        except ne.DriverError as exc:
            raise StoreConnectionError(
                f"Neo4j driver error at {self.url} while {doing}: {type(exc).__name__}: "
                f"{_first_line(exc)}") from exc
        except OSError as exc:
            raise StoreConnectionError(
                f"cannot reach Neo4j at {self.url} while {doing}: {exc}; check the host and "
                f"port") from exc

    def _read(self, query: str, doing: str = "reading", **params: Any) -> list[Any]:
        return self._run(query, doing, write=False, params=params)

    def _write(self, query: str, doing: str = "writing", **params: Any) -> list[Any]:
        return self._run(query, doing, write=True, params=params)

    def _run(self, query: str, doing: str, *, write: bool, params: dict[str, Any]
             ) -> list[Any]:
        """One managed transaction (retried by the driver on transient errors)."""
        from neo4j import RoutingControl

        routing = RoutingControl.WRITE if write else RoutingControl.READ
        with self._boundary(doing):
            records, _, _ = self._driver.execute_query(
                query, params, routing_=routing, database_=self._database)
        return list(records)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        for statement in _SCHEMA:
            self._write(statement, "creating constraints")
        self._schema_ready = True

    # -- writing ---------------------------------------------------------------------------
    def put_nodes(self, nodes: Iterable[Node]) -> int:
        """Upsert nodes. A node that exists gets the model's fields (a field now unset is
        removed), and keeps properties of the user's own that are not model fields. A
        node whose kind would change while links touch it is refused (``GraphError``) before
        anything of the batch is written."""
        self._ensure_schema()
        batch = list(nodes)
        self._refuse_kind_changes(batch)
        by_kind: dict[NodeKind, list[dict[str, Any]]] = {}
        for node in batch:
            by_kind.setdefault(node.kind, []).append(_properties(node, nulls=True))
        count = 0
        for kind, rows in by_kind.items():
            label = LABELS[kind]
            # Explicit nulls remove fields the new version leaves unset; a node that changes
            # kind (it has no links: see above) is rewritten whole, dropping the old kind's.
            query = (
                f"UNWIND $rows AS row MERGE (n:{NODE} {{id: row.id}}) "
                f"ON CREATE SET n:{label} "
                f"FOREACH (_ IN CASE WHEN n.kind IS NOT NULL AND n.kind <> row.kind "
                f"THEN [1] ELSE [] END | REMOVE n:{_ALL_KIND_LABELS} SET n:{label} SET n = row) "
                f"SET n += row")
            for chunk in _chunks(rows, self.batch_size):
                self._write(query, f"writing {len(chunk)} {kind.value} nodes", rows=chunk)
                count += len(chunk)
        return count

    def _refuse_kind_changes(self, batch: Sequence[Node]) -> None:
        """Raise if a node of ``batch`` exists with another kind and has links (see
        ``MemoryStore.put_nodes``): one read per ``_ENDPOINT_CHECK_IDS`` nodes."""
        from stakemap.backends.memory import kind_change_refused

        rows = [{"id": n.id, "kind": n.kind.value} for n in batch]
        for chunk in _chunks(rows, _ENDPOINT_CHECK_IDS):
            found = self._read(
                f"UNWIND $rows AS row MATCH (n:{NODE} {{id: row.id}}) "
                f"WHERE n.kind IS NULL OR n.kind <> row.kind "
                f"WITH n, row, COUNT {{ (n)-[r]-(:{NODE}) WHERE type(r) IN $types }} AS links "
                f"WHERE links > 0 RETURN n.id AS id, n.kind AS old, row.kind AS new, links "
                f"LIMIT 1", "checking for kind changes", rows=chunk, types=list(_KIND_OF_TYPE))
            if found:
                r = found[0]
                raise kind_change_refused(r["id"], r["old"], NodeKind(r["new"]), r["links"])

    def put_edges(self, edges: Iterable[Edge]) -> int:
        batch = list(edges)
        if not batch:
            return 0
        self._ensure_schema()
        ends = sorted({end for edge in batch for end in (edge.source, edge.target)})
        for chunk in _chunks(ends, _ENDPOINT_CHECK_IDS):
            missing = self._read(
                f"UNWIND $ids AS id OPTIONAL MATCH (n:{NODE} {{id: id}}) "
                f"WITH id, n WHERE n IS NULL RETURN id LIMIT 1",
                "checking edge endpoints", ids=chunk)
            if missing:
                gone = missing[0]["id"]
                edge = next(e for e in batch if gone in (e.source, e.target))
                raise NotFoundError(
                    f"{edge.kind.value} '{edge.source}' -> '{edge.target}': no node '{gone}'")
        by_kind: dict[EdgeKind, list[dict[str, Any]]] = {}
        for edge in batch:
            by_kind.setdefault(edge.kind, []).append(
                {"s": edge.source, "t": edge.target, "p": _properties(edge, nulls=True)})
        for kind, rows in by_kind.items():
            query = (
                f"UNWIND $rows AS row "
                f"MATCH (a:{NODE} {{id: row.s}}) MATCH (b:{NODE} {{id: row.t}}) "
                f"MERGE (a)-[r:{REL_TYPES[kind]} {{key: row.p.key}}]->(b) SET r += row.p")
            for chunk in _chunks(rows, self.batch_size):
                self._write(query, f"writing {len(chunk)} {kind.value} edges", rows=chunk)
        return len(batch)

    def delete_node(self, node_id: str) -> None:
        found = self._write(
            f"MATCH (n:{NODE} {{id: $id}}) DETACH DELETE n RETURN count(*) AS n",
            "deleting a node", id=node_id)
        if not found or found[0]["n"] == 0:
            raise NotFoundError(f"no node '{node_id}'")

    def set_metadata(self, *, name: str | None, roles: Iterable[RoleDefinition]) -> None:
        self._ensure_schema()
        payload = json.dumps(
            [r.model_dump(mode="json") for r in sorted(roles, key=lambda r: r.id)],
            ensure_ascii=False)
        query = f"MERGE (m:{META} {{singleton: true}}) SET m.name = $name, m.roles = $roles"
        doing = "writing the portfolio's name and roles"
        try:
            self._write(query, doing, name=name, roles=payload)
        except StoreError as exc:
            # Two writers creating the node at once: the constraint lets one win and fails
            # the other (not a transient error, so the driver does not retry it). Now the
            # node exists, so the same MERGE matches it.
            if "ConstraintValidationFailed" not in str(exc):
                raise
            self._write(query, doing, name=name, roles=payload)

    def metadata(self) -> tuple[str | None, tuple[RoleDefinition, ...]]:
        found = self._read(f"MATCH (m:{META}) RETURN m.name AS name, m.roles AS roles LIMIT 1")
        if not found:
            return None, ()
        try:
            roles = json.loads(found[0]["roles"] or "[]")
            return found[0]["name"], tuple(RoleDefinition.model_validate(r) for r in roles)
        except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
            raise StoreDataError([Problem(
                self.url, None, None,
                f"the {META} node's 'roles' property is not a list of role definitions: "
                f"{_first_line(exc)}",
                "import the portfolio file again, or remove the property")]) from exc

    def clear(self) -> None:
        """Delete every stakemap node, edge and the metadata, in bounded transactions."""
        with self._boundary("clearing the store"), self._driver.session(
                database=self._database) as session:
            for label in (NODE, META):
                session.run(
                    f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} "
                    f"IN TRANSACTIONS OF {self.batch_size} ROWS").consume()

    def close(self) -> None:
        """Close the driver this store opened (a driver passed in stays open: its owner
        closes it)."""
        if self._owns_driver:
            self._driver.close()

    # -- reading ---------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node:
        found = self._read(f"MATCH (n:{NODE} {{id: $id}}) RETURN properties(n) AS p",
                           id=node_id)
        if not found:
            raise NotFoundError(f"no node '{node_id}'")
        return self._models([found[0]["p"]], [])[0][0]

    def has_node(self, node_id: str) -> bool:
        return bool(self._read(f"MATCH (n:{NODE} {{id: $id}}) RETURN 1 AS ok", id=node_id))

    def nodes(self, kind: NodeKind | None = None, **where: Any) -> list[Node]:
        kinds = [kind] if kind is not None else list(NodeKind)
        # A filter on a field a kind does not have matches none of that kind (as in memory).
        kinds = [k for k in kinds if all(f in NODE_TYPES[k].model_fields for f in where)]
        if not kinds:
            return []
        pattern = f"(n:{NODE}:{LABELS[kind]})" if kind is not None else f"(n:{NODE})"
        params: dict[str, Any] = {"kinds": [k.value for k in kinds]}
        tests = ["n.kind IN $kinds"]
        for i, (field, value) in enumerate(where.items()):
            params[f"f{i}"] = field
            if value is None:
                tests.append(f"n[$f{i}] IS NULL")
            else:
                params[f"v{i}"] = _value(value)
                tests.append(f"n[$f{i}] = $v{i}")
        found = self._read(
            f"MATCH {pattern} WHERE {' AND '.join(tests)} RETURN properties(n) AS p", **params)
        return sorted(self._models([r["p"] for r in found], [])[0], key=lambda n: n.id)

    def edges(
        self,
        kind: EdgeKind | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]:
        a = f"(a:{NODE} {{id: $s}})" if source is not None else f"(a:{NODE})"
        b = f"(b:{NODE} {{id: $t}})" if target is not None else f"(b:{NODE})"
        if kind is not None:
            match, types = f"MATCH {a}-[r:{REL_TYPES[kind]}]->{b}", None
        else:
            match, types = f"MATCH {a}-[r]->{b} WHERE type(r) IN $types", list(_KIND_OF_TYPE)
        found = self._read(
            f"{match} RETURN type(r) AS type, a.id AS s, b.id AS t, properties(r) AS p",
            s=source, t=target, types=types)
        return sorted(self._models([], found)[1], key=lambda e: e.key)

    def export(self) -> Portfolio:
        name, roles = self.metadata()
        nodes = self._read(f"MATCH (n:{NODE}) RETURN properties(n) AS p", "exporting nodes")
        edges = self._read(
            f"MATCH (a:{NODE})-[r]->(b:{NODE}) WHERE type(r) IN $types "
            f"RETURN type(r) AS type, a.id AS s, b.id AS t, properties(r) AS p",
            "exporting edges", types=list(_KIND_OF_TYPE))
        read_nodes, read_edges = self._models([r["p"] for r in nodes], edges,
                                              kinds={r["p"].get("id"): r["p"].get("kind")
                                                     for r in nodes})
        return Portfolio.build(name=name, roles=roles, nodes=read_nodes, edges=read_edges)

    def _models(self, nodes: Sequence[dict[str, Any]], edges: Sequence[Any], *,
                kinds: dict[Any, Any] | None = None) -> tuple[list[Node], list[Edge]]:
        """Nodes and edges read back as models, or one ``StoreDataError`` listing every one
        that is not a valid model (and, given every node's ``kinds``, every edge between
        nodes of kinds it may not join): data written by someone's own Cypher must end in
        messages that say what to fix, all at once, never a traceback."""
        problems: list[Problem] = []
        read_nodes = [n for n in (_node(p, where=self.url, problems=problems) for p in nodes)
                      if n is not None]
        read_edges = [e for e in (_edge(r["type"], r["s"], r["t"], r["p"], where=self.url,
                                        problems=problems) for r in edges) if e is not None]
        if kinds is not None:
            problems += [misplaced_problem(self.url, e, kinds)
                         for e in misplaced_edges(read_edges, kinds)]
        if problems:
            raise StoreDataError(problems)
        return read_nodes, read_edges

    # -- gap rules, evaluated as Cypher in the database (see neo4j_rules) -------------------
    def rule_runner(self, as_of: date, absent: Iterable[str] = ()) -> _CypherRuleRunner:
        return _CypherRuleRunner(self, as_of, absent)

    def accounts(self) -> list[Account]:
        from stakemap.backends.neo4j_rules import ACCOUNTS, DIVISIONS
        from stakemap.rules.vocabulary import divisions_of

        records = self._read(ACCOUNTS, "listing accounts")
        divisions = divisions_of({r["id"]: r["parent"] for r in self._read(
            DIVISIONS, "listing divisions")})
        accounts, problems = [], []
        for r in records:
            phase, tier = r["phase"], r["tier"]
            if phase is not None and phase not in Phase._value2member_map_:
                problems.append(_bad_property(self.url, r["id"], "phase", phase,
                                              ", ".join(p.value for p in Phase)))
            elif tier is not None and not isinstance(tier, str):
                problems.append(_bad_property(self.url, r["id"], "tier", tier, "text"))
            else:
                accounts.append(Account(r["id"], tier, Phase(phase) if phase else None,
                                        bool(r["vital"]), divisions.get(r["id"], ())))
        if problems:  # stored by someone's own Cypher: located, never a traceback
            raise StoreDataError(problems)
        return sorted(accounts, key=lambda a: a.id)

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        records = self._read(f"MATCH (n:{NODE}) WHERE n.id IN $ids RETURN n.id AS id, "
                             f"n.name AS name", "reading names", ids=list(ids))
        return {r["id"]: r["name"] for r in records}

    def counts(self) -> dict[str, int]:
        result = {k.value: 0 for k in NodeKind} | {k.value: 0 for k in EdgeKind}
        # One round trip; each relationship count is a count-store lookup (constant time).
        query = " UNION ALL ".join(
            [f"MATCH (n:{NODE}) RETURN n.kind AS k, count(*) AS n"]
            + [f"MATCH ()-[r:{rel}]->() RETURN '{kind.value}' AS k, count(r) AS n"
               for kind, rel in REL_TYPES.items()])
        for record in self._read(query, "counting"):
            result[record["k"]] = record["n"]
        return result


class _CypherRuleRunner:
    """Rules as one Cypher query each; the provider organizations are read once per report."""

    def __init__(self, store: Neo4jStore, as_of: date, absent: Iterable[str] = ()) -> None:
        from stakemap.backends.neo4j_rules import DIVISIONS, RULES
        from stakemap.rules.vocabulary import CYPHER_PROVIDERS, divisions_of

        self._rules = RULES
        self._store = store
        self._as_of = as_of
        self._absent = sorted(absent)
        self._providers: list[str] = store._read(
            CYPHER_PROVIDERS, "listing provider organizations")[0]["ids"]
        self._divisions = divisions_of({r["id"]: r["parent"] for r in store._read(
            DIVISIONS, "listing divisions")})

    def _chosen(self, accounts: Iterable[str]) -> list[dict[str, Any]]:
        """``$accounts``: each id with its organizations (the account and its divisions)."""
        return [{"id": a, "orgs": [a, *self._divisions.get(a, ())]} for a in accounts]

    def supports(self, rule_type: type[RuleBase]) -> bool:
        return rule_type in self._rules

    def run(self, rule: RuleBase, accounts: Sequence[str]) -> list[Hit]:
        return self._rules.for_rule(rule).run(self._store._read, rule, self._chosen(accounts),
                                              self._as_of, self._providers,
                                              absent=self._absent)

    def sizes(self, accounts: Sequence[str]) -> dict[str, AccountSizes]:
        from stakemap.backends.neo4j_rules import SIZES, SIZES_PARAMETERS

        records = self._store._read(SIZES, "sizing accounts", accounts=self._chosen(accounts),
                                    as_of=self._as_of, providers=self._providers,
                                    absent=self._absent, **SIZES_PARAMETERS)
        return {r["account"]: AccountSizes(
            people=r["people"], things=r["things"], services=r["services"],
            vital_services=r["vital_services"], agreements=r["agreements"],
            decision_makers=r["decision_makers"], key_people=r["key_people"], ties=r["ties"])
            for r in records}

    def people_network(self, account: str, reporting: bool = True) -> PeopleNetwork:
        from stakemap.backends.neo4j_rules import read_people_network

        (chosen,) = self._chosen([account])
        return read_people_network(self._store._read, chosen, self._as_of, self._providers,
                                   self._absent, reporting=reporting)

    def touched(self, people: Iterable[str]) -> set[str]:
        from stakemap.backends.neo4j_rules import TOUCHED

        (record,) = self._store._read(TOUCHED, "finding whom people touch",
                                      people=sorted(people))
        return {o for o in record["orgs"] if o is not None}

    def without(self, absent: Iterable[str]) -> _CypherRuleRunner:
        """This runner with ``absent`` gone too: the providers and divisions read once are
        shared; only ``$absent`` changes."""
        other = copy.copy(self)
        other._absent = sorted({*self._absent, *absent})
        return other

    def stakeholders(self, accounts: Sequence[str]) -> dict[str, set[str]]:
        from stakemap.backends.neo4j_rules import STAKEHOLDERS

        found: dict[str, set[str]] = {a: set() for a in accounts}
        for r in self._store._read(STAKEHOLDERS, "finding stakeholders",
                                   accounts=self._chosen(accounts), as_of=self._as_of,
                                   absent=self._absent):
            found[r["account"]] = set(r["holders"])
        return found

    def importance(self, ids: Iterable[str]) -> dict[str, int]:
        from stakemap.backends.neo4j_rules import IMPORTANCE

        return {r["id"]: r["weight"] for r in self._store._read(
            IMPORTANCE, "ranking findings", ids=sorted(ids))}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].rstrip(":")


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _properties(model: Node | EdgeBase, *, nulls: bool = False) -> dict[str, Any]:
    """A model's fields as Neo4j properties: enums as their text, dates native. Unset fields
    are left out, or with ``nulls`` kept as nulls (``SET n += row`` then removes them)."""
    if isinstance(model, EdgeBase):
        data = model.model_dump(exclude_none=not nulls, exclude={"source", "target", "kind"})
        data["key"] = model.key
    else:
        data = model.model_dump(exclude_none=not nulls)
        for name in JSON_FIELDS.get(model.kind, ()):
            text = _to_json(data.get(name))
            if text is None and not nulls:
                data.pop(name, None)
            else:
                data[name] = text
    return {k: _value(v) for k, v in data.items()}


JSON_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    kind: ("external_ids", "assessments") if kind is NodeKind.PERSON else ("external_ids",)
    for kind in NodeKind}
"""Node fields kept as one JSON text property each: lists of models and maps (see the
module doc)."""


def _to_json(value: Any) -> str | None:
    """A list of models or a map (as dumped) as JSON text; an empty one is no property."""
    if not value:
        return None
    return json.dumps(value, ensure_ascii=False, default=_json_default, sort_keys=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def _native(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v.to_native() if hasattr(v, "to_native") and not isinstance(v, date) else v
            for k, v in props.items()}


_FIX = "correct or remove the property with your own Cypher, or import the portfolio again"


def _bad_property(where: str, org_id: str, name: str, value: Any, allowed: str) -> Problem:
    return Problem(where, None, None, f"organization '{org_id}': property '{name}' = "
                   f"{value!r} is not one of: {allowed}" if allowed != "text" else
                   f"organization '{org_id}': property '{name}' = {value!r} should be text",
                   _FIX)


def _invalid(where: str, what: str, error: ValidationError, problems: list[Problem]) -> None:
    """One problem per invalid field of ``error``, each naming ``what`` and the property."""
    for detail in error.errors():
        field = ".".join(str(part) for part in detail["loc"]) or "?"
        value = detail.get("input")
        shown = f" = {value!r}" if not isinstance(value, dict | list) else ""
        problems.append(Problem(
            where, None, None, f"{what}: property '{field}'{shown}: {detail['msg']}",
            _FIX))


def _node(props: dict[str, Any], *, where: str = "Neo4j",
          problems: list[Problem] | None = None) -> Node | None:
    """A stored node as its model. Properties that are no model field are the user's own
    (the README invites them) and ignored; an invalid one, or an unknown kind, is added to
    ``problems`` (raised at once when none is given) and the node skipped."""
    found: list[Problem] = [] if problems is None else problems
    node_id = props.get("id")
    try:
        kind = NodeKind(str(props.get("kind")))
    except ValueError:
        found.append(Problem(
            where, None, None,
            f"node '{node_id}': property 'kind' = {props.get('kind')!r} is not a kind of node; "
            f"use one of: {', '.join(repr(k.value) for k in NodeKind)}", _FIX))
    else:
        model_type = NODE_TYPES[kind]
        data = {k: v for k, v in _native(props).items() if k in model_type.model_fields}
        unreadable = False
        for name in JSON_FIELDS.get(kind, ()):
            text = data.get(name)
            if text is None:
                continue
            try:
                data[name] = json.loads(text) if isinstance(text, str) else text
            except ValueError as exc:
                unreadable = True
                found.append(Problem(
                    where, None, None, f"{kind.value} '{node_id}': property '{name}' is not "
                    f"JSON text: {_first_line(exc)}", _FIX))
        if not unreadable:
            try:
                return cast("Node", model_type.model_validate(data))
            except ValidationError as exc:
                _invalid(where, f"{kind.value} '{node_id}'", exc, found)
    if problems is None:
        raise StoreDataError(found)
    return None


def _edge(rel_type: str, source: str, target: str, props: dict[str, Any], *,
          where: str = "Neo4j", problems: list[Problem] | None = None) -> Edge | None:
    """A stored relationship as its model; like ``_node``, the user's own properties are
    ignored and invalid ones reported, naming the relationship by its endpoints and key."""
    found: list[Problem] = [] if problems is None else problems
    kind = _KIND_OF_TYPE[rel_type]
    model_type = EDGE_TYPES[kind]
    data = {k: v for k, v in _native(props).items()
            if k in model_type.model_fields and k not in ("source", "target", "kind")}
    try:
        return cast("Edge", model_type.model_validate(
            {**data, "source": source, "target": target}))
    except ValidationError as exc:
        _invalid(where, f"{kind.value} '{source}' -> '{target}' (key {props.get('key')!r})",
                 exc, found)
    if problems is None:
        raise StoreDataError(found)
    return None
