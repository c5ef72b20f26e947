"""``StakeholderGraph``: the portfolio graph with readable verbs, on any store.

Every verb validates with the same rules the file loader uses (``model.integrity``), so a
graph built in Python is exactly as consistent as one loaded from a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from types import TracebackType
from typing import Any, Self

from pydantic import BaseModel, ValidationError

from stakemap.backends import GraphStore, open_store
from stakemap.errors import GraphError, NotFoundError
from stakemap.model.edges import (
    Attended,
    Consumes,
    DecisionAuthority,
    DirectedTie,
    Edge,
    HoldsRole,
    Owns,
    PartyTo,
    Provides,
    Relationship,
    ReportsTo,
)
from stakemap.model.enums import (
    AuthorityScope,
    EdgeKind,
    MeetingKind,
    NodeKind,
    OrgKind,
    PersonStatus,
    Phase,
    ReportLine,
    Sentiment,
    Side,
    Stance,
    TieType,
)
from stakemap.model.integrity import (
    Violation,
    check_cycles,
    check_edge,
    check_node,
    did_you_mean,
    side_of,
)
from stakemap.model.nodes import (
    RATED_FIELDS,
    Agreement,
    Assessment,
    Meeting,
    Node,
    NodeBase,
    Organization,
    Person,
    Service,
)
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleCatalog, RoleDefinition
from stakemap.model.wording import explain_all

__all__ = ["StakeholderGraph"]


class _NodeView(Mapping[str, NodeBase]):
    """The store's nodes as a read-only mapping, for the integrity checks."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getitem__(self, node_id: str) -> NodeBase:
        if not self._store.has_node(node_id):
            raise KeyError(node_id)
        return self._store.get_node(node_id)

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self._store.has_node(node_id)

    def get(self, node_id: str, default: Any = None) -> Any:
        return self._store.get_node(node_id) if self._store.has_node(node_id) else default

    def __iter__(self) -> Iterator[str]:
        return (n.id for n in self._store.nodes())

    def __len__(self) -> int:
        return sum(self._store.counts().get(k.value, 0) for k in NodeKind)


