"""The read/write contract every storage backend implements.

The semantics below are the specification; ``stakemap.testing``'s suite enforces them on
every backend, ours and third parties':

- **Upserts are idempotent.** Writing a node whose id exists replaces its properties; writing
  an edge whose ``key`` exists between the same nodes replaces its properties. Writing the
  same batch twice changes nothing.
- **Edges need both endpoints.** ``put_edges`` raises ``NotFoundError`` naming the missing id,
  and writes none of the batch.
- **Parallel edges stay apart.** Edges of different kinds, or of one kind with a different
  role, phase or authority scope, between the same two nodes are different edges.
- **Filters are conjunctive.** ``nodes(kind, **where)`` and ``edges(kind, source=, target=)``
  return what matches *every* filter given, never any of them.
- **Order is stable.** Nodes come back sorted by id, edges by key.
- **Deleting a node detaches it.** Its edges go with it.
- **Values round-trip.** What is written is read back equal (text verbatim, dates as dates).

What a backend can do beyond this contract it declares as ``Capability`` members in
``capabilities``; the suite skips a test on that declaration, never on the backend's name.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date
from types import TracebackType
from typing import Any, Protocol, Self

from stakemap.errors import Problem
from stakemap.model.edges import ENDPOINTS, Edge, EdgeBase
from stakemap.model.enums import EdgeKind, NodeKind
from stakemap.model.nodes import Node
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition
from stakemap.rules import Account, AccountSizes, Hit, RuleBase
from stakemap.rules.network import PeopleNetwork

__all__ = ["Capability", "ClosesOnExit", "GraphStore", "RuleRunner"]


class Capability(enum.Enum):
    """Something a backend can do beyond the contract. A store lists what it has in
    ``capabilities``; tests that need one are marked ``@requires(Capability...)``
    (``stakemap.testing``) and skip on a store that does not declare it, so a backend is
    judged by what it says it does, never by its name."""

    PERSISTENT = "persistent"
    """What is written outlives the store object: close it, open the same URL again, and
    the graph is still there (Neo4j). An in-memory store starts empty every time."""


class ClosesOnExit:
    """``with store:`` closes it at the end of the block, whatever happens inside."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


class RuleRunner(Protocol):
    """Gap rules over one store as of one day: what a store prepares once per report (an
    index in memory, the provider organizations in Neo4j) and then runs rule by rule."""

    def supports(self, rule_type: type[RuleBase]) -> bool:
        """Whether this store implements ``rule_type``."""
        ...

    def run(self, rule: RuleBase, accounts: Sequence[str]) -> list[Hit]:
        """Hits for ``rule`` over ``accounts`` (ids, in order; the rule's ``when`` selector is
        already applied), in any order. A rule type the store does not implement raises
        ``RuleNotImplementedError``."""
        ...

    def sizes(self, accounts: Sequence[str]) -> dict[str, AccountSizes]:
        """What each account's rules are counted against, for its coverage score
        (``stakemap.rules.AccountSizes``; defined in ``stakemap.rules.vocabulary``)."""
        ...

    def people_network(self, account: str, reporting: bool = True) -> PeopleNetwork:
        """The account's people network as of the runner's day, read where the data lives
        and bounded to the account (``stakemap.rules.network`` defines it)."""
        ...

    def touched(self, people: Iterable[str]) -> set[str]:
        """The organizations ``people`` touch (``AccountIndex.touched`` defines it): whose
        accounts a what-if about them looks at."""
        ...

    def importance(self, ids: Iterable[str]) -> dict[str, int]:
        """How much each finding subject matters, to rank findings of one severity
        (``AccountIndex.importance`` defines it); unknown ids are left out."""
        ...

    def stakeholders(self, accounts: Sequence[str]) -> dict[str, set[str]]:
        """Each account's active people, of either side, who hold a role at, own, or have
        authority over one of its things (``AccountIndex.stakeholders`` defines it): whose
        departure can leave a seat vacant, a service unowned or a decision unowned."""
        ...

    def without(self, absent: Iterable[str]) -> RuleRunner:
        """This runner with ``absent`` taken as gone too (a what-if), sharing what it
        prepared: cheap enough to make once per person a ranking tries."""
        ...


class GraphStore(Protocol):
    """A place a portfolio graph lives: in this process's memory, or a Neo4j database."""

    url: str
    """Where the store is, with any password removed: safe to print and log."""

    capabilities: frozenset[Capability]
    """What this backend can do beyond the contract (tests skip on these, never on names)."""

    def put_nodes(self, nodes: Iterable[Node]) -> int: ...

    def put_edges(self, edges: Iterable[Edge]) -> int: ...

    def get_node(self, node_id: str) -> Node: ...

    def has_node(self, node_id: str) -> bool: ...

    def nodes(self, kind: NodeKind | None = None, **where: Any) -> list[Node]: ...

    def edges(
        self,
        kind: EdgeKind | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]: ...

    def delete_node(self, node_id: str) -> None: ...

    def set_metadata(self, *, name: str | None, roles: Iterable[RoleDefinition]) -> None: ...

    def metadata(self) -> tuple[str | None, tuple[RoleDefinition, ...]]: ...

    def export(self) -> Portfolio: ...

    def counts(self) -> dict[str, int]: ...

    def clear(self) -> None: ...

    # Gap rules run where the data lives; see stakemap.rules for the vocabulary.
    def rule_runner(self, as_of: date, absent: Iterable[str] = ()) -> RuleRunner:
        """Prepare to run gap rules as of ``as_of`` (``find_gaps`` calls this once per
        report), with the people in ``absent`` taken as gone (a what-if). Rules arrive
        resolved: a required-role rule's ``phases`` is already filled in from the role
        catalog."""
        ...

    def accounts(self) -> list[Account]:
        """The accounts (customers that consume a service or are party to an agreement),
        sorted by id, with what a rule's ``when`` selector looks at."""
        ...

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names of the given node ids (unknown ids are left out)."""
        ...

    def close(self) -> None:
        """Release what the store holds (a driver's connections); idempotent."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None: ...


def misplaced_problem(where: str, edge: EdgeBase, kinds: dict[str, Any]) -> Problem:
    """The problem to report for an edge whose endpoint kinds ``ENDPOINTS`` does not allow."""
    sources, targets = ENDPOINTS[edge.kind]
    allowed = (f"{' or '.join(sorted(sources))} -> {' or '.join(sorted(targets))}")
    found = f"{kinds.get(edge.source) or 'nothing'} -> {kinds.get(edge.target) or 'nothing'}"
    return Problem(
        where, None, None,
        f"{edge.kind.value} '{edge.source}' -> '{edge.target}' joins {found}, but "
        f"{edge.kind.value} links join {allowed}, so no portfolio file can hold it",
        "delete that link, or give the node back its kind")