class StakeholderGraph:
    """A customer portfolio as a graph: organizations, people, services and how they link.

    Build one with the verbs (``add_person``, ``assign_role``, ``relate``, ...), or load one
    with ``stakemap.load_portfolio``. ``store`` decides where it lives (default: in memory).
    """

    def __init__(self, store: GraphStore | str | None = None, *, name: str | None = None,
                 roles: Iterable[RoleDefinition] = ()) -> None:
        if store is None or isinstance(store, str):
            store = open_store(store or "memory://")
        self.store: GraphStore = store
        stored_name, stored_roles = store.metadata()
        roles = tuple(roles)
        self.name = name if name is not None else stored_name
        self.catalog = RoleCatalog(roles or stored_roles)
        if name is not None or roles:
            store.set_metadata(name=self.name, roles=self.catalog.extra)
        self._nodes = _NodeView(self.store)

    def close(self) -> None:
        """Close the store (a Neo4j driver's connections); ``with`` does it for you."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = self.store.counts()
        return (f"StakeholderGraph({self.store.url!r}, people={counts.get('person', 0)}, "
                f"organizations={counts.get('organization', 0)})")

    # -- building from and to whole portfolios ---------------------------------------------
    @classmethod
    def from_portfolio(cls, portfolio: Portfolio, store: GraphStore | str | None = None, *,
                       progress: Callable[[int, int], None] | None = None,
                       chunk: int = 10_000) -> StakeholderGraph:
        """A graph holding an already validated portfolio, in ``store`` (default: a new
        in-memory one). See ``put`` for how it is written."""
        graph = cls(store)
        graph.put(portfolio, progress=progress, chunk=chunk)
        return graph

    def put(self, portfolio: Portfolio, *, progress: Callable[[int, int], None] | None = None,
            chunk: int = 10_000) -> None:
        """Write an already validated portfolio into this graph's store.

        Writing is an upsert: what the store already holds and the portfolio does not mention
        stays, and writing the same portfolio twice changes nothing, so an interrupted import
        can simply be run again. The portfolio's name and its own roles, if it has them,
        replace the stored ones. ``progress(done, total)`` is called after every ``chunk``
        rows (nodes first, then edges).
        """
        from stakemap._gc import paused_gc

        if portfolio.name is not None or portfolio.roles:
            if portfolio.name is not None:
                self.name = portfolio.name
            if portfolio.roles:
                self.catalog = RoleCatalog(portfolio.roles)
            self.store.set_metadata(name=self.name, roles=self.catalog.extra)
        nodes, edges = portfolio.nodes, portfolio.edges
        total, done = len(nodes) + len(edges), 0
        with paused_gc():
            for start in range(0, len(nodes), chunk):
                done += self.store.put_nodes(nodes[start:start + chunk])
                if progress is not None:
                    progress(done, total)
            for start in range(0, len(edges), chunk):
                done += self.store.put_edges(edges[start:start + chunk])
                if progress is not None:
                    progress(done, total)

    def snapshot(self) -> Portfolio:
        """Everything in the graph as plain data; equal snapshots mean equal graphs."""
        return self.store.export()

    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph`` copy with model fields as attributes, in the form
        networkx's writers accept (``nx.write_graphml``, ``nx.write_gexf``): text, numbers
        and booleans only, unset fields left out, maps and lists (``external_ids``,
        ``assessments``) as JSON text, and printable edge keys (the edge's kind and what
        tells parallel edges apart: ``holds_role|account-manager|operations``). The graph's
        ``name`` and ``roles`` (JSON) are the portfolio's. ``from_networkx`` reads it back.
        See ``stakemap.exports.networkx_graph``."""
        from stakemap.exports.networkx_graph import portfolio_to_networkx

        return portfolio_to_networkx(self.snapshot())

    @classmethod
    def from_networkx(cls, graph: Any, store: GraphStore | str | None = None
                      ) -> StakeholderGraph:
        """The graph a ``to_networkx`` copy holds (also after a trip through a GraphML or
        GEXF file), in ``store`` (default: a new in-memory one). It is checked like the
        verbs check: ``GraphError`` names every inconsistency, or the node or edge whose
        attributes are not a valid model, and nothing is written then."""
        from stakemap.exports.networkx_graph import portfolio_from_networkx
        from stakemap.model.integrity import check_portfolio

        portfolio = portfolio_from_networkx(graph)
        problems = check_portfolio(portfolio)
        if problems:
            raise _graph_error(problems, "from_networkx")
        return cls.from_portfolio(portfolio, store)

    def people_frame(self) -> Any:
        """One row per person as a pandas ``DataFrame``: organization, side, title,
        status, stance, influence, interest and roles held (see
        ``stakemap.exports.frames.people_table``). Needs pandas
        (``pip install 'stakemap[pandas]'``)."""
        from stakemap.exports.frames import people_table

        return people_table(self.store)

    # -- adding nodes ------------------------------------------------------------------------
    def _add(self, node: Node, links: Iterable[Edge] = (), *, replace: bool = False,
             verb: str | None = None) -> Node:
        """Write a node and its links only if all of them are valid: nothing half-written.

        An id that exists is refused unless ``replace`` is set: an upsert would silently turn
        an organization into a service (a graph that saves but no longer loads) or drop a
        person's title and ratings. A replacement keeps the kind, and every edge already
        touching the node is checked again against the new node, because a person moved to
        another organization may now hold roles of the wrong side.
        """
        existing: Node | None = self._nodes.get(node.id)
        if existing is not None:
            _refuse_overwrite(node, existing, replace=replace)
        view = _Overlay(self._nodes, node)
        links = list(links)
        problems = check_node(node, view)
        for link in links:
            problems += check_edge(link, view, self.catalog)
        if existing is not None:
            touching = {e.key: e for e in (*self.store.edges(source=node.id),
                                            *self.store.edges(target=node.id))}
            for edge in touching.values():
                problems += check_edge(edge, view, self.catalog)
            if isinstance(node, Organization):
                problems += _parent_cycle(node, view)
        if problems:
            raise _graph_error(problems, verb)
        self.store.put_nodes([node])
        self.store.put_edges(links)
        return node

    def add_organization(self, id: str, name: str, *, type: OrgKind | str,
                         phase: Phase | str | None = None, parent: str | None = None,
                         tier: str | None = None, description: str | None = None,
                         replace: bool = False) -> Organization:
        """Add an organization; an id that exists is refused unless ``replace`` (see ``_add``)."""
        with _arguments("add_organization"):
            node = Organization(id=id, name=name, type=type, phase=phase, parent=parent,
                                tier=tier, description=description)
        self._add(node, replace=replace)
        return node

    def add_customer(self, id: str, name: str, *, phase: Phase | str | None = None,
                     replace: bool = False, **fields: Any) -> Organization:
        """Add a customer organization (``add_organization`` with ``type='customer'``)."""
        return self.add_organization(id, name, type=OrgKind.CUSTOMER, phase=phase,
                                     replace=replace, **fields)

    def add_person(self, id: str, name: str, *, organization: str,
                   title: str | None = None, status: PersonStatus | str | None = None,
                   left_on: date | str | None = None,
                   email: str | None = None, stance: Stance | str | None = None,
                   influence: int | None = None, interest: int | None = None,
                   assessments: Iterable[Assessment | Mapping[str, Any]] = (),
                   notes: str | None = None, replace: bool = False) -> Person:
        """Add a person. ``status`` defaults to active, or to left when ``left_on`` is given.
        With ``assessments``, the stance, influence and interest not given come from the
        latest assessment that sets them (see ``Person``). ``replace=True`` replaces an
        existing person as a whole: fields not given again are gone, which is why it has to
        be asked for (``update_person`` changes some fields and keeps the rest)."""
        with _arguments("add_person"):
            values: dict[str, Any] = {
                "id": id, "name": name, "organization": organization, "title": title,
                "left_on": left_on, "email": email, "stance": stance,
                "influence": influence, "interest": interest, "notes": notes,
                "assessments": tuple(_many("add_person", "assessments", assessments,
                                           what="assessments"))}
            if status is not None:
                values["status"] = status
            node = Person.model_validate(values)
        self._add(node, replace=replace)
        return node

    def _person(self, verb: str, person_id: str) -> Person:
        """The person ``person_id``, or an error naming ``verb``."""
        found = self._nodes.get(person_id)
        if found is None:
            near = did_you_mean(person_id, [p.id for p in self.store.nodes(NodeKind.PERSON)])
            raise NotFoundError(f"{verb}: no person '{person_id}'"
                                + (f"; {near}" if near else ""))
        if not isinstance(found, Person):
            raise GraphError(f"{verb}: '{person_id}' is {_a(found.kind)}, not a person")
        return found

    def update_person(self, id: str, /, **changes: Any) -> Person:
        """Change some of a person's fields and keep the rest, and every link: their roles,
        reporting lines, relationships and meetings stay as they are.

        Checked like a file: an unknown field or a bad value raises ``GraphError`` naming
        it, and so does a change that makes the graph inconsistent (an ``organization``
        that is not one, roles of the wrong side for the new organization, ``status:
        active`` beside ``left_on``). Setting ``left_on`` to a day implies ``status``
        left; giving ``assessments`` replaces the history, and the stance, influence and
        interest it sets are derived from it again. ``id`` cannot change.
        """
        return self._update("update_person", id, changes)

    def _update(self, verb: str, person_id: str, changes: Mapping[str, Any]) -> Person:
        existing = self._person(verb, person_id)
        allowed = [f for f in Person.model_fields if f not in ("id", "kind")]
        for field in changes:
            if field == "id":
                raise GraphError(f"{verb}: a person's id cannot change; add a person with "
                                 f"the new id and remove '{person_id}'")
            if field not in allowed:
                hint = did_you_mean(field, allowed) or f"fields: {', '.join(allowed)}"
                raise GraphError(f"{verb}: unknown field '{field}'; {hint}")
        base = existing.model_dump(exclude={"kind"})
        if changes.get("left_on") is not None and "status" not in changes:
            del base["status"]  # implied by the new left_on
        with _arguments(verb):
            if "assessments" in changes:
                history = tuple(Assessment.model_validate(a) for a in _many(
                    verb, "assessments", changes["assessments"], what="assessments"))
                changes = {**changes, "assessments": history}
                for field in RATED_FIELDS:
                    if field not in changes and any(
                            getattr(a, field) is not None
                            for a in (*existing.assessments, *history)):
                        del base[field]  # derived from the history: derive it again
            node = Person.model_validate({**base, **changes})
        self._add(node, replace=True, verb=verb)
        return node

    def mark_left(self, person: str, *, on: date | str) -> Person:
        """Record that ``person`` left ``on`` a day (``left_on``, status left). Their roles
        stay, as they were: the gap rules report a leaver who still holds a role
        (``left-but-holds-role``) until the role is ended (``end_role``) or given to
        someone else."""
        return self._update("mark_left", person, {"left_on": on, "status": PersonStatus.LEFT})

    def add_assessment(self, person: str, *, on: date | str, by: str | None = None,
                       stance: Stance | str | None = None, influence: int | None = None,
                       interest: int | None = None) -> Person:
        """Add a dated assessment to ``person``'s history (``by``: who assessed, free
        text). The fields it sets become the person's current ones unless a later
        assessment sets them; earlier assessments are kept. Returns the updated person."""
        existing = self._person("add_assessment", person)
        with _arguments("add_assessment"):
            assessment = Assessment(on=on, by=by, stance=stance, influence=influence,
                                    interest=interest)
        return self._update("add_assessment", person,
                            {"assessments": (*existing.assessments, assessment)})

    def add_service(self, id: str, name: str, *, provider: str | None = None,
                    description: str | None = None, replace: bool = False) -> Service:
        """Add a service, provided by ``provider`` if given."""
        with _arguments("add_service", source="provider"):
            node = Service(id=id, name=name, description=description)
            links = [Provides(source=provider, target=id)] if provider is not None else []
        self._add(node, links, replace=replace)
        return node

    def add_agreement(self, id: str, name: str, *, parties: Iterable[str] = (),
                      next_review: date | str | None = None,
                      starts: date | str | None = None, ends: date | str | None = None,
                      renewal: date | str | None = None, notice_days: int | None = None,
                      description: str | None = None, replace: bool = False) -> Agreement:
        """Add an agreement between ``parties``, running from ``starts`` to ``ends``,
        renewing (or to be renegotiated) on ``renewal`` with ``notice_days`` of notice."""
        with _arguments("add_agreement", source="parties"):
            node = Agreement(id=id, name=name, next_review=next_review, starts=starts,
                             ends=ends, renewal=renewal, notice_days=notice_days,
                             description=description)
            links = [PartyTo(source=party, target=id)
                     for party in _many("add_agreement", "parties", parties)]
        self._add(node, links, replace=replace)
        return node

    def add_meeting(self, id: str, name: str, *, on: date | str,
                    type: MeetingKind | str = MeetingKind.OTHER,
                    attendees: Iterable[str] = (), outcome: str | None = None,
                    replace: bool = False) -> Meeting:
        """Add a meeting held ``on`` a day, with its ``attendees``."""
        with _arguments("add_meeting", date="on", source="attendees"):
            node = Meeting(id=id, name=name, date=on, type=type, outcome=outcome)
            links = [Attended(source=person, target=id)
                     for person in _many("add_meeting", "attendees", attendees)]
        self._add(node, links, replace=replace)
        return node

    # -- linking -----------------------------------------------------------------------------
    def _link(self, edge: Edge) -> Edge:
        problems = check_edge(edge, self._nodes, self.catalog)
        if isinstance(edge, ReportsTo) and not problems:
            managers = self.store.edges(EdgeKind.REPORTS_TO)
            problems = check_cycles({}, [*managers, edge])
        if problems:
            raise _graph_error(problems)
        self.store.put_edges([edge])
        return edge

    def assign_role(self, person: str, role: str, *, at: str,
                    phase: Phase | str | None = None, since: date | str | None = None,
                    until: date | str | None = None) -> HoldsRole:
        """``person`` holds ``role`` for the organization, service or agreement ``at``."""
        with _arguments("assign_role", source="person", target="at"):
            edge = HoldsRole(source=person, target=at, role=role, phase=phase, since=since,
                             until=until)
        self._link(edge)
        return edge

    def report_to(self, person: str, manager: str,
                  line: ReportLine | str = ReportLine.SOLID) -> ReportsTo:
        with _arguments("report_to", source="person", target="manager"):
            edge = ReportsTo(source=person, target=manager, line=line)
        self._link(edge)
        return edge

    def set_owner(self, service: str, person: str) -> Owns:
        with _arguments("set_owner", source="person", target="service"):
            edge = Owns(source=person, target=service)
        self._link(edge)
        return edge

    def grant_authority(self, person: str, scope: AuthorityScope | str, *, over: str
                        ) -> DecisionAuthority:
        with _arguments("grant_authority", source="person", target="over"):
            edge = DecisionAuthority(source=person, target=over, scope=scope)
        self._link(edge)
        return edge

    def relate(self, a: str, b: str, *, strength: float | None = None,
               sentiment: Sentiment | str = Sentiment.NEUTRAL,
               last_contact: date | str | None = None, notes: str | None = None,
               ) -> Relationship:
        """Record that two people know each other (order does not matter). ``strength``
        left out means not declared (the analyses may estimate one)."""
        with _arguments("relate", source="a", target="b"):
            edge = Relationship(source=a, target=b, strength=strength, sentiment=sentiment,
                                last_contact=last_contact, notes=notes)
        self._link(edge)
        return edge

    def add_directed_tie(self, a: str, b: str, *, type: TieType | str,
                         strength: float | None = None, since: date | str | None = None,
                         notes: str | None = None) -> DirectedTie:
        """Record a directed tie from ``a`` to ``b``: ``a`` influences ``b``, reports to
        ``b`` informally, or is in conflict with ``b`` (``type``).

        A verb of its own rather than ``relate(..., directed=True)``: a directed tie has a
        type and keeps its direction, and has no sentiment or last contact, so a flag would
        change what half of ``relate``'s arguments mean and which are required. Ties of
        different types between the same two people are kept apart; the same type again
        replaces the tie's fields."""
        with _arguments("add_directed_tie", source="a", target="b"):
            edge = DirectedTie(source=a, target=b, type=type, strength=strength, since=since,
                               notes=notes)
        self._link(edge)
        return edge

    def end_role(self, person: str, role: str, *, at: str, on: date | str) -> list[HoldsRole]:
        """End ``person``'s ``role`` at ``at`` on a day (sets the role's ``until``); the role
        stays in the history. A role held there in several phases ends in each of them, and
        the ended roles are returned. ``NotFoundError`` if the person holds no such role
        there."""
        self._person("end_role", person)
        held = [e for e in self.store.edges(EdgeKind.HOLDS_ROLE, source=person, target=at)
                if isinstance(e, HoldsRole) and e.role == role]
        if not held:
            there = sorted({e.role for e in self.store.edges(
                EdgeKind.HOLDS_ROLE, source=person, target=at) if isinstance(e, HoldsRole)})
            raise NotFoundError(
                f"end_role: '{person}' holds no role '{role}' at '{at}'; "
                + (f"roles held there: {', '.join(there)}" if there
                   else "they hold no role there"))
        with _arguments("end_role", until="on"):
            ended = [HoldsRole.model_validate({**e.model_dump(), "until": on}) for e in held]
        problems = [v for e in ended for v in check_edge(e, self._nodes, self.catalog)]
        if problems:
            raise _graph_error(problems, "end_role")
        self.store.put_edges(ended)
        return ended

    def consume(self, customer: str, service: str, *, vital: bool = False) -> Consumes:
        with _arguments("consume", source="customer", target="service"):
            edge = Consumes(source=customer, target=service, vital=vital)
        self._link(edge)
        return edge

    def remove(self, node_id: str) -> None:
        """Delete a node and every edge touching it."""
        self.store.delete_node(node_id)

    # -- reading -----------------------------------------------------------------------------
    def get(self, node_id: str) -> Node:
        return self.store.get_node(node_id)

    def customers(self) -> list[Organization]:
        return [n for n in self.store.nodes(NodeKind.ORGANIZATION, type=OrgKind.CUSTOMER)
                if isinstance(n, Organization)]

    def people(self, *, organization: str | None = None, side: Side | str | None = None
               ) -> list[Person]:
        where = {"organization": organization} if organization else {}
        found = [n for n in self.store.nodes(NodeKind.PERSON, **where) if isinstance(n, Person)]
        if side is not None:
            wanted = Side(side)
            found = [p for p in found if side_of(p, self._nodes) is wanted]
        return found

    def services(self) -> list[Service]:
        return [n for n in self.store.nodes(NodeKind.SERVICE) if isinstance(n, Service)]

    def roles_of(self, person: str) -> list[HoldsRole]:
        return [e for e in self.store.edges(EdgeKind.HOLDS_ROLE, source=person)
                if isinstance(e, HoldsRole)]

    def holders(self, role: str, *, at: str | None = None) -> list[Person]:
        """Who holds ``role`` (optionally for ``at``), sorted by id."""
        ids = sorted({e.source for e in self.store.edges(EdgeKind.HOLDS_ROLE, target=at)
                      if isinstance(e, HoldsRole) and e.role == role})
        return [p for p in (self.store.get_node(i) for i in ids) if isinstance(p, Person)]

    def relationships_of(self, person: str) -> list[Relationship]:
        found = [*self.store.edges(EdgeKind.RELATIONSHIP, source=person),
                 *self.store.edges(EdgeKind.RELATIONSHIP, target=person)]
        return [e for e in found if isinstance(e, Relationship)]


class _Overlay(Mapping[str, NodeBase]):
    """The graph's nodes plus one being added, so a node may be checked before it is stored."""

    def __init__(self, base: Mapping[str, NodeBase], extra: NodeBase) -> None:
        self._base, self._extra = base, extra

    def __getitem__(self, key: str) -> NodeBase:
        return self._extra if key == self._extra.id else self._base[key]

    def __iter__(self) -> Iterator[str]:
        yield self._extra.id
        yield from (k for k in self._base if k != self._extra.id)

    def __len__(self) -> int:
        return len(self._base) + (0 if self._extra.id in self._base else 1)


def _a(kind: NodeKind) -> str:
    return f"{'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value}"


def _refuse_overwrite(node: Node, existing: Node, *, replace: bool) -> None:
    """Raise unless ``node`` may replace ``existing`` (same id): asked for, and same kind."""
    new, old = node.kind, existing.kind
    if not replace:
        raise GraphError(
            f"'{node.id}' already exists as {_a(old)}; use another id, or pass replace=True "
            f"to replace that {old.value}")
    if new is not old:
        raise GraphError(
            f"'{node.id}' is {_a(old)}, and replace=True cannot turn it into {_a(new)}; "
            f"remove the node first (graph.remove('{node.id}')) or use another id")


def _parent_cycle(org: Organization, nodes: Mapping[str, NodeBase]) -> list[Violation]:
    """A replaced organization's new parent must not lead back to it (a new one cannot:
    nothing names it as a parent yet)."""
    chain, current = [org.id], org.parent
    while current is not None and current not in chain:
        chain.append(current)
        parent = nodes.get(current)
        current = parent.parent if isinstance(parent, Organization) else None
    if current != org.id:
        return []
    return [Violation(f"organization parents would form a cycle: {' -> '.join([*chain, org.id])}",
                      "choose another parent", node=org.id, field="parent")]


_MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (Organization, Person, Service, Agreement, Meeting, HoldsRole, ReportsTo,
                  Owns, DecisionAuthority, Relationship, Consumes, Provides, PartyTo, Attended,
                  DirectedTie, Assessment)
}
"""The models the verbs build, by the title a ``ValidationError`` carries, so a message can
read the failing field's range from the model that refused it."""


@contextmanager
def _arguments(verb: str, **names: str) -> Iterator[None]:
    """Turn a model's ``ValidationError`` into a ``GraphError`` worded for the caller:
    "add_person: influence is 9; use a whole number from 1 to 5".

    The one place every verb's arguments are checked: the models already hold the rules, and
    a pydantic error names model fields (``source``) and pydantic internals rather than the
    verb and the argument the caller wrote (``person``). ``names`` maps the fields whose
    argument is named differently. The pydantic error stays chained as ``__cause__``."""
    try:
        yield
    except ValidationError as exc:
        message = explain_all(exc, _MODELS.get(exc.title), names)
        raise GraphError(f"{verb}: {message}") from exc


def _many(verb: str, name: str, values: Iterable[Any], *, what: str = "ids") -> Iterable[Any]:
    """Refuse a bare string where a list of ids is wanted: it would iterate characters,
    each taken for an id ("nw" -> "n", "w"); and a single mapping where a list is wanted."""
    example = f"{name}=['northwind']" if what == "ids" else f"{name}=[{{'on': ..., ...}}]"
    if isinstance(values, str):
        raise GraphError(f"{verb}: {name} is the text {values!r}, not a list of {what}; "
                         f"pass a list, e.g. " + (f"{name}=[{values!r}]" if what == "ids"
                                                  else example))
    if not isinstance(values, Iterable) or isinstance(values, Mapping | BaseModel):
        raise GraphError(f"{verb}: {name} is {type(values).__name__} {values!r}, not a list "
                         f"of {what}; pass a list of {what}, e.g. {example}")
    return values


def _graph_error(problems: list[Violation], verb: str | None = None) -> GraphError:
    messages = "; ".join(p.message + (f" ({p.hint})" if p.hint else "") for p in problems)
    if verb is not None:
        messages = f"{verb}: {messages}"
    if all(p.missing_id is not None for p in problems):
        return NotFoundError(messages)
    return GraphError(messages)
